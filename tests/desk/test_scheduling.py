"""Go-live and expiry times set in the admin work without anyone running a command by hand."""

from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from news.models import NewsArticlePage
from tests.admin_forms import story_form
from tests.channels import channels_showing
from tests.factories import NewsArticlePageFactory

ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def admin_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_scheduled_story_is_visible_nowhere_until_publish_scheduled_runs_past_its_time(
    client, editor, health
):
    neighbour = NewsArticlePageFactory(parent=health, title="Neighbour story")
    client.force_login(editor)
    go_live = timezone.now() + timedelta(hours=2)
    response = client.post(
        ADD_ARTICLE.format(health.pk),
        story_form(
            "action-publish", title="Midnight launch", slug="midnight-launch", go_live_at=admin_time(go_live)
        ),
    )
    assert response.status_code == 302
    story = NewsArticlePage.objects.get(slug="midnight-launch")
    assert "Midnight launch" in client.get("/admin/").text  # the dashboard's scheduled stories
    client.logout()

    assert channels_showing(client, story, "Midnight launch", neighbour) == []
    call_command("publish_scheduled", verbosity=0)
    story.refresh_from_db()
    assert not story.live
    assert channels_showing(client, story, "Midnight launch", neighbour) == []

    # Two hours later, when the minutely timer runs.
    with mock.patch("django.utils.timezone.now", return_value=go_live + timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
    story.refresh_from_db()
    assert story.live
    assert {"its URL", "front page", "section page", "site RSS feed"} <= set(
        channels_showing(client, story, "Midnight launch", neighbour)
    )


def test_expiry_before_go_live_is_refused_and_nothing_is_stored(editor_client, health):
    go_live = timezone.now() + timedelta(days=2)
    response = editor_client.post(
        ADD_ARTICLE.format(health.pk),
        story_form(
            "action-publish",
            go_live_at=admin_time(go_live),
            expire_at=admin_time(go_live - timedelta(days=1)),
        ),
    )
    assert response.status_code == 200
    assert "Go live date/time must be before expiry date/time" in response.text
    assert not NewsArticlePage.objects.filter(slug="written-in-the-admin").exists()
