"""A page past its expiry time is gone from every channel at once, not when a command next runs."""

from datetime import timedelta

from django_comments_xtd.models import XtdComment

from django.core.management import call_command
from django.utils import timezone

from news.models import NewsArticlePage, StoryCorrection
from tests.channels import channels_showing
from tests.discussion.forms import fill_comment_form
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


def expire(page) -> None:
    NewsArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))


def test_expired_story_is_absent_from_every_channel_before_and_after_the_command(client, health):
    neighbour = NewsArticlePageFactory(parent=health, title="Neighbour story")
    story = NewsArticlePageFactory(parent=health, title="Embargoed scoop")
    StoryCorrection.objects.create(page=story, text="Embargoed scoop corrected.")
    assert set(channels_showing(client, story, "Embargoed scoop", neighbour)) >= {
        "its URL",
        "front page",
        "section page",
        "site RSS feed",
        "search",
        "API detail",
        "related panel",
        "corrections page",
        "comment reply page",
    }

    expire(story)
    assert channels_showing(client, story, "Embargoed scoop", neighbour) == []

    call_command("publish_scheduled", verbosity=0)
    story.refresh_from_db()
    assert not story.live
    assert channels_showing(client, story, "Embargoed scoop", neighbour) == []


def test_comments_close_with_the_story(client, article):
    action, data = fill_comment_form(client, article.url)
    expire(article)

    response = client.post(action, data)

    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_expired_section_leaves_the_navigation(client, home_page, health):
    gone = CategoryIndexPageFactory(parent=home_page, title="Old section")
    assert "Old section" in client.get("/").text
    CategoryIndexPageFactory._meta.model.objects.filter(pk=gone.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    assert "Old section" not in client.get(health.url).text
    assert client.get(gone.url).status_code == 404


def test_page_expiring_later_is_served(client, article):
    NewsArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.url).status_code == 200
