"""With Redis down, production-style caches degrade to uncached service: pages, not 500s."""

import socket

import pytest


def dead_redis_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def dead_redis_caches(settings):
    # Through the test's own `settings`, so that its other changes (PAGE_CACHE) are
    # undone in the reverse order: undoing one made inside a separate override
    # after that override ended put the dead Redis back for every later test.
    # Changing CACHES resets Django's cache handlers, so `cache` is the dead Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead_redis_url(),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def test_pages_are_served_while_redis_is_down(client, article, dead_redis_caches):
    response = client.get(article.url)
    assert response.status_code == 200
    assert "A story about health" in response.text
    assert client.get("/").status_code == 200


def test_page_cache_on_a_dead_redis_still_serves_pages(client, article, settings, dead_redis_caches):
    settings.PAGE_CACHE = True
    assert client.get(article.url).status_code == 200
    assert client.get(article.url)["X-Page-Cache"] == "miss"
