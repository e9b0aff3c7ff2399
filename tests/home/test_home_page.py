"""The front page: a lead story and the latest articles of each section."""

import datetime

import wagtail_factories
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_empty_site_renders(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing published yet." in response.text


def test_lead_story_is_the_newest_article(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="Older", display_date=days_ago(2))
    NewsArticlePageFactory(parent=health, title="Newest", display_date=days_ago(0))
    NewsArticlePageFactory(parent=health, title="Unpublished", live=False)
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    assert soup.select_one(".lead-story .card__title").get_text(strip=True) == "Newest"


def test_each_section_shows_its_latest_articles_including_subsections(client, home_page, health):
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    for n in range(6):
        NewsArticlePageFactory(
            parent=health if n % 2 else oncology, title=f"Health {n}", display_date=days_ago(n)
        )
    NewsArticlePageFactory(parent=world, title="World 0", display_date=days_ago(10))

    soup = BeautifulSoup(client.get("/").text, "html.parser")
    sections = {
        block.select_one(".section-block__title").get_text(strip=True): [
            t.get_text(strip=True) for t in block.select(".card__title")
        ]
        for block in soup.select(".section-block")
    }
    assert soup.select_one(".lead-story .card__title").get_text(strip=True) == "Health 0"
    # The lead story is not repeated in its section.
    assert sections == {"Health": ["Health 1", "Health 2", "Health 3", "Health 4"], "World": ["World 0"]}


def test_a_section_with_only_the_lead_story_is_left_off(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="The only story")
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    assert soup.select_one(".lead-story .card__title").get_text(strip=True) == "The only story"
    assert soup.select(".section-block") == []


def test_front_page_queries_do_not_grow_with_sections_or_articles(client, home_page):
    def front_page_queries() -> int:
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    section = CategoryIndexPageFactory(parent=home_page, title="Section A")
    NewsArticlePageFactory.create_batch(2, parent=section)  # the lead story and one more
    few = front_page_queries()
    for n in range(6):
        section = CategoryIndexPageFactory(parent=home_page, title=f"Section {n}")
        for _ in range(5):
            NewsArticlePageFactory(parent=section)
    many = front_page_queries()

    assert few == many
    assert many <= 17


def test_every_page_links_the_top_level_sections_in_menu_order(client, home_page, health, article):
    CategoryIndexPageFactory(parent=home_page, title="World")
    CategoryIndexPageFactory(parent=home_page, title="Hidden", show_in_menus=False)
    CategoryIndexPageFactory(parent=home_page, title="Draft", live=False)

    soup = BeautifulSoup(client.get(article.url).text, "html.parser")
    links = soup.select('nav[aria-label="Sections"] a')
    assert [a.get_text() for a in links] == ["Health", "World"]
    assert links[0].get("aria-current") == "true"
    assert links[1].get("aria-current") is None


def test_front_page_thumbnails_cost_no_query_each_even_with_a_cold_cache(client, home_page, health):
    def cold_front_page_queries() -> int:
        # The factories save pages live without publishing them: nothing tells the
        # fragment cache, so the first view starts from a clear cache as well.
        cache.clear()
        client.get("/")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for _ in range(2):
        NewsArticlePageFactory(parent=health, lead_image=wagtail_factories.ImageFactory())
    few = cold_front_page_queries()
    for _ in range(4):
        NewsArticlePageFactory(parent=health, lead_image=wagtail_factories.ImageFactory())
    assert cold_front_page_queries() == few


def test_a_section_with_only_old_stories_still_shows_them(client, home_page, health, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr("home.packages.NEWEST_WINDOW", 3)
    archive = CategoryIndexPageFactory(parent=home_page, title="Archive")
    old = timezone.now() - timedelta(days=400)
    NewsArticlePageFactory(parent=archive, title="Old archive story", display_date=old)
    for n in range(5):
        NewsArticlePageFactory(parent=health, title=f"Fresh story {n}")

    html = client.get("/").text

    assert "Old archive story" in html and "Fresh story 4" in html and "Fresh story 1" in html
