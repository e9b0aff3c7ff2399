"""What Varnish, a CDN and browsers are told they may keep.

Anonymous readers' pages are shared; anything personal, or any editor's or
comment tool, is never kept by a shared cache.
"""

import pytest

from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.caching import CacheControlMiddleware, strip_tracking_parameters

PUBLIC = "public, max-age=60, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400"


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", "pw")


def test_anonymous_article_is_public_for_the_configured_times(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert not response.cookies


def test_anonymous_head_request_is_public(client, article):
    assert client.head(article.url)["Cache-Control"] == PUBLIC


def test_cache_times_come_from_settings(client, article, settings):
    settings.CACHE_MAX_AGE = 5
    settings.CACHE_S_MAXAGE = 3600
    settings.CACHE_STALE_WHILE_REVALIDATE = 10
    settings.CACHE_STALE_IF_ERROR = 600
    assert client.get(article.url)["Cache-Control"] == (
        "public, max-age=5, s-maxage=3600, stale-while-revalidate=10, stale-if-error=600"
    )


def test_missing_page_is_public_so_a_flood_of_404s_is_absorbed(client, home_page):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert response["Cache-Control"] == PUBLIC


def test_permanent_redirect_is_public(client, health):
    response = client.get("/health")
    assert response.status_code == 301
    assert response["Cache-Control"] == PUBLIC


def test_article_page_still_sets_no_csrf_cookie_for_anonymous_readers(article):
    response = Client(enforce_csrf_checks=True).get(article.url)
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text
    assert response["Cache-Control"] == PUBLIC


def test_signed_in_reader_gets_a_private_page_that_varies_on_the_cookie(client, article, reader):
    client.force_login(reader)
    response = client.get(article.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def test_response_setting_a_cookie_is_private():
    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    response = CacheControlMiddleware(view)(RequestFactory().get("/somewhere/"))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def test_public_header_set_by_a_view_is_made_private_when_it_sets_a_cookie():
    def view(request):
        response = HttpResponse("hello")
        response["Cache-Control"] = "public, max-age=300"
        response.set_cookie("seen", "1")
        return response

    response = CacheControlMiddleware(view)(RequestFactory().get("/somewhere/"))
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_header_set_by_a_view_is_kept_for_anonymous_readers():
    def view(request):
        response = HttpResponse("feed")
        response["Cache-Control"] = "public, max-age=900"
        return response

    response = CacheControlMiddleware(view)(RequestFactory().get("/feed/"))
    assert response["Cache-Control"] == "public, max-age=900"


def test_server_error_is_not_made_cacheable():
    response = CacheControlMiddleware(lambda request: HttpResponse(status=500))(RequestFactory().get("/x/"))
    assert not response.has_header("Cache-Control")


def test_temporary_redirect_is_not_made_cacheable():
    response = CacheControlMiddleware(lambda request: HttpResponse(status=302))(RequestFactory().get("/x/"))
    assert not response.has_header("Cache-Control")


def test_admin_is_never_cacheable(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/", "/comments/anything/", "/healthz"])
def test_editor_and_comment_paths_are_never_cacheable_even_when_a_view_forgets(path):
    response = CacheControlMiddleware(lambda request: HttpResponse("x"))(RequestFactory().get(path))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_comment_post_result_is_never_cacheable(client, article):
    response = client.post("/comments/post/", {"comment": "incomplete"})
    assert "public" not in response.get("Cache-Control", "")
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_post_to_a_page_is_never_cacheable():
    response = CacheControlMiddleware(lambda request: HttpResponse("x"))(RequestFactory().post("/health/"))
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_never_cacheable(client, db):
    assert client.get("/healthz")["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/a/", "/a/"),
        ("/a/?utm_source=news&utm_medium=email", "/a/"),
        ("/a/?page=2&utm_source=news", "/a/?page=2"),
        ("/a/?utm_campaign=x&page=2", "/a/?page=2"),
        ("/a/?x=1&fbclid=abc&gclid=def&y=2", "/a/?x=1&y=2"),
        ("/a/?mc_cid=1&mc_eid=2", "/a/"),
        ("/a/?b=2&a=1", "/a/?b=2&a=1"),
        ("/a/?notutm_source=1", "/a/?notutm_source=1"),
        ("/a/?utm_source", "/a/"),
    ],
)
def test_tracking_parameters_are_stripped_and_the_rest_kept_in_order(url, key):
    assert strip_tracking_parameters(url) == key
