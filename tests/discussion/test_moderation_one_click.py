"""A moderator decides on one reader comment in one click, from the listing or the dashboard."""

import re
from urllib.parse import urlencode

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk.roles import WRITERS
from discussion.models import CommentScreening, CommentStatus, ReaderComment
from tests.factories import ReaderCommentFactory


def list_url(**params) -> str:
    url = reverse(ReaderComment.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(params)}" if params else url


def decide_url(comment, decision: str) -> str:
    return reverse(ReaderComment.snippet_viewset.get_url_name("moderate"), args=[comment.pk, decision])


def bulk_url(action: str, comments) -> str:
    url = reverse("wagtail_bulk_action", args=("discussion", "readercomment", action))
    return f"{url}?{urlencode([('id', c.pk) for c in comments] + [('next', list_url())])}"


def status_of(comment) -> CommentStatus:
    return ReaderComment.objects.select_related("screening").get(pk=comment.pk).status


@pytest.fixture
def held(article):
    return ReaderCommentFactory(
        article=article, user_name="Hilda", comment="Held for a look", is_public=False
    )


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.mark.parametrize(
    ("decision", "status", "message"),
    [
        ("approve", CommentStatus.PUBLIC, "Reader comment by Hilda approved and published."),
        ("remove", CommentStatus.REMOVED, "Reader comment by Hilda removed."),
        ("spam", CommentStatus.SPAM, "Reader comment by Hilda marked as spam."),
    ],
)
def test_one_post_decides_a_held_comment_and_returns_to_the_listing(
    moderator_client, held, decision, status, message
):
    back_to = list_url(status="held")
    response = moderator_client.post(decide_url(held, decision), {"next": back_to})

    assert response.status_code == 302
    assert response.url == back_to
    assert status_of(held) == status
    listing = moderator_client.get(response.url)
    assert message in listing.text
    assert "Held for a look" not in listing.text


def test_not_spam_publishes_a_comment_marked_as_spam(moderator_client, article):
    spam = ReaderCommentFactory(article=article, is_public=False)
    CommentScreening.objects.create(comment=spam, is_spam=True, reasons="Blocklist")

    assert moderator_client.post(decide_url(spam, "not-spam")).status_code == 302
    assert status_of(spam) == CommentStatus.PUBLIC


def test_each_row_of_the_listing_carries_its_decisions_as_post_forms(moderator_client, held, article):
    public = ReaderCommentFactory(article=article, comment="Already public")
    html = moderator_client.get(list_url()).text

    for decision in ("approve", "remove", "spam"):
        form = f'<form method="post" action="{decide_url(held, decision)}"'
        assert form in html
    assert f'action="{decide_url(public, "approve")}"' not in html  # nothing to approve
    assert f'action="{decide_url(public, "remove")}"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 5


def test_a_get_decides_nothing(moderator_client, held):
    response = moderator_client.get(decide_url(held, "approve"))

    assert response.status_code == 405
    assert status_of(held) == CommentStatus.HELD


def test_a_writer_may_not_decide(client, held, django_user_model):
    writer = django_user_model.objects.create_user("wendy", "wendy@example.org", "pw")
    writer.groups.add(Group.objects.get(name=WRITERS))
    client.force_login(writer)

    assert client.post(decide_url(held, "approve")).status_code == 403
    assert status_of(held) == CommentStatus.HELD


def test_a_post_without_the_csrf_token_is_refused(moderator, held):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)

    assert client.post(decide_url(held, "approve")).status_code == 403
    assert status_of(held) == CommentStatus.HELD

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(list_url()).text).group(1)
    assert client.post(decide_url(held, "approve"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert status_of(held) == CommentStatus.PUBLIC


@pytest.mark.parametrize("path", ["moderate/{pk}/publish-everything/", "moderate/999999/approve/"])
def test_an_unknown_decision_or_comment_is_not_found(moderator_client, held, path):
    url = list_url() + path.format(pk=held.pk)
    assert moderator_client.post(url).status_code == 404
    assert status_of(held) == CommentStatus.HELD


def test_a_next_address_off_the_site_is_ignored(moderator_client, held):
    response = moderator_client.post(decide_url(held, "approve"), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response.url == list_url()


def held_panel(html: str) -> str:
    start = html.index('id="held-reader-comments-section"')
    return html[start : html.index("</section>", start)]


def test_dashboard_counts_held_comments_and_shows_the_latest_five(moderator_client, article):
    for n in range(7):
        ReaderCommentFactory(article=article, comment=f"Held number {n}", is_public=False)
    ReaderCommentFactory(article=article, comment="Published one")

    panel = held_panel(moderator_client.get("/admin/").text)

    assert "7 reader comments awaiting moderation" in panel
    assert [n for n in range(7) if f"Held number {n}" in panel] == [2, 3, 4, 5, 6]
    assert "Published one" not in panel


def test_dashboard_says_one_reader_comment(moderator_client, held):
    panel = held_panel(moderator_client.get("/admin/").text)
    assert "1 reader comment awaiting moderation" in panel


def test_dashboard_approve_decides_and_returns_to_the_dashboard(moderator_client, held):
    panel = held_panel(moderator_client.get("/admin/").text)
    assert f'action="{decide_url(held, "approve")}"' in panel

    response = moderator_client.post(decide_url(held, "approve"), {"next": "/admin/"}, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Reader comment by Hilda approved and published." in response.text
    assert "No reader comments awaiting moderation." in response.text


def test_dashboard_panel_queries_do_not_grow_with_held_comments(moderator_client, article):
    ReaderCommentFactory(article=article, is_public=False)
    moderator_client.get("/admin/")
    with CaptureQueriesContext(connection) as one:
        moderator_client.get("/admin/")
    for _ in range(20):
        ReaderCommentFactory(article=article, is_public=False)
    with CaptureQueriesContext(connection) as many:
        moderator_client.get("/admin/")

    assert len(many.captured_queries) == len(one.captured_queries)


def test_dashboard_panel_is_not_shown_to_writers(client, held, django_user_model):
    writer = django_user_model.objects.create_user("wendy", "wendy@example.org", "pw")
    writer.groups.add(Group.objects.get(name=WRITERS))
    client.force_login(writer)

    assert "held-reader-comments" not in client.get("/admin/").text


@pytest.mark.parametrize(
    ("count", "question", "done"),
    [
        (1, "Approve 1 reader comment?", "1 reader comment approved and published."),
        (2, "Approve 2 reader comments?", "2 reader comments approved and published."),
    ],
)
def test_bulk_wording_counts_reader_comments(moderator_client, article, count, question, done):
    comments = [ReaderCommentFactory(article=article, is_public=False) for _ in range(count)]

    confirm = moderator_client.get(bulk_url("approve_reader_comments", comments))
    assert question in confirm.text

    response = moderator_client.post(bulk_url("approve_reader_comments", comments), follow=True)
    assert done in response.text


@pytest.mark.parametrize(
    ("action", "question"),
    [
        ("remove_reader_comments", "Remove 1 reader comment from the site?"),
        ("mark_reader_comments_spam", "Mark 1 reader comment as spam?"),
        ("not_spam_reader_comments", "Mark 1 reader comment as not spam and publish?"),
    ],
)
def test_each_bulk_decision_asks_its_own_question(moderator_client, held, action, question):
    assert question in moderator_client.get(bulk_url(action, [held])).text


def test_bulk_selection_counts_reader_comments_not_snippets(moderator_client, held):
    html = moderator_client.get(list_url()).text

    assert 'data-bulk-action-footer="READER_COMMENT"' in html
    assert '"SINGULAR": "1 reader comment selected"' in html
