"""Which stories an issue carries: one function, chosen by the NEWSLETTERS_RANKING setting.

The default puts the editors' picks first (the front page's lead story), then
the most discussed, then the newest of the window. A page-view ranking ("Most
read") plugs in by naming its own function with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from wagtail.models import Page, Site

from discussion.threads import most_discussed
from news.models import StoryPage

from .models import Newsletter

Ranking = Callable[[Newsletter, datetime, int], list[Page]]


def ranking() -> Ranking:
    return import_string(getattr(settings, "NEWSLETTERS_RANKING", "newsletters.ranking.top_stories"))


def candidates(newsletter: Newsletter, since: datetime):
    """Public stories first published since `since`, in the list's section if it has one."""
    stories = StoryPage.objects.listed().filter(first_published_at__gte=since)
    if newsletter.section_id:
        section = Page.objects.filter(pk=newsletter.section_id).first()
        if section is None:
            return stories.none()
        stories = stories.descendant_of(section)
    return stories


def editors_picks() -> list[int]:
    """The ids editors put first: the default site's lead story, when its front page has one."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return []
    # The front page's own answer (home.models): the first pick of its "Top stories".
    picked_lead_story = getattr(site.root_page.specific, "picked_lead_story", None)
    lead = picked_lead_story() if picked_lead_story else None
    return [lead.pk] if lead else []


def top_stories(newsletter: Newsletter, since: datetime, limit: int) -> list[Page]:
    """Editors' picks, then the most discussed, then the newest, without repeats: at most `limit`."""
    stories = candidates(newsletter, since)
    chosen: list[Page] = []
    picks = {story.pk: story for story in stories.filter(pk__in=editors_picks())}
    chosen.extend(picks.values())
    for story in most_discussed(stories, limit):
        if story.pk not in {c.pk for c in chosen}:
            chosen.append(story)
    if len(chosen) < limit:
        chosen.extend(stories.exclude(pk__in=[c.pk for c in chosen])[: limit - len(chosen)])
    return chosen[:limit]
