import json

import pytest
from django_comments_xtd.models import XtdComment

from django.conf import settings
from django.contrib.auth import get_user_model

from readers.comments import FORMER_READER_NAME
from tests.factories import ReaderCommentFactory, ReaderFactory
from tests.readers.conftest import sign_in_as

pytestmark = pytest.mark.django_db


def own_comment(reader, article, **kwargs):
    return ReaderCommentFactory(
        article=article, user=reader, user_name=reader.first_name, user_email=reader.email, **kwargs
    )


def test_the_account_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/"


def test_an_editors_session_is_not_a_reader_account(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", email="ed@example.org", password="pw", is_staff=True)
    client.force_login(editor)
    response = client.get("/account/")
    assert response.status_code == 403
    assert "signed in as an editor" in response.text


def test_the_account_page_shows_the_reader_and_their_comments(reader_client, reader, article):
    own_comment(reader, article, comment="My own words.")
    ReaderCommentFactory(article=article, comment="Somebody else's words.")
    response = reader_client.get("/account/")
    assert response.status_code == 200
    assert "Signed in as <strong>Ada L.</strong> (ada@example.org)" in response.text
    assert "My own words." in response.text
    assert "Somebody else" not in response.text
    assert f'href="{article.url}#c' in response.text
    assert "Download my data" in response.text and "Delete my account" in response.text


def test_my_comments_are_paginated_and_cost_the_same_however_many(
    reader_client, reader, article, django_assert_max_num_queries
):
    for number in range(45):
        own_comment(reader, article, comment=f"Comment {number}.")
    with django_assert_max_num_queries(20):
        first = reader_client.get("/account/")
    assert first.text.count('class="account-comment"') == 20
    assert "Comment 44." in first.text and "Comment 24." not in first.text
    third = reader_client.get("/account/?page=3")
    assert third.text.count('class="account-comment"') == 5
    assert "Comment 0." in third.text


def test_the_display_name_changes_and_names_new_comments(reader_client, reader):
    response = reader_client.post("/account/", {"display_name": "  Ada   Lovelace "})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.get_full_name() == "Ada Lovelace"


@pytest.mark.parametrize("name", ["", "   ", "x" * 51, "a\x00b"])
def test_a_bad_display_name_is_refused(reader_client, reader, name):
    response = reader_client.post("/account/", {"display_name": name})
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    reader.refresh_from_db()
    assert reader.first_name == "Ada L."


def test_download_my_data_has_the_account_and_its_comments(reader_client, reader, article):
    own_comment(reader, article, comment="Mine.")
    ReaderCommentFactory(article=article, comment="Not mine.")
    response = reader_client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ada@example.org"
    assert data["account"]["display_name"] == "Ada L."
    assert [c["comment"] for c in data["comments"]] == ["Mine."]
    assert data["comments"][0]["article"] == article.url


def test_download_needs_a_signed_in_reader(client):
    assert client.get("/account/my-data.json").status_code == 302


def test_deleting_the_account_can_remove_the_comments(reader_client, reader, article):
    comment = own_comment(reader, article, comment="Please forget this.")
    reply = ReaderCommentFactory(article=article, parent=comment, comment="A reply stays.")
    response = reader_client.post("/account/delete/", {"comments": "remove", "confirm": "on"})
    assert response.status_code == 200 and "Your account is deleted" in response.text
    assert not get_user_model().objects.filter(email="ada@example.org").exists()
    comment.refresh_from_db()
    assert (comment.is_removed, comment.comment, comment.user_email, comment.user_id) == (True, "", "", None)
    page = reader_client.get(article.url).text
    assert "Please forget this." not in page and "A reply stays." in page
    assert XtdComment.objects.filter(pk=reply.pk, is_removed=False).exists()
    assert reader_client.get("/account/").status_code == 302


def test_deleting_the_account_can_keep_the_comments_anonymised(reader_client, reader, article):
    comment = own_comment(reader, article, comment="Worth keeping.")
    reader_client.post("/account/delete/", {"comments": "anonymise", "confirm": "on"})
    comment.refresh_from_db()
    assert (comment.user_id, comment.user_name, comment.user_email) == (None, FORMER_READER_NAME, "")
    assert comment.comment == "Worth keeping." and not comment.is_removed
    page = reader_client.get(article.url).text
    assert "Worth keeping." in page and "Ada L." not in page


@pytest.mark.parametrize(
    "data", [{}, {"comments": "remove"}, {"comments": "keep-all", "confirm": "on"}, {"confirm": "on"}]
)
def test_deleting_needs_a_choice_and_a_confirmation(reader_client, reader, data):
    response = reader_client.post("/account/delete/", data)
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_signing_out_ends_the_session_and_drops_the_csrf_cookie(reader_client):
    reader_client.get("/account/me.json")
    response = reader_client.post("/account/sign-out/")
    assert response.status_code == 302
    assert response.cookies[settings.READER_SESSION_COOKIE_NAME]["max-age"] == 0
    assert response.cookies[settings.CSRF_COOKIE_NAME]["max-age"] == 0
    assert reader_client.get("/account/me.json").json()["signed_in"] is False


def test_a_reader_never_reaches_the_admin(client, reader):
    sign_in_as(client, reader)
    for path in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"], path
    # Even their session under the editors' cookie name opens nothing: a reader is not staff.
    client.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.READER_SESSION_COOKIE_NAME].value
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_me_json_tells_the_page_who_is_signed_in_and_is_never_stored(client, reader, article):
    anonymous = client.get("/account/me.json")
    assert anonymous.json()["signed_in"] is False
    assert "no-store" in anonymous["Cache-Control"] and "private" in anonymous["Cache-Control"]

    mine = own_comment(reader, article)
    theirs = ReaderCommentFactory(article=article)
    sign_in_as(client, reader)
    me = client.get(f"/account/me.json?comments={mine.pk},{theirs.pk},x,99999999999")
    assert me.status_code == 200
    assert "no-store" in me["Cache-Control"] and "private" in me["Cache-Control"]
    data = me.json()
    assert (data["signed_in"], data["display_name"]) == (True, "Ada L.")
    assert data["csrf_token"]
    assert [own["id"] for own in data["own_comments"]] == [mine.pk]
    assert data["own_comments"][0]["edit_url"] == f"/account/comments/{mine.pk}/edit/"


def test_the_account_page_offers_other_apps_a_place(reader_client, monkeypatch):
    from wagtail import hooks

    def newsletter_section(request, reader):
        return f"<section><h2>Newsletters for {reader.first_name}</h2></section>"

    with hooks.register_temporarily("reader_account_sections", newsletter_section):
        response = reader_client.get("/account/")
    assert "<section><h2>Newsletters for Ada L.</h2></section>" in response.text


def test_data_export_offers_other_apps_a_place(reader_client):
    from wagtail import hooks

    with hooks.register_temporarily("reader_data_export", lambda reader: {"newsletters": ["daily"]}):
        data = reader_client.get("/account/my-data.json").json()
    assert data["newsletters"] == ["daily"]


def test_current_reader_is_none_for_editors(rf, django_user_model):
    from readers.accounts import current_reader

    request = rf.get("/")
    request.user = django_user_model.objects.create_user("ed", is_staff=True)
    assert current_reader(request) is None
    request.user = ReaderFactory()
    assert current_reader(request) == request.user


def test_an_editor_signing_in_as_a_reader_keeps_their_session_and_the_link(client, django_user_model):
    from django.core import mail

    from tests.readers.conftest import link_and_code

    editor = django_user_model.objects.create_superuser("ed", email="ed@example.org", password="pw")
    client.post("/account/sign-in/", {"email": "someone@example.org"})
    client.force_login(editor)
    path = link_and_code(mail.outbox[0])[0].split("testserver", 1)[1]
    response = client.post(path)
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 200
    assert not get_user_model().objects.filter(email="someone@example.org").exists()
