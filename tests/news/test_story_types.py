"""Every listing selects all story types at once: adding a type or more stories costs no query."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
)

LISTINGS = [
    "/",
    "/news/",
    "/news/world/",
    "/tags/budget/",
    "/authors/ann-lee/",
    "/feed/",
    "/feed/atom/",
    "/search/?q=budget",
    "/sitemap-news.xml",
    "/api/v2/pages/?type=news.StoryPage&fields=standfirst",
]


def add_stories(section, author, count: int, live_blogs: bool, start: int = 0) -> None:
    for n in range(start, start + count):
        stories = [NewsArticlePageFactory(parent=section, title=f"Budget article {n}")]
        if live_blogs:
            stories.append(LiveBlogPageFactory(parent=section, title=f"Budget live {n}"))
            LiveBlogEntryFactory(page=stories[-1])
        for story in stories:
            story.tags.add("budget")
            story.save()
            StoryAuthor.objects.create(page=story, author=author)


def queries_per_listing(client) -> dict[str, int]:
    counts = {}
    for url in LISTINGS:
        client.get(url)  # renditions and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.fixture
def sections(home_page):
    news = CategoryIndexPageFactory(parent=home_page, title="News")
    return news, CategoryIndexPageFactory(parent=news, title="World")


def test_listings_cost_the_same_with_one_story_type_or_two_and_with_more_stories(client, sections):
    news, world = sections
    author = AuthorFactory(name="Ann Lee", slug="ann-lee")

    add_stories(world, author, count=2, live_blogs=False)
    articles_only = queries_per_listing(client)
    add_stories(world, author, count=6, live_blogs=True, start=2)
    both_types = queries_per_listing(client)

    assert both_types == articles_only


def test_listings_show_both_story_types(client, sections):
    news, world = sections
    add_stories(world, AuthorFactory(name="Ann Lee", slug="ann-lee"), count=1, live_blogs=True)

    for url in LISTINGS:
        text = client.get(url).content.decode()
        assert "Budget article 0" in text and "Budget live 0" in text, url
