"""The public archive of sent issues: cacheable pages, in the sitemap; nothing unsent shows."""

import pytest

from django.utils import timezone

from newsletters.models import IssueStatus
from tests.factories import IssueFactory, NewsArticlePageFactory
from tests.news.test_sitemaps import sitemap_entries


@pytest.fixture
def sent(daily, article):
    return IssueFactory(
        newsletter=daily,
        subject="Tuesday's briefing",
        intro="Hello readers.",
        status=IssueStatus.SENT,
        sent_at=timezone.now(),
        stories=[article],
    )


@pytest.fixture
def held(daily):
    return IssueFactory(newsletter=daily, subject="Not yet out", status=IssueStatus.HELD)


def test_the_archive_lists_sent_issues_only(client, sent, held):
    response = client.get("/newsletters/archive/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuesday&#x27;s briefing" in html
    assert "Not yet out" not in html
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies


def test_a_sent_issue_has_a_public_page_without_anyones_links(client, sent, article):
    response = client.get(sent.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello readers." in html
    assert article.title in html
    assert "/newsletters/unsubscribe/" not in html
    assert "/newsletters/preferences/" not in html
    assert response["Cache-Control"].startswith("public")


def test_an_unsent_issue_has_no_page(client, held):
    assert client.get(held.get_absolute_url()).status_code == 404


def test_an_issue_under_another_lists_address_has_no_page(client, sent, breaking):
    assert client.get(f"/newsletters/archive/{breaking.slug}/{sent.pk}/").status_code == 404


def test_a_story_made_private_since_is_not_in_the_archived_issue(client, sent, health):
    hidden = NewsArticlePageFactory(parent=health, title="Withdrawn later")
    sent.stories.create(page=hidden, sort_order=1)
    hidden.unpublish()
    assert "Withdrawn later" not in client.get(sent.get_absolute_url()).content.decode()


@pytest.mark.parametrize("query", ["?page=0", "?page=99", "?page=abc", "?page=%00"])
def test_bad_archive_pages_are_not_found(client, sent, query):
    assert client.get("/newsletters/archive/" + query).status_code in (400, 404)


def test_sent_issues_are_in_the_sitemap_and_held_ones_are_not(client, sent, held):
    entries = sitemap_entries(client, "/sitemap.xml")
    assert any(url.endswith(sent.get_absolute_url()) for url in entries)
    assert not any(url.endswith(held.get_absolute_url()) for url in entries)
