"""An editor approves or requests changes from the dashboard and is told what happened;
the writer sees the request and its comment."""

import pytest

from django.core import mail

from wagtail.models import WorkflowState

from news.models import NewsArticlePage
from tests.admin_forms import story_form

REQUEST = "Please name the study’s authors."


@pytest.fixture
def submitted(writer_client, health) -> NewsArticlePage:
    writer_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", story_form("action-submit"))
    mail.outbox.clear()
    return NewsArticlePage.objects.get(slug="written-in-the-admin")


def review_url(story, action: str) -> str:
    task_state = story.current_workflow_state.current_task_state
    return f"/admin/desk/review/{story.pk}/{action}/{task_state.pk}/"


def test_dashboard_review_buttons_post_to_the_confirming_action(client, editor, submitted):
    client.force_login(editor)
    html = client.get("/admin/").text

    assert f'data-workflow-action-url="{review_url(submitted, "approve")}"' in html
    assert f'data-workflow-action-url="{review_url(submitted, "reject")}"' in html
    # The "Request changes" dialog posts back to the same view.
    dialog = client.get(review_url(submitted, "reject")).json()
    assert review_url(submitted, "reject") in dialog["html"]


def test_approving_from_the_dashboard_says_it_was_published(client, editor, submitted):
    client.force_login(editor)
    response = client.post(review_url(submitted, "approve"), {"next": "/admin/"}, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "“Written in the admin” approved and published." in response.text
    submitted.refresh_from_db()
    assert submitted.live


def test_requesting_changes_from_the_dashboard_says_so(client, editor, submitted):
    client.force_login(editor)
    response = client.post(
        review_url(submitted, "reject"),
        {"comment": REQUEST, "next": "/admin/"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json() == {"step": "success", "redirect": "/admin/"}

    dashboard = client.get("/admin/").text
    assert "Changes requested on “Written in the admin”: the writer has been told." in dashboard
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_the_writer_sees_the_request_and_its_comment_on_the_edit_screen(
    client, writer_client, editor, submitted
):
    client.force_login(editor)
    client.post(review_url(submitted, "reject"), {"comment": REQUEST, "next": "/admin/"})

    edit_screen = writer_client.get(f"/admin/pages/{submitted.pk}/edit/").text
    messages = edit_screen[edit_screen.index('class="messages') :]
    messages = messages[: messages.index("</ul>")]
    assert f"Changes requested by eddie: “{REQUEST}”" in messages


def test_the_writer_is_emailed_changes_requested_not_rejected(settings, client, writer, editor, submitted):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True
    client.force_login(editor)
    client.post(review_url(submitted, "reject"), {"comment": REQUEST})

    [message] = mail.outbox
    assert message.to == [writer.email]
    assert message.subject == 'Changes requested on "Written in the admin"'
    assert "rejected" not in (message.subject + message.body).lower()
    assert f'Their comment: "{REQUEST}"' in message.body
    assert f"/admin/pages/{submitted.pk}/edit/" in message.body
    html = message.alternatives[0][0]
    assert "Changes requested on" in html and "rejected" not in html.lower()


def test_a_writer_cannot_approve_through_the_dashboard_action(writer_client, submitted):
    writer_client.post(review_url(submitted, "approve"))

    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_get_of_the_action_approves_nothing(client, editor, submitted):
    client.force_login(editor)
    client.get(review_url(submitted, "approve"))

    submitted.refresh_from_db()
    assert not submitted.live
