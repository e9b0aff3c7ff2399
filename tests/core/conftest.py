import fcntl
import tempfile
from pathlib import Path

import pytest
import redis

from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import root_collection


class CapturingBackend(BaseBackend):
    """A frontend cache that records the URLs it is asked to purge."""

    purged: list[str] = []

    def purge(self, url: str) -> None:
        CapturingBackend.purged.append(url)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """The URLs purged from the frontend cache, once the test's transactions commit.

    Usage: `with purged() as urls: ...` then assert on `urls`.
    """
    settings.WAGTAILFRONTENDCACHE = {"capture": {"BACKEND": "tests.core.conftest.CapturingBackend"}}

    class Capture:
        def __init__(self) -> None:
            self.urls: set[str] = set()
            self._callbacks = None

        def __enter__(self) -> set[str]:
            CapturingBackend.purged = []
            self._callbacks = django_capture_on_commit_callbacks(execute=True)
            self._callbacks.__enter__()
            return self.urls

        def __exit__(self, *exc) -> None:
            self._callbacks.__exit__(*exc)
            self.urls.update(CapturingBackend.purged)

    return Capture


@pytest.fixture
def private_collection(db) -> Collection:
    """A collection whose documents need a login."""
    collection = root_collection().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


# RQ's keys take no prefix: its tests use a Redis database of their own.
TEST_RQ_REDIS_URL = "redis://127.0.0.1:6379/11"


def _clear_rq_keys(client: redis.Redis) -> None:
    keys = list(client.scan_iter(match="rq:*", count=500))
    if keys:
        client.delete(*keys)


def use_rq(settings, url: str) -> None:
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "core.tasks.ResilientRQBackend"}}
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def rq_queue(settings, db):
    """Production's queue, RQ, on Redis database 11, emptied of RQ's keys before and after.

    One test at a time holds that database, across the suite's parallel processes
    (and another suite on the same machine): one test's clearing would empty
    another's queue. Skipped when no Redis answers on 127.0.0.1:6379.
    """
    client = redis.Redis.from_url(TEST_RQ_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with open(Path(tempfile.gettempdir()) / "newsroom-tests-rq-database-11.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _clear_rq_keys(client)
        use_rq(settings, TEST_RQ_REDIS_URL)
        yield client
        _clear_rq_keys(client)
