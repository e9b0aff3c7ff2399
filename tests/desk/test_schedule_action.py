"""Scheduling is where the editor's words say: "Schedule…" beside Publish opens the schedule dialog."""

from django.contrib.auth import get_user_model

from news.models import NewsArticlePage
from tests.admin_forms import story_form

SCHEDULE_BUTTON = '<button type="button" class="button" data-a11y-dialog-show="schedule-publishing-dialog">'
ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def offers_schedule(html: str) -> bool:
    # The button in the action menu; the status panel's own "Set schedule" toggle looks different.
    return SCHEDULE_BUTTON in html and "Schedule…" in html


def test_editor_sees_schedule_beside_publish_when_editing_and_creating(editor_client, article, health):
    html = editor_client.get(f"/admin/pages/{article.pk}/edit/").text
    assert offers_schedule(html)
    assert 'id="schedule-publishing-dialog"' in html  # what the button opens
    assert html.index("Publish") < html.index("Schedule…")
    assert offers_schedule(editor_client.get(ADD_ARTICLE.format(health.pk)).text)


def test_superuser_sees_schedule(client, article):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.org", "pw"))
    assert offers_schedule(client.get(f"/admin/pages/{article.pk}/edit/").text)


def test_writer_who_may_not_publish_is_not_offered_schedule(writer_client, health):
    html = writer_client.get(ADD_ARTICLE.format(health.pk)).text
    assert "Save draft" in html
    assert not offers_schedule(html)


def test_writer_editing_their_draft_is_not_offered_schedule(writer_client, health):
    draft_form = story_form(None, title="A writer's draft", slug="a-writers-draft")
    assert writer_client.post(ADD_ARTICLE.format(health.pk), draft_form).status_code == 302
    draft = NewsArticlePage.objects.get(slug="a-writers-draft")
    html = writer_client.get(f"/admin/pages/{draft.pk}/edit/").text
    assert "Save draft" in html
    assert not offers_schedule(html)


def test_page_locked_by_someone_else_offers_no_schedule(editor_client, article):
    other = get_user_model().objects.create_user("other", "other@example.org", "pw")
    article.locked, article.locked_by = True, other
    article.save()
    assert not offers_schedule(editor_client.get(f"/admin/pages/{article.pk}/edit/").text)


def test_settings_tab_points_to_the_schedule_where_it_is(editor_client, article):
    html = editor_client.get(f"/admin/pages/{article.pk}/edit/").text
    assert "use the schedule above" not in html
    assert "choose “Schedule…” in the menu beside Publish, or “Set schedule” in the Status panel" in html
