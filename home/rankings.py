"""Rankings a front-page list can show: the stories readers engage with most.

Each ranking is one function from the candidate stories (published, public,
unexpired: a StoryQuerySet) and a number to the ids of at most that many of
them, best first. A new ranking (page views, say, from the app that counts
them) is one more entry here, asked through that app's own function; the
"ranked list" package and its admin choice pick it up without other edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from discussion.models import ReaderCommentsMode
from discussion.threads import most_discussed


@dataclass(frozen=True)
class Ranking:
    label: str
    rank: Callable[[QuerySet, int], list[int]]


def most_discussed_ids(candidates: QuerySet, limit: int) -> list[int]:
    """Stories with the most recent public reader comments (two queries)."""
    shown = candidates.exclude(reader_comments=ReaderCommentsMode.HIDDEN).only("pk")
    return [story.pk for story in most_discussed(shown, limit)]


RANKINGS: dict[str, Ranking] = {
    "most_discussed": Ranking("Most discussed", most_discussed_ids),
}


def ranking_choices() -> list[tuple[str, str]]:
    return [(name, ranking.label) for name, ranking in RANKINGS.items()]
