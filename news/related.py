"""Ranking for the 'You may also like' panel.

Editors' picks come first in their order; the remaining slots go to the
stories sharing the most tags, then those of the same section, then the
newest. Automatic slots are chosen among the newest RELATED_WINDOW stories
only, so both the number of queries and the work of each stay the same
however many stories the site holds.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from wagtail.models import Page

from core import fragments
from core.listings import not_expired
from core.privacy import public

# How many of the newest stories compete for the automatic slots. A story
# older than that is rarely what a reader wants next, and ranking every story
# of the archive by shared tags grew with the archive.
RELATED_WINDOW = 300


def related_items(
    story: Page,
    candidates: models.QuerySet,
    tag_links: models.Manager,
    limit: int,
    request: HttpRequest | None = None,
) -> list[Page]:
    """Up to `limit` live, public, unexpired pages for `story`'s panel.

    `candidates` are the listed stories of every type; `tag_links` the manager
    of the story-tag table. The automatic slots' ranking is kept between
    requests (see `ranked_candidates`).
    """
    if limit <= 0:
        return []
    # Pages loaded to be served know whether editors picked any: no query when none.
    has_picks = getattr(story, "has_related_picks", True)
    links = story.related_links.all() if has_picks else []
    picked_ids = [link.related_page_id for link in links if link.related_page_id]
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
        items += ranked_candidates(story, candidates, tag_links, [story.pk, *picks], remaining, request)
    return items


def ranked_candidates(
    story: Page,
    candidates: models.QuerySet,
    tag_links: models.Manager,
    exclude_ids: list[int],
    count: int,
    request: HttpRequest | None = None,
) -> list[Page]:
    """The `count` best candidates for `story`, in one query either way.

    The ranking (ids) is kept in the fragment cache under the site's page
    version, which every publish, unpublish, move and deletion bumps, so it is
    recomputed exactly when it could change. The cards are loaded afresh from
    `candidates` each time: comment counts are current, and a story that has
    since expired or become private drops out.
    """
    tag_ids = sorted(tag.pk for tag in story.get_tags())
    key = fragments.versioned_key(
        request, "related", [fragments.PAGES], story.pk, story.path, tag_ids, exclude_ids, count
    )
    ranked: list[Page] = []

    def rank() -> list[int]:
        ranked.extend(rank_by_relevance(story, candidates, tag_links, exclude_ids=exclude_ids)[:count])
        return [page.pk for page in ranked]

    ranked_ids = fragments.kept(key, rank, size=len)
    if ranked:  # ranked just now: the cards are already loaded
        return ranked
    loaded = {page.pk: page for page in candidates.filter(pk__in=ranked_ids)}
    return [loaded[pk] for pk in ranked_ids if pk in loaded]


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
    candidates = candidates.exclude(pk__in=exclude_ids)
    newest = candidates.order_by(*NEWEST_FIRST).values("pk")[:RELATED_WINDOW]
    return (
        candidates.filter(pk__in=newest)
        .annotate(
            shared_tags=Coalesce(models.Subquery(shared_tags), 0) if tag_ids else models.Value(0),
            same_section=same_section,
        )
        .order_by(
            "-shared_tags",
            "-same_section",
            *NEWEST_FIRST,
        )
    )


NEWEST_FIRST = (models.F("display_date").desc(nulls_last=True), "-pk")
