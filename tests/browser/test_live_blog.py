"""A reader with a live blog open sees new entries arrive without reloading."""

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe

from django.utils import timezone

from tests.factories import CategoryIndexPageFactory, LiveBlogEntryFactory, LiveBlogPageFactory


def test_new_entry_appears_on_an_open_page_without_a_reload(page, home_page, live_server, settings):
    settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS = 2
    section = CategoryIndexPageFactory(parent=home_page, title="Politics")
    live_blog = LiveBlogPageFactory(parent=section, title="Budget day: live")
    # Both entries in one second: pages show times to the second, and the newer still goes on top.
    second = timezone.now().replace(microsecond=0)
    LiveBlogEntryFactory(page=live_blog, headline="The chancellor stands up", posted_at=second)

    page.goto(live_server.url + live_blog.url)
    page.evaluate("window.openedOnce = true")
    assert page.locator(".live-blog__entry").count() == 1

    LiveBlogEntryFactory(
        page=live_blog, headline="Fuel duty frozen", posted_at=second + timedelta(milliseconds=500)
    )

    first_entry = page.locator(".live-blog__entry").first
    first_entry.get_by_text("Fuel duty frozen").wait_for(timeout=30_000)
    assert page.locator(".live-blog__entry").count() == 2
    assert page.evaluate("window.openedOnce") is True  # the same document: no reload
    assert "1 new update" in page.locator("[data-live-blog-status]").inner_text()

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
