"""Per-article comments switch (open, closed, hidden) and the automatic close."""

from datetime import timedelta

import pytest

from django.utils import timezone

from discussion.models import ReaderCommentsMode
from tests.factories import NewsArticlePageFactory, ReaderCommentFactory


def test_open_article_shows_the_form_under_leave_a_comment(client, article):
    html = client.get(article.url).text
    assert "Leave a Comment" in html
    assert 'action="/comments/post/"' in html


def test_closed_article_keeps_comments_readable_without_a_form(client, health):
    story = NewsArticlePageFactory(parent=health, reader_comments=ReaderCommentsMode.CLOSED)
    ReaderCommentFactory(article=story, comment="Said before closing")
    html = client.get(story.url).text
    assert "Said before closing" in html
    assert "Comments are closed on this article." in html
    assert "Leave a Comment" not in html
    assert "Reply</a>" not in html


def test_hidden_article_shows_no_comments_and_no_count(client, health):
    story = NewsArticlePageFactory(parent=health, reader_comments=ReaderCommentsMode.HIDDEN)
    ReaderCommentFactory(article=story, comment="Not for display")
    html = client.get(story.url).text
    assert "Not for display" not in html
    assert "Leave a Comment" not in html
    assert "article__comment-count" not in html
    assert "Comments are not shown on this article." in html


def test_comments_close_by_themselves_after_the_set_number_of_days(client, health, comment_settings):
    comment_settings.auto_close_after_days = 10
    comment_settings.save()
    recent = NewsArticlePageFactory(parent=health, first_published_at=timezone.now() - timedelta(days=9))
    old = NewsArticlePageFactory(parent=health, first_published_at=timezone.now() - timedelta(days=11))
    assert "Leave a Comment" in client.get(recent.url).text
    assert "Comments close on" in client.get(recent.url).text
    assert "Comments are closed on this article." in client.get(old.url).text


def test_zero_days_keeps_comments_open_for_good(client, health, comment_settings):
    comment_settings.auto_close_after_days = 0
    comment_settings.save()
    ancient = NewsArticlePageFactory(parent=health, first_published_at=timezone.now() - timedelta(days=3650))
    html = client.get(ancient.url).text
    assert "Leave a Comment" in html
    assert "Comments close on" not in html


@pytest.mark.parametrize(
    ("mode", "days_ago", "expected"),
    [
        (ReaderCommentsMode.OPEN, 1, True),
        (ReaderCommentsMode.OPEN, 31, False),
        (ReaderCommentsMode.CLOSED, 1, False),
        (ReaderCommentsMode.HIDDEN, 1, False),
    ],
)
def test_are_comments_open(health, mode, days_ago, expected):
    story = NewsArticlePageFactory(
        parent=health, reader_comments=mode, first_published_at=timezone.now() - timedelta(days=days_ago)
    )
    assert story.reader_comments_open(close_after_days=30) is expected


def test_article_absolute_url_is_its_path(article):
    assert article.get_absolute_url() == article.url
    assert article.get_absolute_url().startswith("/")


def test_editor_finds_the_switch_in_its_own_panel(admin_client, article):
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").text
    assert "Reader comments" in html
    assert 'name="reader_comments"' in html
    assert "Hidden: no comments shown" in html


def test_site_wide_settings_are_editable_in_the_admin(admin_client, site):
    response = admin_client.get(f"/admin/settings/discussion/readercommentsettings/{site.pk}/")
    assert response.status_code == 200
    for label in ("Auto close after days", "Blocklist", "Flags to hide", "Threads per page"):
        assert label in response.text
