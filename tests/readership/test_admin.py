"""Readership for editors: views in the Stories listing, Top stories now, the chart on the edit screen."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from desk.roles import WRITERS
from tests.factories import NewsArticlePageFactory
from tests.readership.conftest import record_views


def listing_rows(html: str) -> list[tuple[str, str, str]]:
    """(title, views today, views in 7 days) for each row of the Stories listing."""
    from bs4 import BeautifulSoup

    table = BeautifulSoup(html, "html.parser").select_one("table.listing")
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    today, week = headers.index("Views today"), headers.index("Views, 7 days")
    rows = []
    for row in table.select("tbody tr"):
        cells = row.find_all("td", recursive=False)
        title = row.select_one("td.title a").get_text(" ", strip=True)
        rows.append((title, cells[today].get_text(strip=True), cells[week].get_text(strip=True)))
    return rows


@pytest.mark.django_db
def test_stories_listing_shows_views_today_and_in_7_days_sortable(admin_client, health):
    busy = NewsArticlePageFactory(parent=health, title="Busy story")
    quiet = NewsArticlePageFactory(parent=health, title="Quiet story")
    record_views(busy, 30)
    record_views(busy, 200, hours_ago=24 * 3)
    record_views(busy, 999, hours_ago=24 * 8)
    record_views(quiet, 50)

    html = admin_client.get("/admin/stories/", {"ordering": "-views_today"}).content.decode()
    assert listing_rows(html)[:2] == [("Quiet story", "50", "50"), ("Busy story", "30", "230")]

    html = admin_client.get("/admin/stories/", {"ordering": "-views_7_days"}).content.decode()
    assert [row[0] for row in listing_rows(html)][:2] == ["Busy story", "Quiet story"]


@pytest.mark.django_db
def test_stories_listing_queries_do_not_grow_with_the_views(
    admin_client, health, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stories = [NewsArticlePageFactory(parent=health) for _ in range(12)]
    record_views(stories[0], 1)
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/stories/", {"ordering": "-views_today"})
    for n, story in enumerate(stories):
        for hours_ago in range(0, 24 * 7, 6):
            record_views(story, n + 1, hours_ago=hours_ago + 1)
    cache.clear()

    with django_assert_max_num_queries(len(few)):
        response = admin_client.get("/admin/stories/", {"ordering": "-views_today"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_dashboard_shows_top_stories_now(admin_client, health):
    record_views(NewsArticlePageFactory(parent=health, title="Breaking now"), 120)
    record_views(NewsArticlePageFactory(parent=health, title="Also read"), 4, hours_ago=1)
    record_views(NewsArticlePageFactory(parent=health, title="Yesterday's news"), 900, hours_ago=5)

    html = admin_client.get("/admin/").content.decode()

    panel = html[html.index("Top stories now") :]
    assert re.search(r"Breaking now</a></td>\s*<td>120 views</td>", panel)
    assert re.search(r"Also read</a></td>\s*<td>4 views</td>", panel)
    assert "Yesterday&#x27;s news" not in panel and "Yesterday's news" not in panel


@pytest.mark.django_db
def test_dashboard_says_when_nothing_was_read(admin_client, home_page):
    assert "No story has been read in the last 2 hours." in admin_client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_edit_screen_loads_the_views_chart(admin_client, article):
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert (
        'src="/static/readership/edit-chart.js" data-chart-url="/admin/readership/stories/0/views/"' in html
    )


@pytest.mark.django_db
def test_views_chart_draws_one_bar_per_hour_of_the_last_48(admin_client, article):
    record_views(article, 10)
    record_views(article, 5, hours_ago=30)
    record_views(article, 70, hours_ago=60)

    response = admin_client.get(f"/admin/readership/stories/{article.pk}/views/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<rect ") == 48
    assert "15 views in the last 48 hours" in html
    assert "Today: 10" in html
    # The busiest hour is the full height of the chart; the latest hour is on the right.
    assert re.search(
        r'<rect x="282" y="0" width="5" height="72" fill="currentColor"><title>[^<]*: 10 views', html
    )


@pytest.mark.django_db
def test_views_chart_is_refused_to_a_writer_who_may_not_edit_the_story(client, article):
    record_views(article, 10)
    writer = get_user_model().objects.create_user("wendy", "w@example.org", "pw")
    writer.groups.add(Group.objects.get(name=WRITERS))
    client.force_login(writer)

    response = client.get(f"/admin/readership/stories/{article.pk}/views/")

    # Wagtail's admin answers a refusal by sending back to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert b"<svg" not in response.content


@pytest.mark.django_db
def test_views_chart_of_a_page_that_is_no_story_is_not_found(admin_client, health):
    assert admin_client.get(f"/admin/readership/stories/{health.pk}/views/").status_code == 404
    assert admin_client.get("/admin/readership/stories/999999/views/").status_code == 404


@pytest.mark.django_db
def test_views_chart_needs_an_admin_login(client, article):
    response = client.get(f"/admin/readership/stories/{article.pk}/views/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_searching_the_stories_listing_still_shows_views(admin_client, health):
    record_views(NewsArticlePageFactory(parent=health, title="Flood warning issued"), 12)
    NewsArticlePageFactory(parent=health, title="Election results")

    response = admin_client.get("/admin/stories/", {"q": "flood"})

    assert response.status_code == 200
    assert listing_rows(response.content.decode()) == [("Flood warning issued", "12", "12")]
