from datetime import timedelta

import pytest
from django_comments_xtd.models import XtdComment

from django.core import mail
from django.utils import timezone

from discussion.models import CommentScreening
from tests.discussion.forms import read_comment_form
from tests.factories import ReaderCommentFactory, ReaderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comment_settings")]


@pytest.fixture
def confirm_email():
    from django_comments_xtd.conf import settings as xtd_settings

    before = xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL
    xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    yield
    xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL = before


def reader_post(client, article, comment="Signed-in words.", with_token=True):
    """What the page's script does: the cached form, the token from me.json, no name nor e-mail."""
    action, data = read_comment_form(client.get(article.url).text)
    assert "csrfmiddlewaretoken" not in data, "the cached page must hold no token"
    if with_token:
        data["csrfmiddlewaretoken"] = client.get("/account/me.json").json()["csrf_token"]
    data.pop("name"), data.pop("email"), data.pop("url", None)
    data["comment"] = comment
    return client.post(action, data)


def test_a_signed_in_reader_comments_without_name_email_or_confirmation(
    reader_client, reader, article, confirm_email
):
    response = reader_post(reader_client, article)
    assert response.status_code == 302
    comment = XtdComment.objects.get(comment="Signed-in words.")
    assert (comment.user_id, comment.user_name, comment.user_email) == (
        reader.pk,
        "Ada L.",
        "ada@example.org",
    )
    assert comment.is_public
    assert mail.outbox == []
    assert "Signed-in words." in reader_client.get(article.url).text


def test_a_signed_in_readers_post_needs_the_token(reader, article):
    from django.test import Client

    from tests.readers.conftest import sign_in_as

    browser = Client(enforce_csrf_checks=True)
    sign_in_as(browser, reader)
    browser.get("/account/me.json")  # The CSRF cookie is there; the token is not sent.
    response = reader_post(browser, article, with_token=False)
    assert response.status_code == 403
    assert not XtdComment.objects.exists()


def test_the_spam_guard_still_holds_signed_in_comments(reader_client, article, comment_settings):
    comment_settings.blocklist = "casino"
    comment_settings.save()
    response = reader_post(reader_client, article, comment="Visit my casino")
    assert response.status_code == 200
    comment = XtdComment.objects.get()
    assert not comment.is_public


def own(reader, article, **kwargs):
    return ReaderCommentFactory(
        article=article, user=reader, user_name="Ada L.", user_email=reader.email, **kwargs
    )


def test_a_reader_edits_their_comment_within_15_minutes(reader_client, reader, article):
    comment = own(reader, article, comment="Typo hree.")
    form = reader_client.get(f"/account/comments/{comment.pk}/edit/")
    assert form.status_code == 200 and "Typo hree." in form.text
    response = reader_client.post(f"/account/comments/{comment.pk}/edit/", {"comment": "Typo here."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.comment == "Typo here." and comment.is_public
    assert "Typo here." in reader_client.get(article.url).text


def test_after_15_minutes_the_comment_cannot_be_edited(reader_client, reader, article):
    comment = own(reader, article, comment="Old words.", submit_date=timezone.now() - timedelta(minutes=16))
    response = reader_client.post(f"/account/comments/{comment.pk}/edit/", {"comment": "New words."})
    assert response.status_code == 403
    assert "15 minutes" in response.text
    comment.refresh_from_db()
    assert comment.comment == "Old words."
    assert "Edit</a>" not in reader_client.get("/account/").text


def test_an_edit_goes_through_the_spam_guard(reader_client, reader, article, comment_settings):
    comment_settings.blocklist = "casino"
    comment_settings.save()
    comment = own(reader, article, comment="Innocent.")
    response = reader_client.post(f"/account/comments/{comment.pk}/edit/", {"comment": "Now a casino ad."})
    assert response.status_code == 200 and "awaiting review" in response.text
    comment.refresh_from_db()
    assert not comment.is_public
    assert "edited by its author" in CommentScreening.objects.get(comment_id=comment.pk).reasons


@pytest.mark.parametrize("text", ["", "   ", "x" * 3001])
def test_a_bad_edit_is_refused(reader_client, reader, article, text):
    comment = own(reader, article, comment="Kept.")
    response = reader_client.post(f"/account/comments/{comment.pk}/edit/", {"comment": text})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.comment == "Kept."


def test_a_reader_deletes_their_own_comment(reader_client, reader, article):
    comment = own(reader, article, comment="Regretted.")
    assert reader_client.get(f"/account/comments/{comment.pk}/delete/").status_code == 200
    response = reader_client.post(f"/account/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_removed and comment.comment == ""
    assert "Regretted." not in reader_client.get(article.url).text


def test_nobody_else_edits_or_deletes_a_readers_comment(client, reader, article):
    comment = own(reader, article, comment="Mine alone.")
    from tests.readers.conftest import sign_in_as

    sign_in_as(client, ReaderFactory())
    for path in (f"/account/comments/{comment.pk}/edit/", f"/account/comments/{comment.pk}/delete/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"comment": "Hijacked."}).status_code == 404
    comment.refresh_from_db()
    assert comment.comment == "Mine alone." and not comment.is_removed
