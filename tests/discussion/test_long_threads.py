"""A long thread: the article shows its first comments and links to the rest."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from discussion.threads import COMMENTS_SHOWN_PER_THREAD, THREAD_PAGE_SIZE
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, ReaderCommentFactory


def long_thread(article, replies: int) -> list:
    root = ReaderCommentFactory(article=article, comment="The first word")
    return [root] + [ReaderCommentFactory(parent=root, comment=f"Reply {n}") for n in range(replies)]


def comment_texts(html: str) -> list[str]:
    return re.findall(r'<div class="comment__text" dir="auto"><p>(.*?)</p>', html)


def test_article_shows_the_first_comments_of_a_long_thread_and_links_the_rest(client, article):
    comments = long_thread(article, replies=20)

    html = client.get(article.url).text

    shown = comment_texts(html)
    assert shown == ["The first word"] + [f"Reply {n}" for n in range(COMMENTS_SHOWN_PER_THREAD - 1)]
    more = 21 - COMMENTS_SHOWN_PER_THREAD
    assert f"{more} more comments in this thread" in html
    assert f'href="/comments/thread/{comments[0].pk}/"' in html
    assert "21 comments" in html


def test_article_cost_does_not_grow_with_the_length_of_its_threads(client, health, article):
    short = NewsArticlePageFactory(parent=health, title="Short discussion")
    long_thread(short, replies=4)
    long_thread(article, replies=400)
    client.get(short.url)
    client.get(article.url)

    counts = []
    for page in (short, article):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page.url).text
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(comment_texts(html)) == COMMENTS_SHOWN_PER_THREAD


def test_thread_page_shows_the_whole_thread_page_by_page(client, article):
    comments = long_thread(article, replies=THREAD_PAGE_SIZE + 4)
    url = f"/comments/thread/{comments[0].pk}/"

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.status_code == 200 and second.status_code == 200
    assert len(comment_texts(first.text)) == THREAD_PAGE_SIZE
    assert comment_texts(second.text) == [
        f"Reply {n}" for n in range(THREAD_PAGE_SIZE - 1, THREAD_PAGE_SIZE + 4)
    ]
    assert "Thread page 1 of 2" in first.text
    assert f'href="{article.url}#c{comments[0].pk}"' in first.text
    assert client.get(url, {"page": 3}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


def test_permalink_of_a_late_reply_opens_the_thread_page_holding_it(client, article):
    comments = long_thread(article, replies=THREAD_PAGE_SIZE + 4)
    early, late = comments[1], comments[-1]

    early_target = client.get(f"/comments/link/{early.pk}/")["Location"]
    late_target = client.get(f"/comments/link/{late.pk}/")["Location"]

    assert early_target == f"{article.url}#c{early.pk}"
    assert late_target == f"/comments/thread/{comments[0].pk}/?page=2#c{late.pk}"
    assert f'id="c{late.pk}"' in client.get(late_target.split("#")[0]).text


def test_threads_of_unpublished_private_or_unknown_articles_are_not_found(client, home_page, health):
    draft = NewsArticlePageFactory(parent=health, title="Draft", live=False)
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    private = NewsArticlePageFactory(parent=members, title="Members only")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    draft_thread = ReaderCommentFactory(article=draft)
    private_thread = ReaderCommentFactory(article=private)
    hidden = ReaderCommentFactory(article=NewsArticlePageFactory(parent=health), is_public=False)
    reply = ReaderCommentFactory(parent=ReaderCommentFactory(article=NewsArticlePageFactory(parent=health)))

    for thread_id in (draft_thread.pk, private_thread.pk, hidden.pk, reply.pk, 0, 99999999, 2**40):
        assert client.get(f"/comments/thread/{thread_id}/").status_code == 404, thread_id
