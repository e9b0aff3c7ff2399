"""Comment counts on the article, on cards in listings, and the home page's "Most discussed"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import ReaderCommentsMode
from tests.factories import NewsArticlePageFactory, ReaderCommentFactory


def test_article_header_shows_the_number_of_public_comments(client, article):
    ReaderCommentFactory.create_batch(2, article=article)
    ReaderCommentFactory(article=article, is_public=False)
    html = client.get(article.url).text
    assert '<a class="article__comment-count" href="#comments">2 comments</a>' in html


def test_article_header_says_one_comment_in_the_singular(client, article):
    ReaderCommentFactory(article=article)
    assert ">1 comment</a>" in client.get(article.url).text


def category_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).text
    return len(queries), html


def test_listing_shows_counts_at_the_cost_of_the_listing_query_alone(client, health):
    first = NewsArticlePageFactory(parent=health, title="First story")
    ReaderCommentFactory.create_batch(2, article=first)
    client.get(health.url)
    few_queries, html = category_queries(client, health.url)
    assert "2 comments" in html

    for n in range(6):
        story = NewsArticlePageFactory(parent=health, title=f"Story {n}")
        ReaderCommentFactory.create_batch(n + 1, article=story)
    client.get(health.url)  # what the new stories' publishing made stale, looked up again
    many_queries, html = category_queries(client, health.url)
    assert many_queries == few_queries
    assert "6 comments" in html and "1 comment<" in html


def test_listing_hides_the_count_of_articles_with_comments_hidden(client, health):
    story = NewsArticlePageFactory(parent=health, reader_comments=ReaderCommentsMode.HIDDEN)
    ReaderCommentFactory.create_batch(4, article=story)
    assert "4 comments" not in client.get(health.url).text


def test_home_page_lists_the_most_discussed_articles(client, home_page, health):
    counts = {"Quiet": 1, "Busy": 5, "Lively": 3, "Silent": 0}
    for title, count in counts.items():
        story = NewsArticlePageFactory(parent=health, title=title)
        ReaderCommentFactory.create_batch(count, article=story)
    html = client.get(home_page.url).text
    section = html.split('class="most-discussed"', 1)[1].split("</section>", 1)[0]
    titles = [title for title in ("Busy", "Lively", "Quiet") if title in section]
    assert titles == ["Busy", "Lively", "Quiet"]
    assert section.index("Busy") < section.index("Lively") < section.index("Quiet")
    assert "Silent" not in section
    assert "5 comments" in section


def test_most_discussed_stops_at_five_and_costs_a_bounded_number_of_queries(client, home_page, health):
    story, _ = NewsArticlePageFactory.create_batch(2, parent=health)  # a lead story and one more
    ReaderCommentFactory(article=story)
    client.get(home_page.url)
    with CaptureQueriesContext(connection) as few:
        client.get(home_page.url)
    for n in range(8):
        ReaderCommentFactory.create_batch(n + 2, article=NewsArticlePageFactory(parent=health))
    client.get(home_page.url)  # what the new stories and comments made stale, looked up again
    with CaptureQueriesContext(connection) as many:
        html = client.get(home_page.url).text
    assert len(many) == len(few)
    section = html.split('class="most-discussed"', 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == 5


def test_most_discussed_is_hidden_without_comments(client, home_page, article):
    assert "Most discussed" not in client.get(home_page.url).text


def test_most_discussed_ignores_unpublished_articles_and_hidden_comments(client, home_page, health):
    draft = NewsArticlePageFactory(parent=health, title="Draft story")
    ReaderCommentFactory.create_batch(3, article=draft)
    draft.unpublish()
    ReaderCommentFactory(article=NewsArticlePageFactory(parent=health, title="Held only"), is_public=False)
    assert "Most discussed" not in client.get(home_page.url).text
