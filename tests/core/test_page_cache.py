"""Without Varnish, the origin page cache (PAGE_CACHE=on) serves anonymous readers from the cache."""

import pytest

from django.test import Client

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", "pw")


def test_second_anonymous_request_comes_from_the_cache_without_a_query(
    client, article, page_cache, django_assert_num_queries
):
    first = client.get(article.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"]


def test_cache_is_off_unless_switched_on(client, article):
    client.get(article.url)
    assert "X-Page-Cache" not in client.get(article.url)


def test_tracking_parameters_share_the_cached_page(client, article, page_cache):
    client.get(article.url)
    assert client.get(f"{article.url}?utm_source=newsletter&fbclid=x")["X-Page-Cache"] == "hit"


def test_other_parameters_are_different_pages(client, health, page_cache):
    NewsArticlePageFactory.create_batch(3, parent=health)
    client.get(health.url)
    assert client.get(f"{health.url}?page=1")["X-Page-Cache"] == "miss"
    assert client.get(f"{health.url}?page=2")["X-Page-Cache"] == "miss"
    assert client.get(f"{health.url}?page=2")["X-Page-Cache"] == "hit"


def test_missing_pages_are_cached_too(client, home_page, page_cache):
    assert client.get("/no-such-page/").status_code == 404
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["X-Page-Cache"] == "hit"


def test_signed_in_reader_never_gets_nor_fills_the_cached_page(client, article, reader, page_cache):
    client.force_login(reader)
    signed_in = client.get(article.url)
    assert "X-Page-Cache" not in signed_in
    assert signed_in["Cache-Control"] == "private, no-cache"
    client.logout()
    assert client.get(article.url)["X-Page-Cache"] == "miss"


def test_a_request_with_a_csrf_cookie_bypasses_the_cache(client, article, page_cache):
    client.get(article.url)
    client.cookies["csrftoken"] = "x" * 32
    assert "X-Page-Cache" not in client.get(article.url)


def test_admin_is_never_cached(client, db, page_cache):
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_publishing_purges_the_cached_page_and_its_section(
    article, health, page_cache, django_capture_on_commit_callbacks
):
    # Purges name the Wagtail site's host, as readers do.
    client = Client(HTTP_HOST="localhost")
    client.get(article.url)
    client.get(f"{health.url}?page=1")
    article.title = "A corrected headline"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    response = client.get(article.url)
    assert response["X-Page-Cache"] == "miss"
    assert "A corrected headline" in response.text
    assert client.get(f"{health.url}?page=1")["X-Page-Cache"] == "miss"


def test_moving_a_section_sends_readers_of_its_stories_old_address_on(
    article, health, home_page, page_cache, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST="localhost")
    old_address = article.url
    assert client.get(old_address).status_code == 200
    assert client.get(old_address)["X-Page-Cache"] == "hit"
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    with django_capture_on_commit_callbacks(execute=True):
        health.move(world, pos="last-child")

    response = client.get(old_address)

    # Wagtail's redirect to the new address, not the story cached at the old one.
    assert response.status_code == 301
    assert response["Location"].endswith("/world/health/a-story-about-health/")
