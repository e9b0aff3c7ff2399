"""Comment e-mails name the story in their subject and print readers' words as written."""

import pytest

from django.core import mail
from django.urls import reverse

from discussion.models import ReaderComment
from tests.discussion.forms import post_comment
from tests.factories import NewsArticlePageFactory, ReaderCommentFactory

WORDS = 'My children\'s school & the "free" <b>vaccine</b>'


@pytest.fixture
def story(health):
    return NewsArticlePageFactory(parent=health, title="Schools reopen after the children's flu")


def test_approving_a_held_comment_mails_followers_under_the_story_title(
    client, story, moderator, django_capture_on_commit_callbacks
):
    ReaderCommentFactory(article=story, user_email="follower@example.org", followup=True)
    held = ReaderCommentFactory(article=story, user_name="O'Brien", comment=WORDS, is_public=False)
    mail.outbox.clear()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(ReaderComment.snippet_viewset.get_url_name("moderate"), args=[held.pk, "approve"])
        )

    [message] = mail.outbox
    assert message.to == ["follower@example.org"]
    assert message.subject == "New comment on “Schools reopen after the children's flu”"
    assert WORDS in message.body
    assert "O'Brien wrote" in message.body
    assert '"Schools reopen after the children\'s flu"' in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert not html or "children&#x27;s school" in html  # the HTML part stays escaped


def test_a_comment_posted_at_once_mails_followers_under_the_story_title(client, story):
    ReaderCommentFactory(article=story, user_email="follower@example.org", followup=True)
    mail.outbox.clear()

    post_comment(client, story.url, name="Ada", email="ada@example.org", comment="The children's view")

    [message] = mail.outbox
    assert message.subject == "New comment on “Schools reopen after the children's flu”"
    assert "The children's view" in message.body


def test_a_follower_with_several_comments_gets_one_message(client, story):
    for _ in range(3):
        ReaderCommentFactory(article=story, user_email="follower@example.org", followup=True)
    ReaderCommentFactory(article=story, user_email="quiet@example.org", followup=False)
    mail.outbox.clear()

    post_comment(client, story.url, name="Ada", email="ada@example.org", comment="Hello")

    assert [message.to for message in mail.outbox] == [["follower@example.org"]]


def test_the_confirmation_request_names_the_story_and_keeps_the_words(client, story, confirm_email):
    post_comment(client, story.url, name="O'Brien", email="ob@example.org", comment=WORDS)

    [message] = mail.outbox
    assert message.to == ["ob@example.org"]
    assert message.subject == "Confirm your comment on “Schools reopen after the children's flu”"
    assert "Hello O'Brien," in message.body
    assert WORDS in message.body
    assert "&#x27;" not in message.body
