"""Each role's dashboard shows the stories that role works on, and nothing it may not open."""

from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk.roles import READER_COMMENT_MODERATORS
from tests.desk.conftest import member_of
from tests.factories import NewsArticlePageFactory

SCHEDULED = "EMBARGOED SCHEDULED HEADLINE"
EDITORS_DRAFT = "Editor draft unfinished"
WRITERS_DRAFT = "Writer story half written"
IN_REVIEW = "Story waiting for an editor"
OTHER_WRITERS_SCHEDULED = "Other embargo"


@pytest.fixture
def moderator(db):
    return member_of(READER_COMMENT_MODERATORS, "morgan")


@pytest.fixture
def newsroom(health, writer, editor):
    """A scheduled story, drafts of an editor and of a writer, and a writer's story in review."""
    scheduled = NewsArticlePageFactory(parent=health, title=SCHEDULED, live=False, owner=editor)
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    scheduled.save_revision(user=editor, approved_go_live_at=scheduled.go_live_at)

    editors_draft = NewsArticlePageFactory(parent=health, title=EDITORS_DRAFT, live=False, owner=editor)
    editors_draft.save_revision(user=editor)

    writers_draft = NewsArticlePageFactory(parent=health, title=WRITERS_DRAFT, live=False, owner=writer)
    writers_draft.save_revision(user=writer)

    in_review = NewsArticlePageFactory(parent=health, title=IN_REVIEW, live=False, owner=writer)
    in_review.save_revision(user=writer)
    in_review.get_workflow().start(in_review, writer)
    return {"scheduled": scheduled, "in_review": in_review}


def dashboard_of(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.text


def test_moderator_dashboard_shows_no_headline_and_no_page_panels(client, moderator, newsroom):
    html = dashboard_of(client, moderator)

    for headline in (SCHEDULED, EDITORS_DRAFT, WRITERS_DRAFT, IN_REVIEW):
        assert headline not in html
    for heading in ("Your drafts", "Scheduled stories", "Your most recent edits", "Your locked pages"):
        assert heading not in html


def test_writer_sees_only_the_stories_they_may_edit(client, writer, newsroom):
    html = dashboard_of(client, writer)

    assert WRITERS_DRAFT in html and IN_REVIEW in html
    assert SCHEDULED not in html and EDITORS_DRAFT not in html


def test_writer_sees_a_scheduled_story_of_their_own(client, writer, health):
    own = NewsArticlePageFactory(parent=health, title="My embargoed story", live=False, owner=writer)
    own.save_revision(user=writer, approved_go_live_at=timezone.now() + timedelta(days=1))

    assert "My embargoed story" in dashboard_of(client, writer)


def test_editor_sees_every_scheduled_story_and_what_awaits_review(client, editor, newsroom):
    html = dashboard_of(client, editor)

    assert SCHEDULED in html and EDITORS_DRAFT in html and IN_REVIEW in html
    assert "Goes live" in html


def test_story_in_review_says_in_review_not_draft(client, writer, newsroom):
    html = dashboard_of(client, writer)
    drafts_panel = html[html.index('id="desk-drafts-section"') :]
    row = drafts_panel[drafts_panel.index(IN_REVIEW) :]
    row = row[: row.index("</tr>")]

    assert "In review" in row and "Draft" not in row


def test_story_sent_back_says_changes_requested(client, writer, editor, newsroom):
    story = newsroom["in_review"]
    task_state = story.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "reject", comment="Shorter, please.")

    html = dashboard_of(client, writer)
    drafts_panel = html[html.index('id="desk-drafts-section"') :]
    row = drafts_panel[drafts_panel.index(IN_REVIEW) :]
    assert "Changes requested" in row[: row.index("</tr>")]


def test_dashboard_queries_do_not_grow_with_the_number_of_stories(client, editor, health):
    def schedule(first: int, count: int) -> None:
        for n in range(first, first + count):
            story = NewsArticlePageFactory(parent=health, title=f"Embargo {n:02}", live=False, owner=editor)
            story.save_revision(user=editor, approved_go_live_at=timezone.now() + timedelta(days=1, hours=n))

    client.force_login(editor)
    schedule(0, 1)
    client.get("/admin/")  # warms the caches
    with CaptureQueriesContext(connection) as one_story:
        client.get("/admin/")
    schedule(1, 14)
    with CaptureQueriesContext(connection) as fifteen_stories:
        html = client.get("/admin/").text

    assert len(fifteen_stories.captured_queries) == len(one_story.captured_queries)
    scheduled_panel = html[html.index('id="desk-scheduled-section"') :]
    assert "Embargo 00" in scheduled_panel and "Embargo 09" in scheduled_panel
    assert "Embargo 10" not in scheduled_panel  # soonest ten only
