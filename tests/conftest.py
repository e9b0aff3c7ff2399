import pytest

from django.core.cache import cache

from wagtail.models import Site

from core.models import site_setting_models
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

# The database task queue and its worker, for tests of background work.
pytest_plugins = ["tests.worker"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: Wagtail caches renditions by image id,
    ids come back after a rolled-back test, and rate limits live in the cache too."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_rendition_cache(settings):
    """Wagtail keeps renditions in the cache as well; without that cache a page's pictures
    come from the page's own queries, as on a server whose cache was just emptied."""
    settings.CACHES = {
        **settings.CACHES,
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


@pytest.fixture
def site(db) -> Site:
    """The default site, with its settings saved as its first view saves them: creating one
    later changes the menu version in the middle of a test that counts queries."""
    site = Site.objects.get(is_default_site=True)
    for model in site_setting_models():
        model.for_site(site)
    return site


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def health(home_page):
    return CategoryIndexPageFactory(parent=home_page, title="Health")


@pytest.fixture
def article(health):
    return NewsArticlePageFactory(parent=health, title="A story about health")
