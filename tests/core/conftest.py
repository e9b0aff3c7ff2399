import pytest

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
