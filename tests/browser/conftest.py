"""Real-browser tests: Debian's Chromium driven by Playwright, against the live test server.

They skip, saying why, when Playwright or the browser is missing; CI installs both.
"""

import os
import shutil

import pytest

from django.contrib.sites.models import Site as DjangoSite

from wagtail.models import Locale, Page, Site

from home.models import HomePage

# Playwright runs an event loop in this thread; Django refuses database access
# from a thread with a running loop unless told it is safe, which it is here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (make test installs it)"
)
sync_playwright = playwright_api.sync_playwright
# expect() waits for what a reader would see as long as a page action may take.
playwright_api.expect.set_options(timeout=20_000)


# A real browser against a threaded test server, on two cores shared with the rest of
# the suite, now and then misses a deadline that an idle machine meets in a tenth of
# it. Such a test runs again, up to twice; a real fault fails all three times, and
# every rerun is named in the summary ("R"), so a flaky test stays visible.
BROWSER_TEST_RERUNS = 2


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_TEST_RERUNS, reruns_delay=1))


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Generous: the suite runs in parallel on two cores, and a slow step must not read as a failure.
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def home_page(transactional_db, live_server) -> HomePage:
    """The page tree and both site records. Live-server tests flush the tables after
    each test, so what migrations made is there for the first test only."""
    root = Page.get_first_root_node()
    if root is None:
        locale = Locale.objects.get_or_create(language_code="en")[0]
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first() or root.add_child(instance=HomePage(title="Home", slug="home"))
    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.all().delete()
    Site.objects.create(
        hostname=host, port=int(port), root_page=home, is_default_site=True, site_name="Newsroom"
    )
    DjangoSite.objects.update_or_create(pk=1, defaults={"domain": f"{host}:{port}", "name": "Newsroom"})
    return home
