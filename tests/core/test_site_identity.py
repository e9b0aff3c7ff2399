"""Site identity, set by editors, names the site everywhere and fills what pages leave empty."""

import wagtail_factories

from core.models import SiteIdentity
from tests.news.helpers import json_ld_of_type, meta_content, parse_xml


def identity(site, **fields) -> SiteIdentity:
    setting, _ = SiteIdentity.objects.update_or_create(site=site, defaults=fields)
    return setting


def test_front_page_is_titled_with_the_site_name_and_described_by_the_site(client, site):
    identity(site, site_name="The Daily Lens", description="Science news, checked twice.")

    html = client.get("/").text

    assert "<title>The Daily Lens</title>" in html
    assert meta_content(html, "description") == "Science news, checked twice."
    assert meta_content(html, "og:title") == "The Daily Lens"
    assert '<a class="site-title" href="/">The Daily Lens</a>' in html


def test_other_pages_feeds_and_news_sitemap_carry_the_site_name(client, site, health, article):
    identity(site, site_name="The Daily Lens", description="Science news, checked twice.")

    assert f"<title>{article.title} | The Daily Lens</title>" in client.get(article.url).text
    feed = parse_xml(client.get("/feed/").content)
    assert feed.find("channel/title").text == "The Daily Lens"
    assert feed.find("channel/description").text == "Science news, checked twice."
    assert b"<news:name>The Daily Lens</news:name>" in client.get("/sitemap-news.xml").content


def test_section_gets_a_description_without_an_intro(client, site, health):
    identity(site, site_name="The Daily Lens")
    html = client.get(health.url).text
    assert meta_content(html, "description") == "The latest Health stories from The Daily Lens."
    assert json_ld_of_type(html, "CollectionPage")["description"] == meta_content(html, "description")


def test_pages_without_an_image_use_the_default_sharing_image(client, site, article):
    identity(site, default_share_image=wagtail_factories.ImageFactory(), publisher_name="Lens Media Ltd")

    html = client.get(article.url).text

    assert ".fill-1200x630" in meta_content(html, "og:image")
    assert meta_content(html, "twitter:card") == "summary_large_image"
    data = json_ld_of_type(html, "NewsArticle")
    # The same picture in the three aspect ratios Google asks for (16:9, 4:3, 1:1).
    assert [url.rsplit(".fill-", 1)[1] for url in data["image"]] == [
        "1200x675.jpg",
        "1200x900.jpg",
        "1200x1200.jpg",
    ]
    assert len({url.rsplit(".fill-", 1)[0] for url in data["image"]}) == 1
    assert data["publisher"]["name"] == "Lens Media Ltd"


def test_comment_policy_shows_above_the_comment_form(client, site, article):
    identity(site, comment_policy="Be kind. Personal attacks are removed.")
    assert "Be kind. Personal attacks are removed." in client.get(article.url).text
