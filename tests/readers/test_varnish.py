"""The site's VCL in a real varnishd in front of the app: a signed-in reader's article view is a HIT.

Skipped, saying so, where varnishd is not installed (Debian: apt-get install varnish).
"""

from __future__ import annotations

import json

import pytest

from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.test import Client

from wagtail.models import Locale, Page, Site

from home.models import HomePage
from tests.deploy.test_varnish import SECRET, VARNISHD, Varnish, start_varnishd
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, ReaderFactory

pytestmark = pytest.mark.skipif(
    VARNISHD is None, reason="varnishd is not installed (apt-get install varnish)"
)


@pytest.fixture
def site_behind_varnish(transactional_db, live_server, tmp_path):
    """The page tree (live-server tests flush it after each test) and varnishd before the live server."""
    root = Page.get_first_root_node()
    if root is None:
        locale = Locale.objects.get_or_create(language_code="en")[0]
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first() or root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Newsroom"
    )
    DjangoSite.objects.update_or_create(pk=1, defaults={"domain": "localhost", "name": "Newsroom"})
    section = CategoryIndexPageFactory(parent=home, title="Health")
    article = NewsArticlePageFactory(parent=section, title="A story for everyone")
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    process, port = start_varnishd(tmp_path, backend_port, SECRET)
    yield Varnish(port=port, app=None), article
    process.terminate()
    process.wait(timeout=10)


def reader_cookie_header() -> str:
    client = Client()
    client.force_login(ReaderFactory(first_name="Grace"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.READER_SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={'t' * 32}; _ga=1"


def test_a_signed_in_readers_second_article_view_is_a_hit(site_behind_varnish):
    varnish, article = site_behind_varnish
    cookie = reader_cookie_header()
    host = {"Host": "localhost"}

    first = varnish.request("GET", article.url, {**host, "Cookie": cookie})
    second = varnish.request("GET", article.url, {**host, "Cookie": cookie})
    assert (first[0], first[1]["x-cache"]) == (200, "MISS")
    assert (second[0], second[1]["x-cache"]) == (200, "HIT")
    assert "set-cookie" not in second[1]
    assert "Grace" not in second[2]
    # The same copy serves anyone.
    assert varnish.request("GET", article.url, host)[1]["x-cache"] == "HIT"

    # The personal part comes past the cache, with the reader's session.
    for _ in range(2):
        status, headers, body = varnish.request("GET", "/account/me.json", {**host, "Cookie": cookie})
        assert (status, headers["x-cache"]) == (200, "MISS")
        me = json.loads(body)
        assert (me["signed_in"], me["display_name"]) == (True, "Grace")
        assert "no-store" in headers["cache-control"]


def test_an_editors_session_still_passes(site_behind_varnish, django_user_model):
    varnish, article = site_behind_varnish
    client = Client()
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    varnish.request("GET", article.url, {"Host": "localhost"})
    response = varnish.request("GET", article.url, {"Host": "localhost", "Cookie": cookie})
    assert response[1]["x-cache"] == "MISS"
