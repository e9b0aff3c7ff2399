"""A signed-in reader's article, section and front page are everyone's page, as the app renders them."""

import re

import pytest

from django.conf import settings

from tests.readers.conftest import sign_in_as

pytestmark = pytest.mark.django_db


def without_form_clock(html: bytes) -> bytes:
    """The comment form's timestamp and its hash change with the second the page was rendered."""
    return re.sub(rb'(name="(?:timestamp|security_hash)" value=")[^"]*"', rb'\1"', html)


def reader_cookies(client) -> None:
    client.get("/account/me.json")  # As the page's script does: it also sets the CSRF cookie.
    assert settings.CSRF_COOKIE_NAME in client.cookies


@pytest.mark.parametrize("which", ["article", "section", "front"])
def test_a_signed_in_readers_page_is_the_public_page(client, reader, article, health, which):
    url = {"article": article.url, "section": health.url, "front": "/"}[which]
    anonymous = client.get(url)
    sign_in_as(client, reader)
    reader_cookies(client)
    signed_in = client.get(url)
    assert signed_in.status_code == 200
    assert signed_in["Cache-Control"] == anonymous["Cache-Control"]
    assert signed_in["Cache-Control"].startswith("public")
    assert signed_in.get("Vary") == anonymous.get("Vary")
    assert not signed_in.cookies
    assert without_form_clock(signed_in.content) == without_form_clock(anonymous.content)
    assert "Ada L." not in signed_in.text and "csrfmiddlewaretoken" not in signed_in.text


def test_every_page_carries_the_script_that_asks_me_json(client, article):
    html = client.get(article.url).text
    assert 'data-me-url="/account/me.json"' in html
    assert '<script src="/static/readers/readers.js" defer></script>' in html


def test_the_origin_page_cache_serves_signed_in_readers(client, reader, article, settings):
    settings.PAGE_CACHE = True
    first = client.get(article.url)
    assert first["X-Page-Cache"] == "miss"
    sign_in_as(client, reader)
    reader_cookies(client)
    second = client.get(article.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content  # The very same stored copy.


def test_editors_and_anonymous_form_users_still_skip_the_origin_page_cache(
    client, article, admin_user, settings
):
    settings.PAGE_CACHE = True
    client.get(article.url)
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert "X-Page-Cache" not in client.get(article.url)
    client.force_login(admin_user)
    assert "X-Page-Cache" not in client.get(article.url)


def test_account_pages_are_never_cached(reader_client):
    response = reader_client.get("/account/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
