""" "Most read" reflecting real page loads: the beacon each story page sends, a flush, the panel."""

import time

from playwright.sync_api import expect

from django.core.cache import cache
from django.utils import timezone

from readership.counter import hour_key, hour_start
from readership.flush import flush_views
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory
from tests.readership import conftest as readership_fixtures

# Counting in a Redis database and key prefix of the test's own, as the readership tests do.
counting_redis = readership_fixtures.counting_redis

# Headless Chromium says "HeadlessChrome", which the beacon leaves out as a robot: readers' browsers do not.
READER_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def wait_for_views(connection, story, expected: int, seconds: float = 60) -> None:
    """Until Redis holds `expected` views of `story` this hour (the beacon is sent as the page loads)."""
    deadline = time.monotonic() + seconds
    key = hour_key(hour_start(timezone.now()))
    while int(connection.hget(key, str(story.pk)) or 0) < expected:
        assert time.monotonic() < deadline, f"the beacons of {story.title!r} did not all arrive"
        time.sleep(0.1)


def test_page_views_in_a_browser_make_most_read(browser, home_page, live_server, counting_redis):
    section = CategoryIndexPageFactory(parent=home_page, title="World")
    most = NewsArticlePageFactory(parent=section, title="The story everyone reads")
    some = NewsArticlePageFactory(parent=section, title="A story some read")
    NewsArticlePageFactory(parent=section, title="A story nobody read")
    context = browser.new_context(user_agent=READER_BROWSER)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for story, views in ((most, 3), (some, 1)):
            for seen in range(1, views + 1):
                page.goto(live_server.url + story.url)
                expect(page.locator("h1")).to_have_text(story.title)
                wait_for_views(counting_redis, story, seen)

        assert flush_views() == 4
        # The panel's copy is kept 30 seconds: as if they had passed.
        cache.clear()
        page.goto(live_server.url + "/")

        expect(page.locator("aside.most-read li a")).to_have_text(
            ["The story everyone reads", "A story some read"], timeout=30_000
        )
        page.locator("aside.most-read li a").first.click()
        expect(page.locator("h1")).to_have_text("The story everyone reads")
        wait_for_views(counting_redis, most, 1)
    finally:
        context.close()
