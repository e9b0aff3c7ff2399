"""Open live blogs carry a "Live" badge on their cards, in every listing, at no extra query."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import LiveBlogStatus, StoryAuthor
from tests.factories import AuthorFactory, LiveBlogPageFactory, NewsArticlePageFactory


def badges(html: str) -> dict[str, str]:
    """Each card's title with its badge's text ("" without one)."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for card in soup.select("main article.card"):
        badge = card.select_one(".card__badge")
        title = card.select_one(".card__title").get_text(strip=True)
        found[title] = badge.get_text(strip=True) if badge else ""
    return found


@pytest.fixture
def stories(health):
    """An open live blog, an ended one and an article, tagged and bylined alike."""
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    made = [
        NewsArticlePageFactory(parent=health, title="Plain article"),
        LiveBlogPageFactory(parent=health, title="Ended coverage", status=LiveBlogStatus.ENDED),
        LiveBlogPageFactory(parent=health, title="Storm coverage"),
    ]
    for story in made:
        story.tags.add("storm")
        story.save_revision().publish()
        StoryAuthor.objects.create(page=story, author=author)
    return made


EXPECTED = {"Storm coverage": "Live", "Ended coverage": "", "Plain article": ""}


@pytest.mark.parametrize("url", ["/health/", "/tags/storm/", "/authors/ana-ruiz/", "/search/?q=coverage"])
def test_listings_badge_open_live_blogs_only(client, stories, url):
    listed = badges(client.get(url).text)
    assert listed["Storm coverage"] == "Live" and listed["Ended coverage"] == ""
    assert all(badge == EXPECTED[title] for title, badge in listed.items())


def test_front_page_badges_the_open_live_blog(client, home_page, stories):
    listed = badges(client.get(home_page.url).text)
    assert listed == EXPECTED


def test_related_cards_badge_the_open_live_blog(client, stories):
    listed = badges(client.get(stories[0].url).text)
    assert listed == {"Storm coverage": "Live", "Ended coverage": ""}


def test_an_ended_live_blog_loses_its_badge(client, stories):
    live = stories[2]
    live.status = LiveBlogStatus.ENDED
    live.save_revision().publish()
    assert "Live" not in badges(client.get("/health/").text).values()


@pytest.mark.parametrize("url", ["/", "/health/"])
def test_badges_cost_no_query(client, home_page, health, url):
    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    NewsArticlePageFactory.create_batch(3, parent=health)
    articles_only = queries()
    LiveBlogPageFactory.create_batch(3, parent=health)
    LiveBlogPageFactory(parent=health, status=LiveBlogStatus.ENDED)

    assert queries() == articles_only
    assert list(badges(client.get(url).text).values()).count("Live") == 3
