"""Readership figures for pages and the admin: each listing asks through one function here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from news.models import StoryPage

from .counter import hour_start
from .models import HourlyViews
from .stories import countable_stories

MOST_READ_LENGTH = 5
MOST_READ_HOURS = 24
# Ranked candidates read per listing: some of the most read may have gone private since.
CANDIDATES_PER_PLACE = 3


def _window_start(hours: int, now: datetime | None = None) -> datetime:
    """The start of the window of `hours` hours that ends with the current hour."""
    return hour_start(now or timezone.now()) - timedelta(hours=hours - 1)


def top_story_views(hours: int, limit: int, now: datetime | None = None) -> list[tuple[StoryPage, int]]:
    """The most read live, public stories of the last `hours` hours with their views, in two queries
    (and the page-privacy check), whatever the number of stories or rows."""
    totals = list(
        HourlyViews.objects.filter(hour__gte=_window_start(hours, now))
        .values("story_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-story_id")
        .values_list("story_id", "total")[: limit * CANDIDATES_PER_PLACE]
    )
    stories = countable_stories().defer_streamfields().in_bulk([story for story, _ in totals])
    return [(stories[story], total) for story, total in totals if story in stories][:limit]


def most_read(limit: int = MOST_READ_LENGTH, hours: int = MOST_READ_HOURS) -> list[StoryPage]:
    """ "Most read": the stories readers read most in the last 24 hours, most read first."""
    return [story for story, _ in top_story_views(hours, limit)]


def _views_since(start: datetime) -> Coalesce:
    total = (
        HourlyViews.objects.filter(story=OuterRef("pk"), hour__gte=start)
        .order_by()
        .values("story")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_views(stories: QuerySet) -> QuerySet:
    """`stories` with `views_today` (since midnight UTC) and `views_7_days`, in the same query."""
    now = timezone.now()
    midnight = now.astimezone(dt_timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return stories.annotate(
        views_today=_views_since(midnight), views_7_days=_views_since(now - timedelta(days=7))
    )


@dataclass
class HourBar:
    hour: datetime
    views: int


def hourly_views(story: StoryPage, hours: int = 48, now: datetime | None = None) -> list[HourBar]:
    """One bar per hour of the last `hours` hours, zero where nobody read the story, in one query."""
    start = _window_start(hours, now)
    stored = dict(HourlyViews.objects.filter(story=story, hour__gte=start).values_list("hour", "views"))
    return [HourBar(hour, stored.get(hour, 0)) for hour in (start + timedelta(hours=n) for n in range(hours))]
