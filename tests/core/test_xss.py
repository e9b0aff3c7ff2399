"""Script in anything a reader, an editor or an importer can type stays text wherever it is shown:
pages, JSON-LD, feeds, sitemaps, search, comment pages and the API."""

from html import escape

import pytest
import wagtail_factories

from wagtail.rich_text import RichText

from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)
from tests.news.helpers import json_ld, parse_xml

PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    "'><svg onload=alert(3)></script><script>alert(4)</script><!--"
)
# What would run if any of the payload reached a page as markup.
LIVE_MARKUP = ["<script>alert", "<img src=x", "<svg onload", "</script><script>", "<!--"]


@pytest.fixture
def world(home_page, health):
    section = CategoryIndexPageFactory(
        parent=home_page, title="Section " + PAYLOAD[:60], intro=escape(PAYLOAD)
    )
    image = wagtail_factories.ImageFactory(title=PAYLOAD)
    author = AuthorFactory(name=PAYLOAD[:90], slug="payload-author", role=PAYLOAD[:90], bio=PAYLOAD)
    article = NewsArticlePageFactory(
        parent=section,
        title=PAYLOAD,
        slug="payload-article",
        subheadline=PAYLOAD,
        standfirst=PAYLOAD,
        lead_image=image,
        lead_image_alt_text=PAYLOAD,
        body=[
            # Rich text as the editor stores typed text: escaped.
            ("paragraph", RichText(f"<p>{escape(PAYLOAD)}</p>")),
            ("image", {"image": image, "alt_text": PAYLOAD, "caption": PAYLOAD, "credit": PAYLOAD}),
            ("quote", {"text": PAYLOAD, "attribution": PAYLOAD, "role": PAYLOAD}),
        ],
        references=[("citation", {"authors": PAYLOAD, "title": PAYLOAD, "doi": "10.1000/xyz"})],
    )
    article.tags.add(PAYLOAD[:90])
    StoryAuthor.objects.create(page=article, author=author)
    article.save()
    blog = LiveBlogPageFactory(parent=section, title=PAYLOAD, slug="payload-blog", standfirst=PAYLOAD)
    LiveBlogEntryFactory(page=blog, headline=PAYLOAD, body=f"<p>{escape(PAYLOAD)}</p>")
    comment = ReaderCommentFactory(article=article, user_name=PAYLOAD[:50], comment=PAYLOAD)
    tag_slug = article.tags.first().slug
    return {"section": section, "article": article, "blog": blog, "comment": comment, "tag": tag_slug}


def assert_inert(text: str, where: str) -> None:
    for markup in LIVE_MARKUP:
        assert markup not in text, f"{markup!r} live in {where}"


def test_payload_is_text_on_every_page_and_in_its_json_ld(client, world, home_page):
    urls = [
        home_page.url,
        world["section"].url,
        world["article"].url,
        world["blog"].url,
        world["blog"].url + "entries/?after=0",
        f"/tags/{world['tag']}/",
        "/authors/payload-author/",
        "/search/?" + "q=" + "alert",
        f"/comments/reply/{world['comment'].pk}/",
        f"/comments/flag/{world['comment'].pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    article_html = client.get(world["article"].url).text
    # The payload is shown, as text, and survives JSON-LD parsing whole.
    assert escape(PAYLOAD, quote=False) in article_html or escape(PAYLOAD) in article_html
    [headline] = [data["headline"] for data in json_ld(article_html) if data.get("@type") == "NewsArticle"]
    assert headline == PAYLOAD


def test_search_query_is_shown_back_as_text(client, world):
    response = client.get("/search/", {"q": PAYLOAD})
    assert response.status_code == 200
    assert_inert(response.text, "search")


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "SECTION/feed/", "SECTION/feed/atom/"])
def test_feeds_carry_the_payload_as_text(client, world, url):
    url = url.replace("SECTION/", world["section"].url)
    response = client.get(url)
    assert response.status_code == 200
    assert_inert(response.content.decode(), url)
    root = parse_xml(response.content)
    titles = [element.text for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "title"]
    assert PAYLOAD in titles


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml"])
def test_sitemaps_stay_well_formed(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_inert(response.content.decode(), url)
    parse_xml(response.content)


def test_api_returns_the_payload_as_json_data(client, world):
    response = client.get(f"/api/v2/pages/{world['article'].pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert data["title"] == PAYLOAD
    assert data["standfirst"] == PAYLOAD
    listing = client.get("/api/v2/pages/", {"search": "alert"})
    assert listing.status_code == 200
    assert listing["Content-Type"] == "application/json"
