"""A cache outage slows comment posting down to the database; it never turns it into errors.

The site-wide answer to an outage is in the production cache settings
(django-redis told to ignore its errors), which make Wagtail's own cache reads
plain misses. What must not silently pass is the comment rate limit: it has
its own fallback, counting the address's recent comments in the database.
"""

import socket

import pytest
from django_comments_xtd.models import XtdComment

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from tests.discussion.forms import fill_comment_form


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentCache(BaseCache):
    """What django-redis with IGNORE_EXCEPTIONS answers while Redis is down: None for everything."""

    def __init__(self, location, params):
        super().__init__(params)

    def add(self, *args, **kwargs):
        return None

    def get(self, *args, **kwargs):
        return kwargs.get("default")

    def set(self, *args, **kwargs):
        return None

    def incr(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        return None

    def clear(self):
        return None


def dead_redis() -> dict:
    """Django's own Redis backend at an address where nothing listens (nothing is started)."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }


@pytest.fixture
def wagtail_cache_reads_miss(monkeypatch):
    """Wagtail's site root paths, read from the cache on every URL, come from a private cache.

    In production django-redis's IGNORE_EXCEPTIONS turns those reads into
    misses; here they must not hide whether the comment path itself survives.
    """
    monkeypatch.setattr("wagtail.models.sites.cache", LocMemCache("wagtail-paths", {}))


@pytest.mark.parametrize("backend", ["dead redis", "silent"])
def test_posting_during_a_cache_outage_answers_and_the_rate_limit_holds(
    client, article, comment_settings, wagtail_cache_reads_miss, backend
):
    comment_settings.rate_limit_posts = 2
    comment_settings.save()
    forms = [fill_comment_form(client, article.url, comment=f"Comment {n}") for n in range(3)]
    cache = dead_redis() if backend == "dead redis" else {"BACKEND": f"{__name__}.SilentCache"}
    with override_settings(CACHES={"default": cache}):
        answers = [client.post(action, data).status_code for action, data in forms]
    assert answers == [302, 302, 429]
    assert XtdComment.objects.count() == 2


def test_rate_limit_counts_only_this_addresss_recent_comments(
    client, article, comment_settings, wagtail_cache_reads_miss
):
    comment_settings.rate_limit_posts = 1
    comment_settings.save()
    first = fill_comment_form(client, article.url, comment="From here")
    second = fill_comment_form(client, article.url, comment="From elsewhere")
    with override_settings(CACHES={"default": dead_redis()}):
        assert client.post(*first).status_code == 302
        assert client.post(*second, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert XtdComment.objects.count() == 2
