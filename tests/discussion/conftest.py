import pytest

from django.core.cache import cache

from discussion.models import ReaderCommentSettings


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Every test client posts from 127.0.0.1; counters must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def comment_settings(site) -> ReaderCommentSettings:
    """The site's reader comment settings, with the minimum fill time off.

    Tests post the form within milliseconds of loading it; the test of that
    check turns it back on.
    """
    site_settings = ReaderCommentSettings.for_site(site)
    site_settings.min_seconds_to_fill = 0
    site_settings.save()
    return site_settings
