"""The VCL's reader-cookie rule in a real varnishd before the deploy tests' stand-in app."""

import pytest

from tests.deploy import test_varnish as deploy

pytestmark = pytest.mark.skipif(
    deploy.VARNISHD is None, reason="varnishd is not installed (apt-get install varnish)"
)

# The deploy tests' module-scoped fixtures: a stand-in app that records what reached it.
app_server = deploy.app_server
varnish = deploy.varnish


READER_COOKIES = "reader_session=abc; csrftoken=def; _ga=1"


def test_the_reader_cookie_and_its_csrf_cookie_never_reach_a_cacheable_page(varnish):
    varnish.get("/reader-page/", Cookie=READER_COOKIES)
    assert varnish.app.requests[-1] == ("GET", "/reader-page/", "")
    assert varnish.get("/reader-page/", Cookie=READER_COOKIES)[1]["x-cache"] == "HIT"
    assert varnish.app.hits("/reader-page/") == 1


@pytest.mark.parametrize("path", ["/account/", "/account/me.json", "/comments/posted/"])
def test_account_pages_pass_with_the_reader_cookie(varnish, path):
    varnish.get(path, Cookie=READER_COOKIES)
    assert varnish.get(path, Cookie=READER_COOKIES)[1]["x-cache"] == "MISS"
    assert varnish.app.hits(path) == 2
    assert varnish.app.requests[-1][2] == READER_COOKIES


def test_an_editor_who_is_also_a_signed_in_reader_passes(varnish):
    cookie = "reader_session=abc; sessionid=ed"
    varnish.get("/editor-and-reader/", Cookie=cookie)
    assert varnish.get("/editor-and-reader/", Cookie=cookie)[1]["x-cache"] == "MISS"
    assert varnish.app.requests[-1][2] == cookie
