"""Every kind of bad post is refused clearly (400, or the form again), never a 500, and nothing is stored."""

import time
from datetime import timedelta

import pytest
from django_comments_xtd.models import XtdComment

from django.utils import timezone

from discussion.forms import ReaderCommentForm
from discussion.models import ReaderCommentsMode
from tests.discussion.forms import fill_comment_form
from tests.factories import NewsArticlePageFactory, ReaderCommentFactory


def signed_fields(article, timestamp: int) -> dict[str, str]:
    """Security fields that carry a valid hash over the given timestamp."""
    form = ReaderCommentForm(article)
    return {"timestamp": str(timestamp), "security_hash": form.initial_security_hash(timestamp)}


def test_tampered_security_hash_is_refused(client, article):
    action, data = fill_comment_form(client, article.url)
    data["security_hash"] = ("0" if data["security_hash"][0] != "0" else "1") + data["security_hash"][1:]
    response = client.post(action, data)
    assert response.status_code == 400
    assert "This comment form has expired or was altered." in response.text
    assert not XtdComment.objects.exists()


def test_form_pointed_at_another_article_is_refused(client, article, health):
    other = NewsArticlePageFactory(parent=health)
    action, data = fill_comment_form(client, article.url)
    data["object_pk"] = str(other.pk)
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


def test_expired_timestamp_is_refused(client, article):
    action, data = fill_comment_form(client, article.url)
    data.update(signed_fields(article, int(time.time()) - 3 * 60 * 60))
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


def test_timestamp_from_the_future_is_refused(client, article):
    action, data = fill_comment_form(client, article.url)
    data.update(signed_fields(article, int(time.time()) + 60 * 60))
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


def test_non_numeric_timestamp_is_refused(client, article):
    action, data = fill_comment_form(client, article.url)
    data["timestamp"] = "yesterday"
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "comment"])
def test_missing_field_shows_the_form_again_with_the_error_next_to_it(client, article, field):
    action, data = fill_comment_form(client, article.url)
    del data[field]
    response = client.post(action, data)
    assert response.status_code == 200
    assert "Please correct your comment" in response.text
    error = response.text.split(f'name="{field}"', 1)[1].split("</p>", 1)[0]
    assert "This field is required." in error
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("field", ["content_type", "object_pk", "security_hash", "timestamp"])
def test_missing_security_field_is_refused(client, article, field):
    action, data = fill_comment_form(client, article.url)
    del data[field]
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


def test_comment_over_3000_characters_shows_the_form_again(client, article):
    action, data = fill_comment_form(client, article.url, comment="x" * 3001)
    response = client.post(action, data)
    assert response.status_code == 200
    assert "Ensure this value has at most 3000 characters (it has 3001)." in response.text
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 51, "Ensure this value has at most 50 characters"),
        ("url", "https://example.org/" + "p" * 300, "Ensure this value has at most 200 characters"),
        ("email", "e" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
    ],
)
def test_oversized_field_shows_the_form_again(client, article, field, value, message):
    action, data = fill_comment_form(client, article.url, **{field: value})
    response = client.post(action, data)
    assert response.status_code == 200
    assert message in response.text
    assert not XtdComment.objects.exists()


def test_ten_megabyte_body_is_refused(client, article):
    action, data = fill_comment_form(client, article.url, comment="x" * (10 * 1024 * 1024))
    response = client.post(action, data)
    assert response.status_code == 400
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "@example.org", "ada example@example.org"])
def test_invalid_email_shows_the_form_again(client, article, email):
    action, data = fill_comment_form(client, article.url, email=email)
    response = client.post(action, data)
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not XtdComment.objects.exists()


def test_invalid_website_shows_the_form_again(client, article):
    action, data = fill_comment_form(client, article.url, url="javascript:alert(1)")
    response = client.post(action, data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.text
    assert not XtdComment.objects.exists()


def reply_data(client, article, parent_id) -> tuple[str, dict[str, str]]:
    action, data = fill_comment_form(client, article.url, comment="A reply")
    data["reply_to"] = str(parent_id)
    return action, data


def test_reply_to_a_comment_of_another_article_is_refused(client, article, health):
    other = NewsArticlePageFactory(parent=health)
    foreign = ReaderCommentFactory(article=other)
    response = client.post(*reply_data(client, article, foreign.pk))
    assert response.status_code == 200
    assert "not on this article, or not public" in response.text
    assert not XtdComment.objects.filter(comment="A reply").exists()


@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}])
def test_reply_to_a_comment_that_is_not_public_is_refused(client, article, state):
    hidden = ReaderCommentFactory(article=article, **state)
    response = client.post(*reply_data(client, article, hidden.pk))
    assert response.status_code == 200
    assert "not on this article, or not public" in response.text
    assert not XtdComment.objects.filter(comment="A reply").exists()
    assert client.get(f"/comments/reply/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("parent_id", "message"),
    [
        (999_999, "not on this article, or not public"),
        (-5, "Ensure this value is greater than or equal to 0."),
        (99_999_999_999_999_999_999, "Ensure this value is less than or equal to 2147483647."),
    ],
)
def test_reply_to_a_missing_comment_is_refused(client, article, parent_id, message):
    response = client.post(*reply_data(client, article, parent_id))
    assert response.status_code == 200
    assert message in response.text
    assert not XtdComment.objects.exists()


def test_reply_to_something_that_is_not_a_number_is_refused(client, article):
    action, data = fill_comment_form(client, article.url)
    data["reply_to"] = "first"
    response = client.post(action, data)
    assert response.status_code == 200
    assert "Enter a whole number." in response.text
    assert not XtdComment.objects.exists()


def test_reply_deeper_than_max_level_is_refused(client, article, comment_settings):
    assert comment_settings.max_depth == 3
    deepest = ReaderCommentFactory(article=article)
    for _ in range(3):
        deepest = ReaderCommentFactory(parent=deepest)
    assert deepest.level == 3
    response = client.post(*reply_data(client, article, deepest.pk))
    assert response.status_code == 200
    assert "This thread cannot go deeper" in response.text
    assert not XtdComment.objects.filter(comment="A reply").exists()
    assert client.get(f"/comments/reply/{deepest.pk}/").status_code == 400
    deepest_html = client.get(article.url).text.split(f'id="c{deepest.pk}"', 1)[1].split("</li>")[0]
    assert "Reply</a>" not in deepest_html


def test_max_depth_is_a_site_setting(client, article, comment_settings):
    comment_settings.max_depth = 1
    comment_settings.save()
    top = ReaderCommentFactory(article=article)
    reply = ReaderCommentFactory(parent=top)
    assert client.post(*reply_data(client, article, top.pk)).status_code == 302
    response = client.post(*reply_data(client, article, reply.pk))
    assert "This thread cannot go deeper" in response.text


@pytest.mark.parametrize("mode", [ReaderCommentsMode.CLOSED, ReaderCommentsMode.HIDDEN])
def test_post_to_an_article_with_comments_switched_off_is_refused(client, article, mode):
    action, data = fill_comment_form(client, article.url)
    article.reader_comments = mode
    article.save_revision().publish()
    response = client.post(action, data)
    assert response.status_code == 400
    assert "Comments are closed on this article." in response.text
    assert not XtdComment.objects.exists()


def test_post_after_the_automatic_close_is_refused(client, article, comment_settings):
    action, data = fill_comment_form(client, article.url)
    article.first_published_at = timezone.now() - timedelta(days=comment_settings.auto_close_after_days + 1)
    article.save()
    response = client.post(action, data)
    assert response.status_code == 400
    assert "Comments are closed on this article." in response.text
    assert not XtdComment.objects.exists()


def test_comment_on_something_other_than_an_article_is_refused(client, article, home_page):
    action, data = fill_comment_form(client, article.url)
    data.update(content_type="home.homepage", object_pk=str(home_page.pk))
    form = ReaderCommentForm(home_page)
    data.update(form.generate_security_data())
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("object_pk", ["999999", "abc", "", "-1", "99999999999999999999999"])
def test_comment_on_a_missing_article_is_refused(client, article, object_pk):
    action, data = fill_comment_form(client, article.url)
    data["object_pk"] = object_pk
    assert client.post(action, data).status_code == 400
    assert not XtdComment.objects.exists()


def test_posting_needs_post(client, article):
    assert client.get("/comments/post/").status_code == 405


@pytest.mark.parametrize("path", ["link", "reply", "flag"])
def test_comment_ids_too_large_for_the_database_are_not_found(client, path):
    url = f"/comments/{path}/99999999999999999999999/"
    response = client.post(url) if path == "flag" else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("key", ["99999999999999999999999", "0"])
def test_landing_page_for_an_unknown_comment_is_not_found(client, key):
    assert client.get(f"/comments/posted/?c={key}").status_code == 404


def test_redirect_to_an_article_ignores_ids_too_large_for_the_database(client):
    assert client.get("/comments/cr/99999999999999999999/1/").status_code == 404
    assert client.get("/comments/cr/1/99999999999999999999/").status_code == 404
