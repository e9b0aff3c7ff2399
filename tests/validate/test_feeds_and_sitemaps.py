"""Feeds against the rules of RSS 2.0 and RFC 4287 (Atom), sitemaps against their schemas' rules.

No schema files can be fetched at test time, so the rules readers and
crawlers rely on are checked one by one.
"""

import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from django.utils.dateparse import parse_datetime

from news.models import StoryAuthor
from tests.factories import AuthorFactory, LiveBlogPageFactory, NewsArticlePageFactory
from tests.news.helpers import parse_xml

pytestmark = pytest.mark.validate

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
W3C_DATETIME = re.compile(
    r"^\d{4}(?:-\d\d(?:-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))?)?)?$"
)


@pytest.fixture
def stories(health):
    signed = NewsArticlePageFactory(parent=health, title="With a byline")
    StoryAuthor.objects.create(page=signed, author=AuthorFactory(name="Maria Lopez"))
    NewsArticlePageFactory(parent=health, title="Without a byline")
    LiveBlogPageFactory(parent=health, title="Live: a vote")
    return health


def absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@pytest.mark.parametrize("url", ["/feed/", "SECTION/feed/"])
def test_rss_follows_rss_2_0(client, stories, url):
    response = client.get(url.replace("SECTION/", stories.url))
    root = parse_xml(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    assert absolute(channel.findtext("link"))
    items = channel.findall("item")
    assert len(items) == 3
    guids = [item.findtext("guid") for item in items]
    assert len(set(guids)) == len(guids)
    for item in items:
        assert item.findtext("title") or item.findtext("description")
        assert absolute(item.findtext("link"))
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 date
        assert item.find("guid").get("isPermaLink") == "false"


@pytest.mark.parametrize("url", ["/feed/atom/", "SECTION/feed/atom/"])
def test_atom_follows_rfc_4287(client, stories, url):
    response = client.get(url.replace("SECTION/", stories.url))
    feed = parse_xml(response.content)
    assert feed.tag == f"{ATOM}feed"
    # §4.1.1: id, title and updated once each; an author unless every entry has one; a self link.
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed_has_author or all(entry.find(f"{ATOM}author/{ATOM}name") is not None for entry in entries)
    assert any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link"))
    ids = []
    for entry in entries:
        # §4.1.2: id, title, updated once each; an alternate link (no content here).
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        links = entry.findall(f"{ATOM}link")
        assert any(link.get("rel") in (None, "alternate") and absolute(link.get("href")) for link in links)
        entry_id = entry.findtext(f"{ATOM}id")
        assert re.match(r"^[a-z][a-z0-9+.-]*:", entry_id)  # §4.2.6: an IRI
        ids.append(entry_id)
        for author in entry.findall(f"{ATOM}author"):
            assert author.findtext(f"{ATOM}name")
    assert len(set(ids)) == len(ids)


def test_sitemap_follows_the_sitemaps_schema(client, stories):
    root = parse_xml(client.get("/sitemap.xml").content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    assert urls
    for url in urls:
        loc = url.findtext(f"{SITEMAP}loc")
        assert absolute(loc) and len(loc) <= 2048
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is None or W3C_DATETIME.match(lastmod)
        changefreq = url.findtext(f"{SITEMAP}changefreq")
        assert changefreq in (None, "always", "hourly", "daily", "weekly", "monthly", "yearly", "never")
        priority = url.findtext(f"{SITEMAP}priority")
        assert priority is None or 0 <= float(priority) <= 1
        allowed = {f"{SITEMAP}{name}" for name in ("loc", "lastmod", "changefreq", "priority")}
        assert {child.tag for child in url} <= allowed


def test_news_sitemap_follows_the_news_schema(client, stories):
    root = parse_xml(client.get("/sitemap-news.xml").content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    assert len(urls) == 3
    for url in urls:
        assert absolute(url.findtext(f"{SITEMAP}loc"))
        news = url.find(f"{NEWS}news")
        publication = news.find(f"{NEWS}publication")
        assert publication.findtext(f"{NEWS}name")
        assert re.match(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$", publication.findtext(f"{NEWS}language"))
        assert parse_datetime(news.findtext(f"{NEWS}publication_date"))
        assert W3C_DATETIME.match(news.findtext(f"{NEWS}publication_date"))
        assert news.findtext(f"{NEWS}title")
