"""Ranking for the 'You may also like' panel.

Editors' picks come first in their order; the remaining slots go to the
stories sharing the most tags, then those of the same section, then the
newest. The cost is a fixed number of queries however many candidates there are.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce

from wagtail.models import Page

from core.listings import not_expired
from core.privacy import public


def related_items(
    story: Page, candidates: models.QuerySet, tag_links: models.Manager, limit: int
) -> list[Page]:
    """Up to `limit` live, public, unexpired pages for `story`'s panel.

    `candidates` are the listed stories of every type; `tag_links` the manager
    of the story-tag table.
    """
    if limit <= 0:
        return []
    picked_ids = [link.related_page_id for link in story.related_links.all() if link.related_page_id]
    picked_ids = [pk for pk in dict.fromkeys(picked_ids) if pk != story.pk]
    picks: dict[int, Page] = {}
    if picked_ids:
        picks.update((page.pk, page) for page in candidates.filter(pk__in=picked_ids))
        other_ids = [pk for pk in picked_ids if pk not in picks]
        if other_ids:
            # Editors may pick any page, a section say, not only stories.
            other_picks = (
                public(Page.objects.filter(pk__in=other_ids).live())
                .filter(not_expired())
                .not_type(candidates.model)
                .specific()
            )
            picks.update((page.pk, page) for page in other_picks)
    items = [picks[pk] for pk in picked_ids if pk in picks][:limit]

    remaining = limit - len(items)
    if remaining > 0:
        ranked = rank_by_relevance(story, candidates, tag_links, exclude_ids=[story.pk, *picks])
        items += list(ranked[:remaining])
    return items


def rank_by_relevance(
    story: Page, candidates: models.QuerySet, tag_links: models.Manager, exclude_ids: list[int]
) -> models.QuerySet:
    """`candidates` ordered by shared tags, then same section, then newest."""
    tag_ids = [tag.pk for tag in story.get_tags()]
    shared_tags = (
        tag_links.filter(content_object=models.OuterRef("pk"), tag_id__in=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    same_section = models.Case(
        models.When(path__startswith=story.path[: -story.steplen], depth=story.depth, then=1),
        default=0,
        output_field=models.IntegerField(),
    )
    return (
        candidates.exclude(pk__in=exclude_ids)
        .annotate(
            shared_tags=Coalesce(models.Subquery(shared_tags), 0) if tag_ids else models.Value(0),
            same_section=same_section,
        )
        .order_by(
            "-shared_tags",
            "-same_section",
            models.F("display_date").desc(nulls_last=True),
            "-pk",
        )
    )
