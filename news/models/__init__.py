"""News: sections, the story types filed under them, authors and discovery settings.

Every story type inherits `StoryPage`; listings select `StoryPage`, so a new
story type appears in sections, on the front page, in feeds, search, tag and
author pages, related panels and the API without edits elsewhere
(docs/extending.md).
"""

from .articles import NewsArticlePage
from .authors import Author
from .corrections import CorrectionKind, StoryCorrection
from .live_blogs import LiveBlogEntry, LiveBlogPage, LiveBlogStatus
from .sections import CategoryIndexPage
from .settings import DiscoverySettings
from .stories import RelatedPage, StoryAuthor, StoryPage, StoryQuerySet, StoryTag

__all__ = [
    "Author",
    "CategoryIndexPage",
    "CorrectionKind",
    "DiscoverySettings",
    "LiveBlogEntry",
    "LiveBlogPage",
    "LiveBlogStatus",
    "NewsArticlePage",
    "RelatedPage",
    "StoryAuthor",
    "StoryCorrection",
    "StoryPage",
    "StoryQuerySet",
    "StoryTag",
]
