from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from news.models import StoryAuthor
from tests.factories import AuthorFactory, CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.helpers import link_href, parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    return channel.findall("item")


def atom_entries(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse_xml(response.content).findall(f"{ATOM}entry")


@pytest.fixture
def hidden_articles(home_page, health):
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    NewsArticlePageFactory(parent=members, title="Members only")
    NewsArticlePageFactory(parent=health, title="Draft", live=False)
    NewsArticlePageFactory(parent=health, title="Past expiry", expire_at=timezone.now() - timedelta(hours=1))


def test_site_rss_feed_lists_newest_articles_with_summary_and_link(client, health, hidden_articles):
    older = NewsArticlePageFactory(
        parent=health,
        title="Older story",
        standfirst="Older summary.",
        display_date=timezone.now() - timedelta(1),
    )
    StoryAuthor.objects.create(page=older, author=AuthorFactory(name="Maria Lopez"))
    NewsArticlePageFactory(parent=health, title="Newer <story> & more", standfirst="Newer summary.")

    items = rss_items(client, "/feed/")

    assert [item.findtext("title") for item in items] == ["Newer <story> & more", "Older story"]
    assert items[1].findtext("description") == "Older summary."
    assert items[1].findtext("link") == f"http://localhost{older.url}"
    assert items[1].findtext("{http://purl.org/dc/elements/1.1/}creator") == "Maria Lopez"
    assert items[1].findtext("pubDate")


def test_site_atom_feed_lists_the_same_articles(client, health, hidden_articles):
    article = NewsArticlePageFactory(parent=health, title="A story", standfirst="Its summary.")

    entries = atom_entries(client, "/feed/atom/")

    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["A story"]
    assert entries[0].findtext(f"{ATOM}summary") == "Its summary."
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://localhost{article.url}"


def test_feeds_carry_the_newest_twenty(client, health):
    now = timezone.now()
    for n in range(22):
        NewsArticlePageFactory(parent=health, title=f"Story {n:02d}", display_date=now - timedelta(hours=n))

    titles = [item.findtext("title") for item in rss_items(client, "/feed/")]

    assert len(titles) == 20
    assert titles[0] == "Story 00"
    assert titles[-1] == "Story 19"
    assert len(atom_entries(client, "/feed/atom/")) == 20


def test_category_feeds_hold_only_that_sections_articles(client, home_page, health):
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    sport = CategoryIndexPageFactory(parent=home_page, title="Sport")
    NewsArticlePageFactory(parent=health, title="Health story")
    NewsArticlePageFactory(
        parent=oncology, title="Oncology story", display_date=timezone.now() - timedelta(1)
    )
    NewsArticlePageFactory(parent=sport, title="Sport story")

    rss = [item.findtext("title") for item in rss_items(client, f"{health.url}feed/")]
    atom = [entry.findtext(f"{ATOM}title") for entry in atom_entries(client, f"{health.url}feed/atom/")]
    sport_rss = [item.findtext("title") for item in rss_items(client, f"{sport.url}feed/")]

    assert rss == ["Health story", "Oncology story"]
    assert atom == rss
    assert sport_rss == ["Sport story"]


def test_draft_category_has_no_feed(client, home_page):
    CategoryIndexPageFactory(parent=home_page, title="Secret", live=False)
    assert client.get("/secret/feed/").status_code == 404


def test_private_category_feed_asks_for_login(client, home_page):
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    NewsArticlePageFactory(parent=members, title="Members only")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(f"{members.url}feed/")

    assert response.status_code == 302
    assert "Members only" not in response.text


def test_pages_link_their_feeds_for_autodiscovery(client, home_page, health, article):
    rss_home = link_href(client.get(home_page.url).text, "alternate", "application/rss+xml")
    rss_category = link_href(client.get(health.url).text, "alternate", "application/rss+xml")
    atom_article = link_href(client.get(article.url).text, "alternate", "application/atom+xml")

    assert rss_home == ["http://testserver/feed/"]
    assert rss_category == ["http://testserver/feed/", "http://testserver/health/feed/"]
    assert atom_article == ["http://testserver/feed/atom/", "http://testserver/health/feed/atom/"]


def _feed_queries(client, url) -> int:
    client.get(url)  # the site's root paths are cached on the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_cost_does_not_grow_with_its_articles(client, health):
    def add_articles(count, prefix):
        for n in range(count):
            article = NewsArticlePageFactory(parent=health, title=f"{prefix} {n}")
            StoryAuthor.objects.create(page=article, author=AuthorFactory())

    add_articles(2, "First")
    few = _feed_queries(client, "/feed/")
    add_articles(18, "More")
    assert _feed_queries(client, "/feed/") == few
