"""The footer: the site's sections, its own pages (only the live, public ones), Corrections and
the feeds; kept as a fragment with the header, and never stale after an editor's change."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from core.models import SiteIdentity
from core.templatetags.brand_tags import footer_pages
from tests.factories import CategoryIndexPageFactory, ContentPageFactory


def publish(page, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    return page


def footer(client, url: str = "/") -> BeautifulSoup:
    html = client.get(url).text
    return BeautifulSoup(html.split('<footer class="site-footer">', 1)[1], "html.parser")


def links(soup: BeautifulSoup, group: str) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in soup.select(f".site-footer__{group} a")]


@pytest.fixture
def own_pages(home_page):
    # The privacy notice comes with the site (pages/migrations/0003_privacy_notice.py).
    privacy = Page.objects.get(slug="privacy").specific
    about = publish(ContentPageFactory(parent=home_page, title="About us", slug="about"))
    contact = publish(ContentPageFactory(parent=home_page, title="Contact", slug="contact"))
    return {"about": about, "contact": contact, "privacy": privacy}


def test_the_footer_links_sections_pages_corrections_and_feeds(client, home_page, health, own_pages):
    science = publish(CategoryIndexPageFactory(parent=home_page, title="Science"))
    soup = footer(client)
    assert soup.select_one("nav.site-footer__nav")["aria-label"] == "Site"
    assert links(soup, "sections") == [("Health", health.url), ("Science", science.url)]
    assert links(soup, "pages") == [
        ("About us", "/about/"),
        ("Contact", "/contact/"),
        ("Privacy notice", "/privacy/"),
        ("Corrections", "/corrections/"),
    ]
    feeds = soup.select(".site-footer__feeds a")
    assert [(a["href"], a["type"]) for a in feeds] == [
        ("/feed/", "application/rss+xml"),
        ("/feed/atom/", "application/atom+xml"),
    ]
    assert [h.get_text() for h in soup.select(".site-footer__heading")] == ["Sections", "About us", "Feeds"]
    assert re.search(r"© \d{4} Newsroom", soup.select_one(".site-footer__copyright").get_text())
    for url in ("/about/", "/contact/", "/privacy/", "/corrections/", "/feed/", "/feed/atom/"):
        assert client.get(url).status_code == 200, url


def test_only_live_public_unexpired_pages_are_linked(client, home_page, own_pages):
    # Expired, though the scheduled unpublishing has not run yet.
    Page.objects.filter(pk=own_pages["contact"].pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    PageViewRestriction.objects.create(page=own_pages["about"], restriction_type="login")
    ContentPageFactory(parent=home_page, title="Our team", slug="team", show_in_menus=False)
    hidden_section = CategoryIndexPageFactory(parent=home_page, title="Archive", show_in_menus=False)
    soup = footer(client)
    assert links(soup, "pages") == [("Privacy notice", "/privacy/"), ("Corrections", "/corrections/")]
    assert hidden_section.url not in str(soup)
    assert "/team/" not in str(soup)


def test_a_page_of_the_footer_in_the_menus_is_listed_once(client, home_page, health, own_pages):
    publish(own_pages["about"], show_in_menus=True)
    soup = footer(client)
    assert links(soup, "sections") == [("Health", health.url)]
    assert ("About us", "/about/") in links(soup, "pages")


def test_without_sections_the_footer_still_has_the_sites_pages(client, home_page):
    soup = footer(client)
    assert soup.select(".site-footer__sections") == []
    assert links(soup, "pages") == [("Privacy notice", "/privacy/"), ("Corrections", "/corrections/")]


# -- kept between renderings, shown afresh after a change (docs/fragment-cache.md) ------


def test_the_footer_is_kept_until_a_section_is_added(client, home_page, health, article):
    client.get(article.url)  # the site's settings are made on the first view
    assert links(footer(client, article.url), "sections") == [("Health", health.url)]
    # Written behind the site's back: the kept footer does not change...
    type(health).objects.filter(pk=health.pk).update(title="Changed behind its back")
    assert links(footer(client, article.url), "sections") == [("Health", health.url)]

    # ...a section added by an editor shows at once, on every page.
    climate = publish(CategoryIndexPageFactory(parent=home_page, title="Climate"))
    for url in (article.url, "/", health.url):
        assert ("Climate", climate.url) in links(footer(client, url), "sections"), url


def test_a_page_published_unpublished_or_made_private_changes_the_footer(client, home_page, own_pages):
    assert ("Contact", "/contact/") in links(footer(client), "pages")
    own_pages["contact"].unpublish()
    assert ("Contact", "/contact/") not in links(footer(client), "pages")
    publish(own_pages["contact"], title="Write to us")
    assert ("Write to us", "/contact/") in links(footer(client), "pages")
    PageViewRestriction.objects.create(page=own_pages["contact"], restriction_type="login")
    assert ("Write to us", "/contact/") not in links(footer(client), "pages")


def test_a_new_site_name_shows_in_the_footer_at_once(client, site, home_page):
    client.get("/")
    identity = SiteIdentity.for_site(site)
    identity.site_name = "The Daily Lens"
    identity.save()
    assert "The Daily Lens" in footer(client).select_one(".site-footer__copyright").get_text()


def footer_queries(queries: CaptureQueriesContext) -> list[str]:
    """The footer's own query (a story or listing's union query brings the same pages along)."""
    return [q["sql"] for q in queries.captured_queries if '"slug" IN' in q["sql"] and "UNION" not in q["sql"]]


def test_the_footer_costs_one_query_and_none_once_kept(client, home_page, health, own_pages, site):
    request = RequestFactory().get("/", HTTP_HOST=site.hostname)
    with CaptureQueriesContext(connection) as queries:
        sections, pages = footer_pages(request)
    assert len(footer_queries(queries)) == 1
    assert [page.slug for page in pages] == ["about", "contact", "privacy"]
    assert [page.title for page in sections] == ["Health"]

    client.get("/corrections/")  # kept now
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/corrections/").status_code == 200
    assert footer_queries(queries) == []


def test_a_story_brings_the_footers_pages_with_its_cards_sections(client, home_page, article, own_pages):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.url).text
    assert footer_queries(queries) == []
    soup = BeautifulSoup(html.split('<footer class="site-footer">', 1)[1], "html.parser")
    urls = [url for _, url in links(soup, "pages")]
    assert urls == ["/about/", "/contact/", "/privacy/", "/corrections/"]
