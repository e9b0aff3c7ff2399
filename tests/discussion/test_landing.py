"""Where a reader lands after posting, whatever `next` the form carried, and what others learn there."""

import pytest
from django_comments_xtd.models import XtdComment

from django.db import OperationalError, models

from tests.discussion.forms import fill_comment_form
from tests.factories import ReaderCommentFactory


@pytest.mark.parametrize(
    "next_url", [None, "", "https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_post_without_a_same_site_next_lands_on_the_comment_once(client, article, next_url):
    action, data = fill_comment_form(client, article.url, comment="Only once, please.")
    if next_url is None:
        data.pop("next", None)
    else:
        data["next"] = next_url
    response = client.post(action, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/comments/posted/?c=")
    assert "evil" not in response["Location"]
    comment = XtdComment.objects.get()
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == f"{article.url}#c{comment.pk}"


def test_held_comment_is_announced_in_the_answer_to_the_post(client, article, comment_settings):
    comment_settings.blocklist = "casino"
    comment_settings.save()
    action, data = fill_comment_form(client, article.url, comment="Visit my casino")
    response = client.post(action, data)
    assert response.status_code == 200
    assert "moderator" in response.text.lower()
    assert XtdComment.objects.filter(is_public=False).count() == 1


@pytest.mark.parametrize("state", ["held", "removed"])
def test_landing_page_does_not_confirm_a_comment_that_is_not_public(client, article, state):
    comment = ReaderCommentFactory(
        article=article, is_public=state != "held", is_removed=state == "removed", comment="Hidden words"
    )
    response = client.get(f"/comments/posted/?c={comment.pk}")
    assert response.status_code == 404
    assert article.title not in response.text
    assert response.content == client.get("/comments/posted/?c=999999").content


def test_locked_database_answers_503_and_stores_nothing(client, article, monkeypatch):
    """django-comments-xtd writes the row, then its thread: a failure between must take the row with it."""
    action, data = fill_comment_form(client, article.url)

    def save_row_then_fail(self, *args, **kwargs):
        models.Model.save(self, *args, **kwargs)  # The row alone, thread_id still 0.
        raise OperationalError("database is locked")

    monkeypatch.setattr(XtdComment, "save", save_row_then_fail)
    response = client.post(action, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "was not stored" in response.text
    assert not XtdComment.objects.exists()
