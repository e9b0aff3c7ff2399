"""A new site's front page describes itself to search engines and link previews."""

from core.models import SiteIdentity
from tests.news.helpers import meta_content


def test_fresh_front_page_without_a_search_description_has_a_meta_description(client, home_page):
    assert not home_page.search_description
    SiteIdentity.objects.all().delete()  # as on a site never viewed
    html = client.get("/").text
    description = meta_content(html, "description")
    assert description
    assert description == SiteIdentity.objects.get().description
    assert meta_content(html, "og:description") == description


def test_an_editors_search_description_comes_first(client, home_page):
    home_page.search_description = "Our own words."
    home_page.save_revision().publish()
    assert meta_content(client.get("/").text, "description") == "Our own words."
