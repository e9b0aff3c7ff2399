"""The brand in a real browser: axe finds nothing at phone and desktop width in either colour
scheme; the accent colour's <style> passes the Content-Security-Policy; the fonts load and
move nothing; a printed article is the story alone.

Needs Chromium and Playwright, like tests/browser; skipped without. Each test drives a Chromium
of its own from a thread of its own: tests/browser's session-wide browser may be running
Playwright's event loop in this thread, and Playwright's sync API allows one loop a thread.
"""

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.core.files.base import ContentFile

from core.brand import accent_for_dark
from core.models import SiteIdentity
from news.seed_import import import_article, parse_seed
from tests.brand.conftest import PLAIN_SVG
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, home_page, sync_playwright  # noqa: F401
from tests.factories import ContentPageFactory, LiveBlogEntryFactory, LiveBlogPageFactory
from tests.news.conftest import SEED_FILE

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=2, reruns_delay=1)]

ARTICLE_PATH = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"
ACCENT = "#0b5394"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def in_a_browser(body: Callable) -> None:
    """`body(browser)` with a Chromium launched for it, in a thread of its own."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                body(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(run).result()


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture
def branded_site(home_page, live_server):  # noqa: F811
    article, _ = import_article(parse_seed(SEED_FILE.read_text(encoding="utf-8")))
    health = article.get_parent()
    blog = LiveBlogPageFactory(parent=health, title="Live: the vote", slug="live-the-vote")
    LiveBlogEntryFactory(page=blog, headline="Polls close")
    for slug, title in (("about", "About us"), ("contact", "Contact")):
        ContentPageFactory(parent=home_page, slug=slug, title=title).save_revision().publish()
    SiteIdentity.objects.update_or_create(
        site=home_page.get_site(),
        defaults={
            "site_name": "Daily Lens",
            "accent_colour": ACCENT,
            "logo_svg": ContentFile(PLAIN_SVG.encode(), name="logo.svg"),
        },
    )
    return live_server.url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations_at_both_widths(branded_site, scheme):
    accent = ACCENT if scheme == "light" else accent_for_dark(ACCENT)

    def check(browser) -> None:
        for width, height in WIDTHS.values():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.emulate_media(color_scheme=scheme)
            try:
                for path in ("/", "/health/", ARTICLE_PATH, "/health/live-the-vote/", "/about/"):
                    page.goto(branded_site + path)
                    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    assert dark == (scheme == "dark")
                    results = Axe().run(page)
                    assert results.violations_count == 0, f"{path} at {width}px, {scheme}:\n" + (
                        results.generate_report()
                    )
                    # The accent colour's <style> was let through by the policy (a blocked one
                    # would leave the stylesheet's own red).
                    root = "getComputedStyle(document.documentElement)"
                    assert page.evaluate(f"{root}.getPropertyValue('--accent')") == accent
                page.goto(branded_site + ARTICLE_PATH)
                doi = "document.querySelector('a[href^=\"https://doi.org/\"]')"
                assert page.evaluate(f"getComputedStyle({doi}).color") == rgb(accent)
            finally:
                context.close()

    in_a_browser(check)


def test_the_fonts_load_and_move_nothing(branded_site):
    def check(browser) -> None:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(branded_site + ARTICLE_PATH, wait_until="load")
        loaded = page.evaluate(
            "document.fonts.ready.then(() => [...document.fonts]"
            ".filter(f => f.status === 'loaded').map(f => `${f.family} ${f.weight} ${f.style}`))"
        )
        assert "Newsroom Serif 400 normal" in loaded and "Newsroom Serif 700 normal" in loaded
        shift = page.evaluate(
            """new Promise(resolve => {
                let total = 0;
                new PerformanceObserver(list => {
                    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
                }).observe({type: "layout-shift", buffered: true});
                setTimeout(() => resolve(total), 1000);
            })"""
        )
        assert shift == 0
        family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert family.startswith('"Newsroom Serif", "Newsroom Serif Fallback"')

    in_a_browser(check)


def test_a_printed_article_is_the_story_alone_black_on_white(branded_site):
    def check(browser) -> None:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
        page.goto(branded_site + ARTICLE_PATH)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """[".site-nav", ".site-search", ".comments", ".related", ".site-footer"]
                .filter(s => document.querySelector(s))
                .map(s => [s, getComputedStyle(document.querySelector(s)).display])"""
        )
        assert hidden and all(display == "none" for _, display in hidden), hidden
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        doi = "document.querySelector('.article a[href^=\"https://doi.org/\"]')"
        after = page.evaluate(f"getComputedStyle({doi}, '::after').content")
        assert "https://doi.org/" in after
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).display") != "none"

    in_a_browser(check)
