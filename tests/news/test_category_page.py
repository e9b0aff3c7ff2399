"""A section page lists its published articles, sub-sections included, newest first."""

import datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


def headlines(response) -> list[str]:
    soup = BeautifulSoup(response.text, "html.parser")
    # A section's first page opens with its lead story, a grid and a compact list.
    return [
        h.get_text(strip=True) for h in soup.select(".section-front .card__title, .card-list .card__title")
    ]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def oncology(health):
    return CategoryIndexPageFactory(parent=health, title="Oncology")


def test_lists_own_and_subcategory_articles_newest_first(client, health, oncology):
    NewsArticlePageFactory(parent=health, title="Oldest", display_date=days_ago(3))
    NewsArticlePageFactory(parent=oncology, title="Middle", display_date=days_ago(2))
    NewsArticlePageFactory(parent=health, title="Newest", display_date=days_ago(1))

    response = client.get(health.url)

    assert response.status_code == 200
    assert headlines(response) == ["Newest", "Middle", "Oldest"]
    assert "Oncology" in BeautifulSoup(response.text, "html.parser").select_one(".subcategories").get_text()


def test_drafts_and_private_articles_are_not_listed(client, health):
    NewsArticlePageFactory(parent=health, title="Published")
    NewsArticlePageFactory(parent=health, title="Draft", live=False)
    private = NewsArticlePageFactory(parent=health, title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert headlines(client.get(health.url)) == ["Published"]


def test_other_sections_are_not_listed(client, home_page, health):
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    NewsArticlePageFactory(parent=world, title="Elsewhere")
    NewsArticlePageFactory(parent=health, title="Here")
    assert headlines(client.get(health.url)) == ["Here"]


def test_empty_section_says_so(client, health):
    response = client.get(health.url)
    assert response.status_code == 200
    assert "No articles in this section yet." in response.text


def test_listing_is_paginated(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for n in range(5):
        NewsArticlePageFactory(parent=health, title=f"Story {n}", display_date=days_ago(n))

    first = client.get(health.url)
    third = client.get(health.url, {"page": 3})

    assert headlines(first) == ["Story 0", "Story 1"]
    assert headlines(third) == ["Story 4"]
    assert "Page 1 of 3" in first.text
    assert 'href="?page=2"' in first.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "4", "99999999999999999999", "1.5", "%00"])
def test_bad_page_numbers_are_not_found(client, health, settings, page):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for n in range(5):
        NewsArticlePageFactory(parent=health, title=f"Story {n}")
    assert client.get(health.url, {"page": page}).status_code == 404


def test_listing_queries_do_not_grow_with_the_number_of_articles(client, health, oncology):
    def queries_for_listing() -> int:
        client.get(health.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(health.url)
        assert response.status_code == 200
        return len(queries)

    for n in range(3):
        NewsArticlePageFactory(parent=health if n % 2 else oncology, title=f"Story {n}")
    few = queries_for_listing()
    for n in range(3, 20):
        NewsArticlePageFactory(parent=health if n % 2 else oncology, title=f"Story {n}")
    many = queries_for_listing()

    assert few == many
    assert many <= 16


def test_card_thumbnails_cost_no_query_each_even_with_a_cold_cache(client, health):
    def cold_listing_queries() -> int:
        client.get(health.url)  # renditions exist; only the cache is cold below
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(health.url)
        assert response.status_code == 200
        return len(queries)

    for n in range(3):
        NewsArticlePageFactory(parent=health, title=f"Story {n}", lead_image=wagtail_factories.ImageFactory())
    few = cold_listing_queries()
    for n in range(3, 12):
        NewsArticlePageFactory(parent=health, title=f"Story {n}", lead_image=wagtail_factories.ImageFactory())
    assert cold_listing_queries() == few
