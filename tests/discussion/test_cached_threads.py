"""The threads under a story are kept between renderings, and never shown stale.

Each test first shows that the threads are kept (a change written straight to
the database, as no reader or moderator can, does not show), then that what a
reader or moderator does shows at once: a comment, a reply, a decision, an
edit, an account deleted.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion.models import ReaderComment
from readers.comments import delete_account
from tests.factories import ReaderCommentFactory


def comments_section(client, story) -> str:
    html = client.get(story.url).text
    return html.split('id="comments-heading"', 1)[1]


def decide(client, comment, decision: str) -> None:
    url = reverse(ReaderComment.snippet_viewset.get_url_name("moderate"), args=[comment.pk, decision])
    assert client.post(url).status_code == 302


@pytest.fixture
def discussed(article):
    ReaderCommentFactory(article=article, user_name="Ada", comment="The first word.")
    return article


def test_the_threads_are_kept_and_cost_no_query_the_second_time(client, discussed):
    assert "The first word." in comments_section(client, discussed)
    ReaderComment.objects.update(comment="Rewritten in the database.")
    with CaptureQueriesContext(connection) as queries:
        html = comments_section(client, discussed)
    assert "The first word." in html
    assert not [query for query in queries if "ROW_NUMBER" in query["sql"].upper()]  # the threads query


def test_a_new_comment_and_a_reply_show_at_once(client, discussed):
    comments_section(client, discussed)
    first = ReaderComment.objects.get()
    ReaderCommentFactory(parent=first, user_name="Bo", comment="A reply to Ada.")
    ReaderCommentFactory(article=discussed, user_name="Cy", comment="Another thought.")
    html = comments_section(client, discussed)
    assert "A reply to Ada." in html and "Another thought." in html
    assert "3 comments" in html


@pytest.mark.parametrize("decision", ["remove", "spam"])
def test_a_comment_a_moderator_takes_down_leaves_at_once(client, discussed, moderator, decision):
    assert "The first word." in comments_section(client, discussed)
    client.force_login(moderator)
    decide(client, ReaderComment.objects.get(), decision)
    client.logout()
    assert "The first word." not in comments_section(client, discussed)


def test_a_held_comment_a_moderator_approves_shows_at_once(client, discussed, moderator):
    held = ReaderCommentFactory(
        article=discussed, user_name="Hal", comment="Held for review.", is_public=False
    )
    assert "Held for review." not in comments_section(client, discussed)
    client.force_login(moderator)
    decide(client, ReaderComment.objects.get(pk=held.pk), "approve")
    client.logout()
    assert "Held for review." in comments_section(client, discussed)


def test_a_deleted_readers_comments_lose_their_name_at_once(client, article, django_user_model):
    reader = django_user_model.objects.create_user("reader", email="reader@example.org")
    ReaderCommentFactory(article=article, user=reader, user_name="Rita Reader", comment="Mine.")
    assert "Rita Reader" in comments_section(client, article)
    delete_account(reader, keep_comments=True)
    assert "Rita Reader" not in comments_section(client, article)


def test_each_page_of_threads_is_kept_apart(client, article, comment_settings):
    comment_settings.threads_per_page = 2
    comment_settings.save()
    for n in range(3):
        ReaderCommentFactory(article=article, comment=f"Thread number {n}.")
    first_page = comments_section(client, article)
    second_page = client.get(f"{article.url}?comments_page=2").text
    assert "Thread number 0." in first_page and "Thread number 2." not in first_page
    assert "Thread number 2." in second_page and "Thread number 0." not in second_page


def test_with_the_threads_over_the_size_cap_they_are_built_each_time(client, discussed, settings):
    settings.FRAGMENT_CACHE_MAX_BYTES = 100
    comments_section(client, discussed)
    ReaderComment.objects.update(comment="Rewritten in the database.")
    assert "Rewritten in the database." in comments_section(client, discussed)
