"""Writers draft and submit, editors approve and publish: driven through the admin as each role."""

import pytest

from django.core import mail

from wagtail.models import Page, WorkflowState

from news.models import NewsArticlePage
from tests.admin_forms import story_form
from tests.factories import NewsArticlePageFactory

ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def test_writer_submits_a_story_which_waits_for_an_editor(client, writer_client, editor, health):
    response = writer_client.post(ADD_ARTICLE.format(health.pk), story_form("action-submit"))

    assert response.status_code == 302
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert not story.live
    assert story.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert story.current_workflow_task.name == "Editors review"
    assert client.get("/health/written-in-the-admin/").status_code == 404
    # The editor is told by email and on the dashboard.
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "Written in the admin" in mail.outbox[0].subject + mail.outbox[0].body


def test_editor_sees_the_submission_and_approves_it(client, writer_client, editor, health):
    writer_client.post(ADD_ARTICLE.format(health.pk), story_form("action-submit"))
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    client.force_login(editor)

    dashboard = client.get("/admin/")
    assert "Awaiting your review" in dashboard.text
    assert "Written in the admin" in dashboard.text

    task_state = story.current_workflow_state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{story.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live
    client.logout()
    assert client.get("/health/written-in-the-admin/").status_code == 200


def test_editor_requests_changes_with_a_comment(client, writer_client, writer, editor, health):
    writer_client.post(ADD_ARTICLE.format(health.pk), story_form("action-submit"))
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    client.force_login(editor)
    task_state = story.current_workflow_state.current_task_state

    client.post(
        f"/admin/pages/workflow/action/{story.pk}/reject/{task_state.pk}/",
        {"comment": "Please name the study's authors."},
    )

    story.refresh_from_db()
    assert not story.live
    assert story.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(writer)
    edit_view = client.get(f"/admin/pages/{story.pk}/edit/")
    assert "Please name the study" in edit_view.text


def test_writer_publish_button_is_refused_and_nothing_is_stored(writer_client, health):
    response = writer_client.post(ADD_ARTICLE.format(health.pk), story_form("action-publish"), follow=True)

    assert "You may not publish this page" in response.text
    assert not NewsArticlePage.objects.filter(slug="written-in-the-admin").exists()


def test_writer_crafted_publish_of_an_existing_story_is_refused(writer_client, writer, health):
    story = NewsArticlePageFactory(parent=health, title="Draft", slug="draft", live=False, owner=writer)
    story.save_revision(user=writer)

    response = writer_client.post(
        f"/admin/pages/{story.pk}/edit/",
        story_form("action-publish", title="Changed", slug="draft"),
        follow=True,
    )

    assert "You may not publish this page" in response.text
    story.refresh_from_db()
    assert (story.live, story.title, story.get_latest_revision().as_object().title) == (
        False,
        "Draft",
        "Draft",
    )


def test_writer_cannot_bulk_publish_or_unpublish(writer_client, writer, health, article):
    draft = NewsArticlePageFactory(parent=health, title="Draft", live=False, owner=writer)
    draft.save_revision(user=writer)

    writer_client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next=/admin/", {"include_descendants": ""}
    )
    writer_client.post(f"/admin/pages/{article.pk}/unpublish/")

    assert not Page.objects.get(pk=draft.pk).live
    assert Page.objects.get(pk=article.pk).live


def test_writer_cannot_approve_a_review(writer_client, writer, editor, health):
    writer_client.post(ADD_ARTICLE.format(health.pk), story_form("action-submit"))
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    task_state = story.current_workflow_state.current_task_state

    response = writer_client.post(f"/admin/pages/workflow/action/{story.pk}/approve/{task_state.pk}/")

    assert response.status_code in (302, 403)
    story.refresh_from_db()
    assert not story.live


def test_writer_cannot_edit_outside_the_news_sections(writer_client, home_page):
    assert writer_client.get(f"/admin/pages/{home_page.pk}/edit/").status_code in (302, 403)
    response = writer_client.post(
        f"/admin/pages/{home_page.pk}/edit/", {"title": "Taken over", "slug": "home", "action-publish": "1"}
    )
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=home_page.pk).title != "Taken over"


def test_page_locked_by_an_editor_cannot_be_edited_by_another_user(client, editor, writer, health):
    story = NewsArticlePageFactory(parent=health, title="Locked", slug="locked", live=False, owner=writer)
    story.save_revision(user=writer)
    story.locked, story.locked_by = True, editor
    story.save()
    client.force_login(writer)

    response = client.post(
        f"/admin/pages/{story.pk}/edit/", story_form(None, title="Changed while locked", slug="locked")
    )

    assert "locked" in response.text.lower()
    assert story.get_latest_revision().as_object().title == "Locked"


def test_editor_publishes_directly(editor_client, health):
    response = editor_client.post(ADD_ARTICLE.format(health.pk), story_form("action-publish"))
    assert response.status_code == 302
    assert NewsArticlePage.objects.get(slug="written-in-the-admin").live


@pytest.mark.parametrize(
    "path", ["/admin/snippets/news/author/", "/admin/images/", "/admin/snippets/taggit/tag/"]
)
def test_editor_manages_authors_images_and_tags(editor_client, path):
    assert editor_client.get(path).status_code == 200
