"""What a reader can follow: breaking news, a section, a live blog.

A topic is a short string stored with each subscription ("breaking",
"section-12", "live-34"), so that finding an alert's readers is one indexed
lookup whatever the number of sections or live blogs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wagtail.models import Page

BREAKING = "breaking"
TOPIC_PATTERN = re.compile(r"breaking|section-\d{1,18}|live-\d{1,18}")
TOPIC_MAX_LENGTH = 32


@dataclass(frozen=True)
class Topic:
    key: str
    label: str


def section_topic(section: Page) -> Topic:
    return Topic(f"section-{section.pk}", f"{section.title} news")


def live_blog_topic(live_blog: Page) -> Topic:
    return Topic(f"live-{live_blog.pk}", f"Updates to “{live_blog.title}”")


def is_topic(key: object) -> bool:
    return isinstance(key, str) and TOPIC_PATTERN.fullmatch(key) is not None


def topics_of_story(story: Page) -> list[Topic]:
    """The topics a reader may follow from a story's page, and an editor may alert about it."""
    from news.models import CategoryIndexPage, LiveBlogPage

    topics = [Topic(BREAKING, "Breaking news")]
    section = story.get_category() if hasattr(story, "get_category") else None
    if section is not None and issubclass(section.specific_class or Page, CategoryIndexPage):
        topics.append(section_topic(section))
    if isinstance(story, LiveBlogPage):
        topics.append(live_blog_topic(story))
    return topics


def describe_topics(keys: list[str]) -> list[dict[str, str]]:
    """Labels and pages of stored topic keys, for a reader's list of what their browser follows.

    A section or live blog that is gone, or no longer public, is named as such.
    """
    from news.models import CategoryIndexPage, LiveBlogPage

    models = {"section": CategoryIndexPage, "live": LiveBlogPage}
    pages: dict[str, Page] = {}
    for kind, model in models.items():
        ids = [int(key.split("-", 1)[1]) for key in keys if key.startswith(f"{kind}-")]
        if ids:
            for page in model.objects.live().public().filter(pk__in=ids):
                pages[f"{kind}-{page.pk}"] = page
    described = []
    for key in keys:
        if key == BREAKING:
            described.append({"key": key, "label": "Breaking news", "url": ""})
            continue
        kind = key.partition("-")[0]
        page = pages.get(key)
        if page is None:
            label = (
                "A section no longer published" if kind == "section" else "A live blog no longer published"
            )
            described.append({"key": key, "label": label, "url": ""})
            continue
        topic = section_topic(page) if kind == "section" else live_blog_topic(page)
        described.append({"key": key, "label": topic.label, "url": page.url or ""})
    return described
