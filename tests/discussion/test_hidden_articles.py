"""A comment's side pages show no more of an article than the article itself.

Comment ids are sequential: the flag, reply, permalink and "posted" pages and
the form's post must refuse, alike, a comment whose article a visitor cannot
read (unpublished, expired, rescheduled, behind a password or a login).
"""

from datetime import timedelta

import pytest
from django_comments_xtd.models import XtdComment

from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.discussion.forms import fill_comment_form
from tests.factories import LiveBlogPageFactory, NewsArticlePageFactory, ReaderCommentFactory


def hide(article, how: str) -> None:
    if how == "unpublished":
        article.unpublish()
    elif how == "expired":
        article.expire_at = timezone.now() - timedelta(minutes=1)
        article.save()
    elif how == "rescheduled":
        article.live = False
        article.go_live_at = timezone.now() + timedelta(days=1)
        article.save()
    elif how == "password":
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
    elif how == "login":
        PageViewRestriction.objects.create(page=article, restriction_type="login")
    elif how == "private section":
        PageViewRestriction.objects.create(page=article.get_parent(), restriction_type="login")


HOW = ["unpublished", "expired", "rescheduled", "password", "login", "private section"]


@pytest.fixture(params=["article", "live blog"])
def story(request, health):
    factory = NewsArticlePageFactory if request.param == "article" else LiveBlogPageFactory
    return factory(parent=health, title="Secret merger talks")


@pytest.mark.parametrize("how", HOW)
def test_side_pages_of_a_comment_on_a_hidden_story_are_not_found(client, story, how):
    comment = ReaderCommentFactory(article=story, comment="I heard about this merger")
    # Before: every side page answers.
    assert client.get(f"/comments/flag/{comment.pk}/").status_code == 200
    hide(story, how)
    for url in [
        f"/comments/flag/{comment.pk}/",
        f"/comments/reply/{comment.pk}/",
        f"/comments/link/{comment.pk}/",
        f"/comments/posted/?c={comment.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret merger talks" not in response.text
        assert "I heard about this merger" not in response.text
        assert story.url_path not in response.get("Location", "")


@pytest.mark.parametrize("how", HOW)
def test_a_form_taken_before_the_story_was_hidden_cannot_post_to_it(client, story, how):
    comment = ReaderCommentFactory(article=story)
    action, data = fill_comment_form(client, story.url)
    reply = client.get(f"/comments/reply/{comment.pk}/")
    assert reply.status_code == 200
    hide(story, how)
    response = client.post(action, data)
    assert response.status_code == 400
    assert XtdComment.objects.count() == 1


def test_flagging_a_comment_on_a_hidden_story_stores_no_flag(client, story):
    comment = ReaderCommentFactory(article=story)
    hide(story, "login")
    assert client.post(f"/comments/flag/{comment.pk}/").status_code == 404
    assert not comment.reader_flags.exists()


def test_reader_signed_in_may_comment_on_a_story_restricted_to_signed_in_readers(
    client, story, django_user_model
):
    hide(story, "login")
    user = django_user_model.objects.create_user("reader", email="reader@example.org", password="pw")
    client.force_login(user)
    comment = ReaderCommentFactory(article=story)
    assert client.get(f"/comments/reply/{comment.pk}/").status_code == 200
    action, data = fill_comment_form(client, story.url)
    assert client.post(action, data).status_code == 302
    assert XtdComment.objects.count() == 2


def test_confirmation_redirect_of_a_hidden_story_is_not_found(client, story):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(story)
    assert client.get(f"/comments/cr/{content_type.pk}/{story.pk}/").status_code == 302
    hide(story, "password")
    assert client.get(f"/comments/cr/{content_type.pk}/{story.pk}/").status_code == 404
