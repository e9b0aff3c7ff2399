"""Long discussions: paginated threads, permalinks to the right page, bounded queries."""

import re

import pytest

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import fragments
from tests.factories import ReaderCommentFactory

# What an article page with its comments may cost, whatever the number of comments.
ARTICLE_PAGE_QUERY_BUDGET = 12


def build_threads(article, threads: int, depth: int) -> list:
    """`threads` threads, each a chain of `depth` comments (depth 5: four levels of replies)."""
    comments = []
    for _ in range(threads):
        comment = ReaderCommentFactory(article=article)
        comments.append(comment)
        for _ in range(depth - 1):
            comment = ReaderCommentFactory(parent=comment)
            comments.append(comment)
    return comments


def count_article_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


def test_article_with_500_comments_five_levels_deep_costs_the_same_queries_as_with_5(
    client, article, health, comment_settings, django_assert_max_num_queries
):
    from tests.factories import NewsArticlePageFactory

    comment_settings.max_depth = 4
    comment_settings.save()
    small = NewsArticlePageFactory(parent=health, title="Quiet article")
    build_threads(small, threads=1, depth=5)
    build_threads(article, threads=100, depth=5)
    for story in (small, article):
        client.get(story.url)  # warm per-process caches (content types, site root paths)

    # Threads built from the database (as after a new comment on each)...
    fragments.bump_comments(
        (ContentType.objects.get_for_model(story).pk, story.pk) for story in (small, article)
    )
    small_queries, small_html = count_article_queries(client, small.url)
    large_queries, large_html = count_article_queries(client, article.url)
    assert large_queries == small_queries
    # ...and kept across requests (core.fragments): one query fewer, the same for both.
    assert count_article_queries(client, small.url)[0] == large_queries - 1
    assert count_article_queries(client, article.url)[0] == large_queries - 1
    with django_assert_max_num_queries(ARTICLE_PAGE_QUERY_BUDGET):
        client.get(article.url)
    assert "500 comments" in large_html
    # 50 threads of five on the first page; the other 50 threads are on page 2.
    assert large_html.count('class="comment__text"') == 250
    assert "Comments page 1 of 2" in large_html
    assert small_html.count('class="comment__text"') == 5
    assert small_html.count('<ol class="comment-thread">') == 4


def test_comments_are_oldest_first_within_and_across_threads(client, article):
    first = ReaderCommentFactory(article=article, comment="Thread one")
    ReaderCommentFactory(article=article, comment="Thread two")
    ReaderCommentFactory(parent=first, comment="Early reply")
    ReaderCommentFactory(parent=first, comment="Late reply")
    html = client.get(article.url).text
    order = re.findall(r'<div class="comment__text" dir="auto"><p>(.*?)</p>', html)
    assert order == ["Thread one", "Early reply", "Late reply", "Thread two"]


def test_threads_are_paginated_by_the_site_setting(client, article, comment_settings):
    comment_settings.threads_per_page = 2
    comment_settings.save()
    for n in range(1, 6):
        ReaderCommentFactory(article=article, comment=f"Thread {n}")
    first = client.get(article.url).text
    assert "Thread 1" in first and "Thread 2" in first and "Thread 3" not in first
    assert "Comments page 1 of 3" in first
    assert 'href="?comments_page=2#comments"' in first
    third = client.get(f"{article.url}?comments_page=3").text
    assert "Thread 5" in third and "Thread 4" not in third


def test_out_of_range_comment_page_shows_the_last_page(client, article, comment_settings):
    comment_settings.threads_per_page = 1
    comment_settings.save()
    ReaderCommentFactory(article=article, comment="Only thread")
    ReaderCommentFactory(article=article, comment="Second thread")
    for page in ("99", "abc", "-1"):
        response = client.get(f"{article.url}?comments_page={page}")
        assert response.status_code == 200


def test_permalink_opens_the_page_that_holds_the_comment(client, article, comment_settings):
    comment_settings.threads_per_page = 2
    comment_settings.save()
    threads = [ReaderCommentFactory(article=article, comment=f"Thread {n}") for n in range(1, 6)]
    reply = ReaderCommentFactory(parent=threads[4], comment="Reply in the fifth thread")
    response = client.get(f"/comments/link/{reply.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comments_page=3#c{reply.pk}"
    page = client.get(response["Location"].split("#")[0]).text
    assert f'id="c{reply.pk}"' in page
    assert "Reply in the fifth thread" in page
    first_thread = client.get(f"/comments/link/{threads[0].pk}/")
    assert first_thread["Location"] == f"{article.url}#c{threads[0].pk}"


@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}])
def test_permalink_of_a_comment_that_is_not_public_is_not_found(client, article, state):
    comment = ReaderCommentFactory(article=article, **state)
    assert client.get(f"/comments/link/{comment.pk}/").status_code == 404


def test_each_comment_has_an_anchor_and_a_permalink(client, article):
    comment = ReaderCommentFactory(article=article)
    html = client.get(article.url).text
    assert f'id="c{comment.pk}"' in html
    assert f'href="/comments/link/{comment.pk}/"' in html
