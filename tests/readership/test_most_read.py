""" "Most read" as readers see it: on the front page, under articles, and its fresh copy."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from tests.factories import NewsArticlePageFactory
from tests.readership.conftest import record_views


def most_read_titles(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    panel = BeautifulSoup(html, "html.parser").select_one("aside.most-read")
    return [link.get_text() for link in panel.select("li a")] if panel else []


@pytest.mark.django_db
def test_front_page_lists_the_most_read_stories_of_the_last_24_hours(client, home_page, health):
    first = NewsArticlePageFactory(parent=health, title="Read by most")
    second = NewsArticlePageFactory(parent=health, title="Read by many")
    yesterday = NewsArticlePageFactory(parent=health, title="Read the day before")
    record_views(first, 40)
    record_views(second, 25, hours_ago=23)
    record_views(second, 10)
    record_views(yesterday, 500, hours_ago=24)

    html = client.get("/").content.decode()

    assert most_read_titles(html) == ["Read by most", "Read by many"]


@pytest.mark.django_db
def test_stories_readers_may_no_longer_see_leave_most_read(client, home_page, health):
    shown = NewsArticlePageFactory(parent=health, title="Still public")
    unpublished = NewsArticlePageFactory(parent=health, title="Taken down")
    private = NewsArticlePageFactory(parent=health, title="Members only")
    for story in (shown, unpublished, private):
        record_views(story, 10)
    unpublished.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert most_read_titles(client.get("/").content.decode()) == ["Still public"]


@pytest.mark.django_db
def test_article_shows_most_read_and_the_beacon_carrying_its_id(client, article, health):
    record_views(NewsArticlePageFactory(parent=health, title="Everyone read this"), 7)

    html = client.get(article.url).content.decode()

    assert most_read_titles(html) == ["Everyone read this"]
    assert f'data-story="{article.pk}" data-beacon="/most-read/beacon"' in html
    assert "/static/readership/beacon.js" in html


@pytest.mark.django_db
def test_no_panel_before_anything_was_read(client, article):
    html = client.get(article.url).content.decode()
    assert "Most read" not in html
    assert most_read_titles(client.get("/").content.decode()) == []


@pytest.mark.django_db
def test_titles_in_the_panel_are_escaped(client, home_page, health):
    record_views(NewsArticlePageFactory(parent=health, title="<script>alert(1)</script> news"), 3)
    html = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert most_read_titles(html) == ["<script>alert(1)</script> news"]


@pytest.mark.django_db
def test_the_panels_fresh_copy_is_public_for_half_a_minute_and_sets_no_cookie(client, article):
    record_views(article, 2)

    response = client.get("/most-read/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=30"
    assert not response.cookies
    assert f'<li><a href="{article.url}">{article.title}</a></li>' in response.content.decode()


@pytest.mark.django_db
def test_the_article_page_stays_public_and_cookie_free(client, article):
    record_views(article, 2)
    response = client.get(article.url)
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_of", [lambda article: "/", lambda article: article.url], ids=["front", "article"]
)
def test_most_read_costs_the_same_queries_whatever_the_number_of_stories_read(
    client, site, health, article, url_of
):
    from django.core.cache import cache

    def panel_queries() -> int:
        # Everything else kept; the panel itself made afresh (it lives 30 seconds).
        client.get(url_of(article))
        cache.delete(f"readership:most-read:{site.pk}")
        return queries_for(client, url_of(article))

    for n in range(2):
        record_views(NewsArticlePageFactory(parent=health, title=f"Few {n}"), n + 1)
    few = panel_queries()
    for n in range(40):
        story = NewsArticlePageFactory(parent=health, title=f"Many {n}")
        for hours_ago in range(0, 24, 4):
            record_views(story, n + 10, hours_ago=hours_ago)

    assert panel_queries() == few
    html = client.get(url_of(article)).content.decode()
    assert len(most_read_titles(html)) == 5


@pytest.mark.django_db
def test_the_panel_is_read_from_the_cache_within_half_a_minute(client, home_page, health):
    record_views(NewsArticlePageFactory(parent=health, title="First"), 3)
    client.get("/")
    record_views(NewsArticlePageFactory(parent=health, title="Later"), 30)

    assert most_read_titles(client.get("/").content.decode()) == ["First"]
