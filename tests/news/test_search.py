from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.factories import CategoryIndexPageFactory, ContentPageFactory, NewsArticlePageFactory
from tests.news.helpers import card_titles

SEED_HEADLINE = "Respiratory Viruses May Awaken Dormant Breast Cancer"


def search(client, **params):
    return client.get("/search/", params)


@pytest.mark.parametrize("query", ["metastasis", "IL-6", "il-6", "Metastasis IL-6"])
def test_seed_article_is_found_by_its_terms(client, seed_article, query):
    response = search(client, q=query)
    assert response.status_code == 200
    assert SEED_HEADLINE in card_titles(response.text)


def test_results_show_headline_category_date_and_excerpt(client, seed_article):
    response = search(client, q="metastasis")
    html = response.text
    assert '<p class="card__kicker">Health</p>' in html
    assert seed_article.date.strftime("%Y") in html
    assert "New research reveals common infections can trigger metastasis" in html
    assert "1 result for “metastasis”" in html


def test_sections_are_searchable(client, home_page):
    CategoryIndexPageFactory(parent=home_page, title="Oceanography")
    response = search(client, q="Oceanography")
    assert card_titles(response.text) == ["Oceanography"]
    assert "card__kicker" not in response.text


def test_category_filter_keeps_results_within_the_section(client, home_page):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    sport = CategoryIndexPageFactory(parent=home_page, title="Sport")
    NewsArticlePageFactory(parent=oncology, title="Glacier melt studied in oncology wards")
    NewsArticlePageFactory(parent=sport, title="Glacier marathon won in record time")

    everywhere = card_titles(search(client, q="glacier").text)
    in_health = card_titles(search(client, q="glacier", category=health.pk).text)

    assert sorted(everywhere) == [
        "Glacier marathon won in record time",
        "Glacier melt studied in oncology wards",
    ]
    assert in_health == ["Glacier melt studied in oncology wards"]


@pytest.mark.parametrize("category", ["not-a-number", "²", "-1", "99999999999999999999999", "1.5"])
def test_unknown_category_filter_searches_everywhere(client, health, category):
    NewsArticlePageFactory(parent=health, title="Glacier report")
    response = search(client, q="glacier", category=category)
    assert response.status_code == 200
    assert card_titles(response.text) == ["Glacier report"]


def test_draft_and_private_pages_are_never_results(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="Glacier public story")
    NewsArticlePageFactory(parent=health, title="Glacier draft story", live=False)
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    NewsArticlePageFactory(parent=members, title="Glacier members story")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    assert card_titles(search(client, q="glacier").text) == ["Glacier public story"]


@pytest.mark.parametrize("limit", [500, 1])
def test_only_stories_and_sections_are_results(client, home_page, health, settings, limit):
    """Within the limit, and beyond it where the pages are walked newest first."""
    settings.NEWSROOM_SEARCH_MAX_RESULTS = limit
    now = timezone.now()
    yesterday, two_days_ago = now - timedelta(days=1), now - timedelta(days=2)
    NewsArticlePageFactory(parent=health, title="Glacier story", first_published_at=two_days_ago)
    CategoryIndexPageFactory(parent=home_page, title="Glacier desk", first_published_at=yesterday)
    ContentPageFactory(parent=home_page, title="Glacier contact page", first_published_at=now)

    html = search(client, q="glacier").text

    assert card_titles(html) == ["Glacier desk", "Glacier story"][:limit]
    assert "Glacier contact page" not in html


def test_index_follows_publish_and_unpublish(client, health, admin_user):
    article = NewsArticlePageFactory(parent=health, title="Glacier retreat measured", live=False)
    assert card_titles(search(client, q="glacier").text) == []

    article.save_revision(user=admin_user).publish()
    assert card_titles(search(client, q="glacier").text) == ["Glacier retreat measured"]

    article.refresh_from_db()
    article.unpublish(user=admin_user)
    assert card_titles(search(client, q="glacier").text) == []


def test_unpublished_draft_edits_are_not_searchable(client, health, admin_user):
    article = NewsArticlePageFactory(parent=health, title="Glacier retreat measured")
    article.title = "Avalanche warning issued"
    article.save_revision(user=admin_user)

    assert card_titles(search(client, q="avalanche").text) == []
    assert card_titles(search(client, q="glacier").text) == ["Glacier retreat measured"]


def test_results_are_paginated(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for n in range(5):
        NewsArticlePageFactory(parent=health, title=f"Glacier bulletin {n}")

    first = search(client, q="glacier")
    last = search(client, q="glacier", page=3)

    assert len(card_titles(first.text)) == 2
    assert "Page 1 of 3" in first.text
    assert 'href="?q=glacier&amp;page=2"' in first.text
    assert len(card_titles(last.text)) == 1


@pytest.mark.parametrize("page", ["0", "4", "abc", "-1", "99999999999999999999999"])
def test_result_page_out_of_range_is_not_found(client, health, page):
    NewsArticlePageFactory(parent=health, title="Glacier bulletin")
    assert search(client, q="glacier", page=page).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        '"',
        "'",
        "*",
        "(",
        ")",
        "-",
        "--",
        "the-a",
        "a-",
        "-6",
        ":",
        "^",
        "\\",
        "AND",
        "OR NOT",
        "NEAR(",
        '"unbalanced quote',
        "title:glacier",
        "glacier*",
        "%_%",
        "'; DROP TABLE wagtailcore_page; --",
        "метастазы",
        "乳腺癌",
        "سرطان",
        "🦠🧬",
        "glacier " * 2000,
    ],
)
def test_awkward_queries_answer_cleanly(client, seed_article, query):
    response = search(client, q=query)
    assert response.status_code == 200


def test_null_byte_in_the_query_is_refused_before_the_search(client, seed_article):
    """PostgreSQL cannot hold NUL; core's middleware refuses control characters first."""
    assert search(client, q="\x00null byte").status_code == 400


def test_very_long_query_is_shortened_in_the_form(client, health):
    response = search(client, q="a" * 5000)
    assert response.status_code == 200
    assert "a" * 201 not in response.text
    assert 'value="' + "a" * 200 + '"' in response.text


def test_empty_search_shows_the_form_without_results(client, seed_article):
    response = search(client)
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert card_titles(response.text) == []


def test_results_are_newest_first(client, health):
    now = timezone.now()
    for days, title in ((3, "Old walrus"), (1, "New walrus"), (2, "Middle walrus")):
        NewsArticlePageFactory(parent=health, title=title, first_published_at=now - timedelta(days=days))
    html = client.get("/search/", {"q": "walrus"}).text
    positions = [html.index(title) for title in ("New walrus", "Middle walrus", "Old walrus")]
    assert positions == sorted(positions)


def glacier_stories(parent, count: int, start: int = 0) -> list:
    """`count` stories about glaciers, story `start` the oldest, one a day."""
    now = timezone.now()
    return [
        NewsArticlePageFactory(
            parent=parent, title=f"Glacier report {n}", first_published_at=now - timedelta(days=1000 - n)
        )
        for n in range(start, start + count)
    ]


def queries_for(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = search(client, **params)
    assert response.status_code == 200
    return len(queries)


def test_search_costs_the_same_queries_however_many_stories_match(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    settings.NEWSROOM_SEARCH_MAX_RESULTS = 10
    glacier_stories(health, 3)
    search(client, q="glacier")  # caches filled on the first request (content types, site)
    few = queries_for(client, q="glacier")

    glacier_stories(health, 30, start=3)
    search(client, q="glacier")  # the kept route and private pages, looked up again after the publishes
    many = queries_for(client, q="glacier")
    deep = queries_for(client, q="glacier", page=5)

    assert many == few
    assert deep == few


def test_more_matches_than_the_limit_list_the_newest_and_say_so(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    settings.NEWSROOM_SEARCH_MAX_RESULTS = 4
    glacier_stories(health, 7)

    first = search(client, q="glacier")
    second = search(client, q="glacier", page=2)

    assert card_titles(first.text) == ["Glacier report 6", "Glacier report 5"]
    assert card_titles(second.text) == ["Glacier report 4", "Glacier report 3"]
    assert "More than 4 results for “glacier”: the newest 4 are listed." in first.text
    assert "Page 1 of 2" in first.text and 'href="?q=glacier&amp;page=2"' in first.text
    assert "Page 2 of 2" in second.text and "page=3" not in second.text
    assert search(client, q="glacier", page=3).status_code == 404


def test_as_many_matches_as_the_limit_are_counted_exactly(client, health, settings):
    settings.NEWSROOM_SEARCH_MAX_RESULTS = 4
    glacier_stories(health, 4)

    html = search(client, q="glacier").text

    assert "4 results for “glacier”" in html and "More than" not in html
    assert card_titles(html) == [f"Glacier report {n}" for n in (3, 2, 1, 0)]


def test_beyond_the_limit_drafts_private_and_expired_stories_stay_out(client, home_page, health, settings):
    settings.NEWSROOM_SEARCH_MAX_RESULTS = 2
    glacier_stories(health, 4)
    # Newer than every public story: the newest-first walk meets them first.
    NewsArticlePageFactory(parent=health, title="Glacier draft", live=False)
    NewsArticlePageFactory(
        parent=health, title="Glacier expired", expire_at=timezone.now() - timedelta(hours=1)
    )
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    NewsArticlePageFactory(parent=members, title="Glacier members story")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    html = search(client, q="glacier").text

    assert card_titles(html) == ["Glacier report 3", "Glacier report 2"]
    assert "More than 2 results" in html


def test_beyond_the_limit_the_section_filter_still_applies(client, home_page, health, settings):
    settings.NEWSROOM_SEARCH_MAX_RESULTS = 2
    sport = CategoryIndexPageFactory(parent=home_page, title="Sport")
    glacier_stories(health, 3)
    glacier_stories(sport, 3, start=10)

    in_health = card_titles(search(client, q="glacier", category=health.pk).text)
    everywhere = card_titles(search(client, q="glacier").text)

    assert in_health == ["Glacier report 2", "Glacier report 1"]
    assert everywhere == ["Glacier report 12", "Glacier report 11"]
