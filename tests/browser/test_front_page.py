"""The arranged front page in a reader's browser: accessible at desktop and phone width,
and times that the browser itself makes relative."""

import re
from datetime import UTC, timedelta

import pytest
import wagtail_factories
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from django.utils import timezone

from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)


@pytest.fixture
def arranged_site(home_page, live_server):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    author = AuthorFactory(name="Ada Reporter")
    for n in range(12):
        when = timezone.now() - timedelta(hours=n * 5)
        story = NewsArticlePageFactory(
            parent=health if n % 2 else world,
            title=f"Story number {n}",
            first_published_at=when,
            display_date=when,
            subheadline="Analysis" if n % 4 == 0 else "",
            lead_image=wagtail_factories.ImageFactory() if n % 3 else None,
            lead_image_alt_text="A picture",
        )
        StoryAuthor.objects.create(page=story, author=author)
        if n % 5 == 0:
            ReaderCommentFactory(article=story)
    LiveBlogPageFactory(parent=world, title="Live: the summit")
    home_page.layout = [
        {"type": "live_now", "value": {"heading": "Live now", "count": 3}},
        {"type": "top_stories", "value": {"stories": [], "count": 4}},
        {"type": "section", "value": {"section": None, "stories": [], "count": 3}},
        {
            "type": "opinion",
            "value": {"heading": "Opinion and analysis", "kinds": "Analysis", "tag": "", "count": 3},
        },
        {"type": "ranked_list", "value": {"ranking": "most_discussed", "heading": "", "count": 5}},
        {
            "type": "promo",
            "value": {
                "heading": "Our newsletter",
                "text": "Every morning.",
                "link_label": "Sign up",
                "link_url": "https://example.org/",
            },
        },
    ]
    home_page.save_revision().publish()
    return live_server.url


@pytest.mark.parametrize("width", [1280, 390])
def test_front_page_has_no_accessibility_violations_at_desktop_and_phone_width(browser, arranged_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(arranged_site + "/")
        expect(page.locator(".card--lead")).to_be_visible()
        expect(page.locator("section.section-block--live_now .card__badge")).to_contain_text("Live")
        results = Axe().run(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
    assert overflow <= 0


def test_todays_times_read_hours_ago_in_the_browser(browser, arranged_site):
    # A reader whose clock says about noon: stories of the last hours are of their today.
    offset = 12 - timezone.now().astimezone(UTC).hour
    zone = "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=zone)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(arranged_site + "/")
        # The script replaces the printed date once it has run: wait for it, not a fixed time.
        expect(page.locator(".card--lead time")).to_have_text("Just now")
        card = page.locator("article.card", has=page.get_by_role("link", name="Story number 1", exact=True))
        expect(card.locator("time")).to_have_text("5 hours ago")
        # Older than the reader's today: the printed date stays.
        older = page.locator("article.card", has=page.get_by_role("link", name="Story number 7", exact=True))
        expect(older.locator("time")).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$"))
    finally:
        context.close()
