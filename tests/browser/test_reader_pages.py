"""What a reader's browser shows: accessible pages, phone layout, comments that work."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from discussion.models import ReaderCommentSettings
from news.seed_import import import_article, parse_seed
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.conftest import SEED_FILE

ARTICLE_PATH = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"


@pytest.fixture
def seeded_site(home_page, live_server):
    article, _ = import_article(parse_seed(SEED_FILE.read_text(encoding="utf-8")))
    health = article.get_parent()
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    for n in range(3):
        NewsArticlePageFactory(parent=oncology, title=f"Oncology story {n}")
    settings = ReaderCommentSettings.for_site(home_page.get_site())
    settings.min_seconds_to_fill = 0
    settings.save()
    return live_server.url


def assert_no_axe_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    "path", ["/", "/health/", ARTICLE_PATH, "/search/?q=metastasis", "/search/?q=", "/no-such-page/"]
)
def test_reader_pages_have_no_accessibility_violations(page, seeded_site, path):
    page.goto(seeded_site + path)
    assert_no_axe_violations(page)


def test_article_reads_in_order_with_breadcrumbs_and_doi_link(page, seeded_site):
    page.goto(seeded_site + ARTICLE_PATH)
    crumbs = page.locator('nav[aria-label="Breadcrumb"] li')
    assert crumbs.all_inner_texts() == [
        "Home",
        "Health",
        "Respiratory Viruses May Awaken Dormant Breast Cancer",
    ]
    assert page.locator("h1").inner_text() == "Respiratory Viruses May Awaken Dormant Breast Cancer"
    assert page.locator(".article__body h2").all_inner_texts() == [
        "Study Uncovers Viral Trigger for Metastasis",
        "Human Data Supports Viral Link to Cancer Relapse",
    ]
    doi = page.locator('a[href="https://doi.org/10.1038/s41586-025-09332-0"]')
    assert doi.is_visible()
    assert page.locator(".related .card__title").count() == 3


def test_article_fits_a_phone_screen(browser, seeded_site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(seeded_site + ARTICLE_PATH)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0


def test_reader_comments_and_replies_in_place(page, seeded_site):
    page.goto(seeded_site + ARTICLE_PATH)
    form = page.locator(".comment-form-section .comment-form")
    form.get_by_label("Name").fill("Ada")
    form.get_by_role("textbox", name="Email").fill("ada@example.org")
    form.get_by_label("Comment").fill("First thoughts — très intéressant.")
    form.get_by_role("button", name="Post comment").click()

    page.goto(seeded_site + ARTICLE_PATH)
    first = page.locator(".comment").filter(has_text="First thoughts — très intéressant.").first
    assert first.locator(".comment__author").inner_text() == "Ada"

    first.get_by_role("link", name="Reply").click()
    reply_form = first.locator(".comment-form")
    assert reply_form.is_visible()
    reply_form.get_by_label("Name").fill("Grace")
    reply_form.get_by_role("textbox", name="Email").fill("grace@example.org")
    reply_form.get_by_label("Comment").fill("A reply, in place.")
    reply_form.get_by_role("button", name="Post comment").click()

    page.goto(seeded_site + ARTICLE_PATH)
    nested = page.locator(".comment .comment-thread .comment").filter(has_text="A reply, in place.")
    assert nested.locator(".comment__author").inner_text() == "Grace"
    assert "ada@example.org" not in page.content()
