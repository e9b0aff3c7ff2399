"""Editors in the admin: lists, issues (intro, order, preview, test, hold, send) and who may do it."""

import pytest

from django.core import mail

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from newsletters.models import Issue, IssueStatus
from tests.desk.conftest import member_of
from tests.factories import IssueFactory, NewsArticlePageFactory, SubscriptionFactory


@pytest.fixture
def editor_client(client, db):
    client.force_login(member_of("Editors", "eddie"))
    return client


@pytest.fixture
def issue(daily, health):
    first = NewsArticlePageFactory(parent=health, title="First story")
    second = NewsArticlePageFactory(parent=health, title="Second story")
    return IssueFactory(newsletter=daily, subject="Morning briefing", stories=[first, second])


def test_editors_see_issues_and_lists(editor_client, issue):
    listing = editor_client.get("/admin/newsletters/issues/")
    assert listing.status_code == 200
    assert "Morning briefing" in listing.content.decode()
    lists = editor_client.get("/admin/newsletters/lists/")
    assert lists.status_code == 200
    assert "Daily briefing" in lists.content.decode()


def test_editors_open_an_issue_with_its_actions(editor_client, issue):
    response = editor_client.get(f"/admin/newsletters/issues/edit/{issue.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/admin/newsletters/issue-actions/{issue.pk}/preview/" in html
    assert f"/admin/newsletters/issue-actions/{issue.pk}/test/" in html
    assert "First story" in html


def test_editors_add_an_intro_reorder_and_hold(editor_client, issue, daily):
    first, second = issue.stories.order_by("sort_order")
    data = nested_form_data(
        {
            "newsletter": daily.pk,
            "subject": "Morning briefing",
            "intro": "Welcome to the week.",
            "stories": inline_formset(
                [
                    # Dragging the second story up swaps the ORDER values, as the admin does.
                    {"id": first.pk, "page": first.page_id, "ORDER": "2"},
                    {"id": second.pk, "page": second.page_id, "ORDER": "1"},
                ],
                initial=2,
            ),
            "status": "held",
            "send_at": "2030-01-01 07:00",
        }
    )
    response = editor_client.post(f"/admin/newsletters/issues/edit/{issue.pk}/", data)
    assert response.status_code == 302
    saved = Issue.objects.get(pk=issue.pk)
    assert saved.intro == "Welcome to the week."
    assert saved.status == IssueStatus.HELD
    titles = [item.page.title for item in saved.stories.order_by("sort_order")]
    assert titles == ["Second story", "First story"]


def test_preview_shows_the_email(editor_client, issue):
    response = editor_client.get(f"/admin/newsletters/issue-actions/{issue.pk}/preview/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Morning briefing" in html
    assert "First story" in html
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_test_goes_to_the_editor_only(editor_client, issue, daily):
    SubscriptionFactory(newsletter=daily)
    response = editor_client.post(f"/admin/newsletters/issue-actions/{issue.pk}/test/")
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["eddie@example.org"]]
    assert mail.outbox[0].subject == "[Test] Morning briefing"
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SCHEDULED


def test_send_now_asks_then_sends_once(editor_client, issue, daily):
    SubscriptionFactory(newsletter=daily, subscriber__email="ada@example.org")
    asked = editor_client.get(f"/admin/newsletters/issue-actions/{issue.pk}/send/")
    assert "1 confirmed subscriber " in asked.content.decode()
    assert mail.outbox == []
    editor_client.post(f"/admin/newsletters/issue-actions/{issue.pk}/send/")
    editor_client.post(f"/admin/newsletters/issue-actions/{issue.pk}/send/")
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT


def test_writers_and_readers_cannot_act_on_issues(client, issue):
    client.force_login(member_of("Writers", "wendy"))
    for action in ("preview", "test", "send"):
        response = client.post(f"/admin/newsletters/issue-actions/{issue.pk}/{action}/")
        assert response.status_code in (302, 403)
        assert "Morning briefing" not in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SCHEDULED
    assert mail.outbox == []


@pytest.mark.parametrize("pk", [0, 999999])
def test_actions_on_a_missing_issue_are_not_found(editor_client, pk):
    assert editor_client.get(f"/admin/newsletters/issue-actions/{pk}/preview/").status_code == 404
