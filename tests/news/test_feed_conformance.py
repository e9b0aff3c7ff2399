"""Feeds follow RFC 4287 where readers rely on it: authors, permanent ids, conditional GET."""

from datetime import timedelta

from django.utils import timezone
from django.utils.http import http_date

from news.models import StoryAuthor
from tests.factories import AuthorFactory, LiveBlogPageFactory, NewsArticlePageFactory
from tests.news.helpers import parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url="/feed/atom/"):
    response = client.get(url)
    assert response.status_code == 200
    return parse_xml(response.content)


def test_entries_without_a_byline_have_an_author_through_the_feed(client, site, health):
    site.site_name = "The Daily Example"
    site.save()
    NewsArticlePageFactory(parent=health, title="No byline")
    LiveBlogPageFactory(parent=health, title="Live, no byline")
    feed = atom(client)
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "The Daily Example"
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}author") is None or entry.findtext(f"{ATOM}author/{ATOM}name")


def test_entry_with_a_byline_names_its_authors(client, health):
    article = NewsArticlePageFactory(parent=health)
    StoryAuthor.objects.create(page=article, author=AuthorFactory(name="Maria Lopez"))
    [entry] = atom(client).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Maria Lopez"


def test_entry_id_survives_a_slug_change(client, health):
    article = NewsArticlePageFactory(parent=health, title="First headline")
    before = atom(client).find(f"{ATOM}entry").findtext(f"{ATOM}id")
    article.slug = "a-new-slug"
    article.save_revision().publish()
    after_entry = atom(client).find(f"{ATOM}entry")
    assert after_entry.findtext(f"{ATOM}id") == before
    assert before.startswith("tag:localhost,") and before.endswith(f":page-{article.pk}")
    assert "a-new-slug" in after_entry.find(f"{ATOM}link").get("href")


def test_rss_guid_is_the_same_permanent_id_and_not_a_permalink(client, health):
    article = NewsArticlePageFactory(parent=health)
    guid = parse_xml(client.get("/feed/").content).find("channel/item/guid")
    assert guid.text.endswith(f":page-{article.pk}")
    assert guid.get("isPermaLink") == "false"


def test_feeds_answer_304_when_nothing_changed_since(client, health):
    NewsArticlePageFactory(parent=health, last_published_at=timezone.now() - timedelta(hours=2))
    for url in ["/feed/", "/feed/atom/", f"{health.url}feed/", f"{health.url}feed/atom/"]:
        first = client.get(url)
        assert first.status_code == 200
        last_modified = first["Last-Modified"]
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert again.status_code == 304, url
        assert again.content == b""
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert by_etag.status_code == 304


def test_feed_is_sent_again_once_a_story_is_newer(client, health):
    NewsArticlePageFactory(parent=health, last_published_at=timezone.now() - timedelta(hours=2))
    since = http_date((timezone.now() - timedelta(hours=1)).timestamp())
    assert client.get("/feed/atom/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    NewsArticlePageFactory(parent=health, title="Breaking")
    response = client.get("/feed/atom/", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200
    assert b"Breaking" in response.content
