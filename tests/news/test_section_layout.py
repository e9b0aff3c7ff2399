"""A section's first page: the newest story large, a grid of pictures, then a compact list."""

from datetime import timedelta

import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import StoryAuthor
from news.models.sections import SECTION_GRID
from tests.factories import AuthorFactory, NewsArticlePageFactory


def stories(section, count: int, start: int = 0) -> None:
    author = AuthorFactory()
    for n in range(start, start + count):
        when = timezone.now() - timedelta(hours=n)
        page = NewsArticlePageFactory(
            parent=section,
            title=f"Story {n}",
            first_published_at=when,
            display_date=when,
            lead_image=wagtail_factories.ImageFactory(),
            lead_image_alt_text="A picture",
        )
        StoryAuthor.objects.create(page=page, author=author)


def titles(soup, selector: str) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(f"{selector} .card__title a")]


def test_first_page_opens_with_the_lead_story_then_a_grid_then_a_compact_list(client, health):
    stories(health, 10)
    soup = BeautifulSoup(client.get(health.url).text, "html.parser")
    lead = soup.select_one(".section-front > .card--lead")
    assert lead.select_one(".card__title").get_text(strip=True) == "Story 0"
    assert lead.select_one("img")["fetchpriority"] == "high"
    assert titles(soup, ".section-front__grid") == [f"Story {n}" for n in range(1, SECTION_GRID + 1)]
    assert titles(soup, ".compact-list") == [f"Story {n}" for n in range(SECTION_GRID + 1, 10)]
    # Headlines only in the compact list: no pictures to load.
    assert soup.select(".compact-list img") == []
    assert soup.select_one(".section-front__grid .card__byline").get_text().startswith("By Author")


def test_later_pages_list_the_older_stories_with_thumbnails(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 8
    stories(health, 10)
    soup = BeautifulSoup(client.get(f"{health.url}?page=2").text, "html.parser")
    assert soup.select(".section-front") == []
    assert titles(soup, ".card-list") == ["Story 8", "Story 9"]


def test_section_layout_costs_the_same_queries_with_more_stories(client, health):
    def queries() -> int:
        client.get(health.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(health.url).status_code == 200
        return len(captured)

    stories(health, 2)
    few = queries()
    stories(health, 18, start=2)
    assert queries() == few
