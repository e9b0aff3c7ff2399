"""The pages `make screenshots` photographs, on the demo site, at desktop and phone width:
each renders, is photographed, and has no accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.core.management import call_command

from wagtail.models import Collection

from news.demo_content import DemoContent
from news.models import LiveBlogPage
from news.seed_import import import_article, parse_seed, seed_lead_picture
from tests.news.conftest import SEED_FILE

ARTICLE_PATH = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"
# The widths of scripts/screenshots.py.
WIDTHS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_site(home_page, live_server, settings):
    """The seed article with its picture, a small generated archive with a running live blog,
    and the arranged front page, as `make run` builds them."""
    # Live-server tests flush the tables after each test, the root collection of images with them.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    article = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    import_article(article, lead_picture=seed_lead_picture(article))
    DemoContent(articles=24, comments=60, seed=1).run(home_page)
    settings.DEBUG = True  # the front page is arranged by a development command
    call_command("arrange_demo_front_page", stdout=None)
    settings.DEBUG = False
    return {
        "front": "/",
        "section": "/news/",
        "article": ARTICLE_PATH,
        "live-blog": LiveBlogPage.objects.get(status="live").url,
    }


@pytest.mark.parametrize("name", ["front", "section", "article", "live-blog"])
def test_screenshot_pages_at_both_widths_have_no_accessibility_violations(
    browser, demo_site, live_server, tmp_path, name
):
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, is_mobile=width == "phone")
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            response = page.goto(live_server.url + demo_site[name])
            assert response is not None and response.status == 200
            shot = tmp_path / f"{name}-{width}.png"
            page.screenshot(path=shot)
            assert shot.stat().st_size > 0
            results = Axe().run(page)
            assert results.violations_count == 0, f"{name} at {width} width:\n{results.generate_report()}"
        finally:
            context.close()
