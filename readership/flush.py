"""Moving counts from Redis to the database: run every minute (`manage.py flush_page_views`)."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from news.models import StoryPage

from . import counter
from .models import HourlyViews
from .stories import countable_story_ids

logger = logging.getLogger(__name__)

# Longer than any flush should take; a flusher that died frees the lock by then.
FLUSH_LOCK_SECONDS = 120


def flush_views() -> int:
    """Add the views waiting in Redis to the hourly rows; the number of views moved.

    The database is written first and Redis emptied after, by what was written:
    a failed write leaves the counts for the next flush. Also refreshes the set
    of countable stories (stories that went private or expired stop counting).
    """
    try:
        if not counter.flush_lock(FLUSH_LOCK_SECONDS):
            return 0
    except (RedisError, OSError):
        logger.warning("Readership: Redis is unreachable, nothing flushed")
        return 0
    try:
        counts = counter.pending_counts(timezone.now())
        existing_stories = set(
            StoryPage.objects.filter(
                pk__in={story for by_story in counts.values() for story in by_story}
            ).values_list("pk", flat=True)
        )
        moved = 0
        with transaction.atomic():
            for hour, by_story in counts.items():
                moved += _add_to_rows(hour, {s: v for s, v in by_story.items() if s in existing_stories})
        # Views of stories deleted since are dropped with the rest.
        counter.subtract_counts(counts)
        connection = counter.client()
        if connection is not None:
            counter.store_countable(connection, countable_story_ids())
        return moved
    except (RedisError, OSError):
        logger.warning("Readership: Redis went away during the flush", exc_info=True)
        return 0
    finally:
        try:
            counter.release_flush_lock()
        except (RedisError, OSError):
            pass


def _add_to_rows(hour, by_story: dict[int, int]) -> int:
    """Upsert one hour's views: existing rows grow by F(), new ones are created in one query."""
    if not by_story:
        return 0
    present = set(
        HourlyViews.objects.filter(hour=hour, story_id__in=by_story).values_list("story_id", flat=True)
    )
    for story_id in present:
        HourlyViews.objects.filter(hour=hour, story_id=story_id).update(views=F("views") + by_story[story_id])
    HourlyViews.objects.bulk_create(
        [
            HourlyViews(story_id=story, hour=hour, views=views)
            for story, views in by_story.items()
            if story not in present
        ]
    )
    return sum(by_story.values())
