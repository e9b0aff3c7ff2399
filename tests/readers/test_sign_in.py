import re
from datetime import timedelta

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from readers import sign_in
from readers.models import ReaderProfile, SignInRequest
from tests.readers.conftest import link_and_code

pytestmark = pytest.mark.django_db


def ask(client, email="new.reader@example.org", **extra):
    return client.post("/account/sign-in/", {"email": email, "website": "", **extra})


def test_unknown_address_gets_an_account_when_the_link_is_used(client):
    response = ask(client, "New.Reader@Example.org")
    assert response.status_code == 200
    assert "Check your e-mail" in response.text
    assert not get_user_model().objects.filter(email="new.reader@example.org").exists()
    [message] = mail.outbox
    assert message.to == ["new.reader@example.org"]
    link, code = link_and_code(message)

    path = link.split("testserver", 1)[1]
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "Sign in as new.reader@example.org?" in confirm.text
    assert not get_user_model().objects.filter(email="new.reader@example.org").exists()

    signed_in = client.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/account/"
    reader = get_user_model().objects.get(email="new.reader@example.org")
    assert (reader.is_staff, reader.is_superuser, reader.has_usable_password()) == (False, False, False)
    assert ReaderProfile.objects.filter(user=reader).exists()
    assert settings.READER_SESSION_COOKIE_NAME in signed_in.cookies
    assert settings.SESSION_COOKIE_NAME not in signed_in.cookies
    account = client.get("/account/")
    assert account.status_code == 200
    assert "new.reader@example.org" in account.text


def test_the_code_signs_in_the_same_as_the_link(client, reader):
    ask(client, reader.email)
    _, code = link_and_code(mail.outbox[0])
    response = client.post("/account/sign-in/code/", {"email": reader.email, "code": code})
    assert response.status_code == 302
    assert "Ada L." in client.get("/account/").text
    assert get_user_model().objects.filter(email=reader.email).count() == 1


def test_known_and_unknown_addresses_get_the_same_answer(client, reader):
    known = ask(client, reader.email).text.replace(reader.email, "ADDRESS")
    unknown = ask(client, "someone.else@example.org").text.replace("someone.else@example.org", "ADDRESS")
    strip_token = r'name="csrfmiddlewaretoken" value="[^"]+"'

    assert re.sub(strip_token, "", known) == re.sub(strip_token, "", unknown)
    assert len(mail.outbox) == 2


def test_an_editors_address_gets_the_same_page_and_no_mail(client, django_user_model):
    django_user_model.objects.create_user("editor", email="editor@example.org", password="pw", is_staff=True)
    response = ask(client, "editor@example.org")
    assert response.status_code == 200 and "Check your e-mail" in response.text
    assert mail.outbox == []
    assert not SignInRequest.objects.exists()


def test_a_filled_honeypot_sends_nothing_and_says_nothing(client):
    response = ask(client, website="http://spam.example")
    assert response.status_code == 200 and "Check your e-mail" in response.text
    assert mail.outbox == [] and not SignInRequest.objects.exists()


@pytest.mark.parametrize("email", ["", "not an address", "a\x00b@example.org", "x" * 300 + "@example.org"])
def test_a_bad_address_is_refused_with_the_form(client, email):
    response = ask(client, email)
    assert response.status_code == 400
    assert 'class="field-error" role="alert"' in response.text
    assert not SignInRequest.objects.exists()


def test_a_used_link_cannot_sign_in_again(client, reader):
    ask(client, reader.email)
    path = link_and_code(mail.outbox[0])[0].split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    client.post("/account/sign-out/")
    for method in (client.get, client.post):
        again = method(path)
        assert again.status_code == 400
        assert "already been used" in again.text
    assert client.get("/account/").status_code == 302


def test_an_expired_link_and_code_are_refused(client, reader):
    ask(client, reader.email)
    link, code = link_and_code(mail.outbox[0])
    SignInRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link.split("testserver", 1)[1])
    assert response.status_code == 400 and "has expired" in response.text
    response = client.post("/account/sign-in/code/", {"email": reader.email, "code": code})
    assert response.status_code == 400 and "not right, or it has expired" in response.text
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize("token", ["forged", "A" * 43, "x" * 500])
def test_a_forged_link_gets_a_clear_page(client, token):
    response = client.get(f"/account/sign-in/link/{token}/")
    assert response.status_code == 400
    assert "not valid" in response.text


def test_wrong_codes_use_up_the_email(client, reader):
    ask(client, reader.email)
    _, code = link_and_code(mail.outbox[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(sign_in.MAX_FAILED_CODES):
        response = client.post("/account/sign-in/code/", {"email": reader.email, "code": wrong})
        assert response.status_code == 400 and "not right" in response.text
    response = client.post("/account/sign-in/code/", {"email": reader.email, "code": code})
    assert response.status_code == 400
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "12\x0034"])
def test_a_malformed_code_is_refused(client, reader, code):
    response = client.post("/account/sign-in/code/", {"email": reader.email, "code": code})
    assert response.status_code == 400
    assert "6 digits" in response.text or "required" in response.text


def test_code_attempts_are_limited_per_client_address(client, reader):
    for _ in range(sign_in.MAX_CODE_ATTEMPTS_PER_CLIENT):
        assert (
            client.post("/account/sign-in/code/", {"email": reader.email, "code": "000000"}).status_code
            == 400
        )
    response = client.post("/account/sign-in/code/", {"email": reader.email, "code": "000000"})
    assert response.status_code == 429
    assert "wait 15 minutes" in response.text


def test_sign_in_emails_are_limited_per_address(client):
    for _ in range(sign_in.MAX_EMAILS_PER_ADDRESS):
        assert ask(client).status_code == 200
    response = ask(client)
    assert response.status_code == 429
    assert len(mail.outbox) == sign_in.MAX_EMAILS_PER_ADDRESS


def test_the_address_limit_holds_without_the_cache(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(sign_in.MAX_EMAILS_PER_ADDRESS):
        assert ask(client).status_code == 200
    assert ask(client).status_code == 429


def test_sign_in_emails_are_limited_per_client_address(client):
    for number in range(sign_in.MAX_EMAILS_PER_CLIENT):
        assert ask(client, f"reader{number}@example.org").status_code == 200
    assert ask(client, "one.more@example.org").status_code == 429
    assert len(mail.outbox) == sign_in.MAX_EMAILS_PER_CLIENT


def test_a_safe_next_address_is_where_sign_in_lands(client, reader, article):
    ask(client, reader.email, next=article.url)
    response = client.post(link_and_code(mail.outbox[0])[0].split("testserver", 1)[1])
    assert response["Location"] == article.url


def test_an_off_site_next_address_is_ignored(client, reader):
    ask(client, reader.email, next="https://evil.example/")
    response = client.post(link_and_code(mail.outbox[0])[0].split("testserver", 1)[1])
    assert response["Location"] == "/account/"


def test_a_link_redeemed_twice_at_once_signs_in_once(reader):
    issued = sign_in.issue(reader.email)
    found = sign_in.find_by_token(issued.token)
    sign_in.redeem(found)
    with pytest.raises(sign_in.SignInRefused):
        sign_in.redeem(found)


def test_only_digests_are_stored(client, reader):
    ask(client, reader.email)
    link, code = link_and_code(mail.outbox[0])
    stored = SignInRequest.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in (stored.token_digest, stored.code_digest)
    assert code not in stored.code_digest
