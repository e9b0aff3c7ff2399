"""What readership asks of the stories: which may be counted, and which may be listed."""

from __future__ import annotations

from django.db.models import QuerySet

from core.listings import not_expired
from news.models import StoryPage


def countable_stories() -> QuerySet[StoryPage]:
    """Live, public, unexpired stories: views of anything else (drafts, private pages) are not counted."""
    return StoryPage.objects.live().public().filter(not_expired())


def countable_story_ids() -> list[int]:
    return list(countable_stories().values_list("pk", flat=True))


def is_countable_story(story_id: int) -> bool:
    return countable_stories().filter(pk=story_id).exists()
