"""The front page's "Most discussed": ranked by the newest comments, counted like the story pages."""

from datetime import timedelta

from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import NewsArticlePageFactory, ReaderCommentFactory

FRONT_PAGE_QUERY_BUDGET = 13


def most_discussed(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        item.a.get_text(strip=True): item.select_one(".most-discussed__count").get_text(strip=True)
        for item in soup.select(".most-discussed__list li")
    }


def story_page_count(client, story) -> str:
    soup = BeautifulSoup(client.get(story.url).text, "html.parser")
    return soup.select_one(".article__comment-count").get_text(strip=True)


def test_a_story_with_comments_beyond_the_window_shows_its_page_count(client, home_page, health, monkeypatch):
    monkeypatch.setattr("discussion.threads.MOST_DISCUSSED_WINDOW", 4)
    old = timezone.now() - timedelta(days=3)
    busy = NewsArticlePageFactory(parent=health, title="Busy story")
    ReaderCommentFactory.create_batch(5, article=busy, submit_date=old)
    ReaderCommentFactory.create_batch(3, article=busy)
    quiet = NewsArticlePageFactory(parent=health, title="Quiet story")
    ReaderCommentFactory(article=quiet)

    listed = most_discussed(client.get(home_page.url).text)

    assert listed == {"Busy story": "8 comments", "Quiet story": "1 comment"}
    assert story_page_count(client, busy) == "8 comments"


def test_true_counts_cost_no_extra_query_and_stay_flat_with_comments(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="Lead")
    story = NewsArticlePageFactory(parent=health, title="Talked about")
    ReaderCommentFactory.create_batch(2, article=story)
    client.get(home_page.url)
    with CaptureQueriesContext(connection) as few:
        client.get(home_page.url)
    for n in range(6):
        ReaderCommentFactory.create_batch(n + 3, article=NewsArticlePageFactory(parent=health))
    ReaderCommentFactory.create_batch(20, article=story)
    client.get(home_page.url)  # the ranking, changed by the comments, made again
    with CaptureQueriesContext(connection) as many:
        html = client.get(home_page.url).text

    assert len(many) == len(few) <= FRONT_PAGE_QUERY_BUDGET
    assert most_discussed(html)["Talked about"] == "22 comments"
