"""The layers of spam defence: refused outright, held for a moderator, or kept as spam."""

import re
from unittest import mock

import akismet
import httpx
import pytest
from django_comments_xtd.models import XtdComment

from discussion.models import CommentScreening
from tests.discussion.forms import fill_comment_form, post_comment


def test_honeypot_hit_is_refused_and_nothing_stored(client, article):
    action, data = fill_comment_form(client, article.url, honeypot="http://cheap-pills.example")
    response = client.post(action, data)
    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_honeypot_field_is_hidden_from_people(client, article):
    html = client.get(article.url).text
    assert '<p class="comment-form__trap" hidden>' in html


def test_burst_from_one_address_is_refused_past_the_limit(client, article, comment_settings):
    comment_settings.rate_limit_posts = 3
    comment_settings.save()
    statuses = [post_comment(client, article.url, comment=f"Comment {n}").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert XtdComment.objects.count() == 3
    refused = post_comment(client, article.url, comment="One more")
    assert "Please wait a few minutes" in refused.text


def test_other_addresses_are_not_slowed_by_a_burst(client, article, comment_settings):
    comment_settings.rate_limit_posts = 1
    comment_settings.save()
    assert post_comment(client, article.url, comment="First").status_code == 302
    assert post_comment(client, article.url, comment="Second").status_code == 429
    action, data = fill_comment_form(client, article.url, comment="From elsewhere")
    assert client.post(action, data, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_link_stuffed_comment_is_held_for_moderation(client, article, comment_settings):
    links = " ".join(f"https://shop{n}.example/buy" for n in range(comment_settings.max_links + 1))
    response = post_comment(client, article.url, comment=f"Great article! {links}")
    # Answered at once, not on a landing page named by the comment's id (finding 8).
    assert response.status_code == 200
    assert "awaits moderation" in response.text
    held = XtdComment.objects.get()
    assert not held.is_public
    assert held.screening.reasons == "3 links (limit 2)"
    assert not held.screening.is_spam
    assert "Great article!" not in client.get(article.url).text


def test_comment_with_links_up_to_the_limit_is_published(client, article):
    post_comment(client, article.url, comment="Sources: https://a.example/1 and www.b.example/2")
    assert XtdComment.objects.get().is_public


def test_blocklisted_word_holds_a_comment(client, article, comment_settings):
    comment_settings.blocklist = "casino\nmiracle cure\n"
    comment_settings.save()
    post_comment(client, article.url, comment="Try this Miracle Cure today")
    held = XtdComment.objects.get()
    assert not held.is_public
    assert held.screening.reasons == "blocklisted: miracle cure"


def test_blocklisted_word_in_the_name_holds_a_comment(client, article, comment_settings):
    comment_settings.blocklist = "casino"
    comment_settings.save()
    post_comment(client, article.url, name="Best Casino Bonus", comment="Nice.")
    assert not XtdComment.objects.get().is_public


def test_comment_sent_faster_than_a_person_can_type_is_held(client, article, comment_settings):
    comment_settings.min_seconds_to_fill = 30
    comment_settings.save()
    post_comment(client, article.url, comment="Instant")
    held = XtdComment.objects.get()
    assert not held.is_public
    # The form's timestamp has whole seconds; a busy machine may take a few between the two requests.
    sent_after = re.fullmatch(r"sent (\d+) s after the form loaded", held.screening.reasons)
    assert sent_after and int(sent_after[1]) < comment_settings.min_seconds_to_fill


def test_without_a_key_akismet_is_not_used_or_mentioned(client, article, settings):
    settings.AKISMET_API_KEY = ""
    with mock.patch("akismet.SyncClient.comment_check") as comment_check:
        post_comment(client, article.url, comment="Hello")
    comment_check.assert_not_called()
    html = client.get(article.url).text
    assert "Akismet" not in html
    assert "nothing is sent to outside services" in html


def test_notice_names_akismet_when_it_is_on(client, article, akismet_client):
    html = client.get(article.url).text
    assert "by Akismet, a third-party service" in html


def test_comment_akismet_calls_ham_is_published(client, article, akismet_client):
    post_comment(client, article.url, comment="Plain and honest", email="ada@example.org")
    assert XtdComment.objects.get().is_public
    kwargs = akismet_client.comment_check.call_args.kwargs
    assert kwargs["user_ip"] == "127.0.0.1"
    assert kwargs["comment_content"] == "Plain and honest"
    assert kwargs["comment_author_email"] == "ada@example.org"
    assert kwargs["permalink"] == article.full_url


@pytest.mark.parametrize("verdict", [akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD])
def test_comment_akismet_calls_spam_is_kept_as_spam_and_never_shown(client, article, akismet_client, verdict):
    akismet_client.comment_check.return_value = verdict
    response = post_comment(client, article.url, comment="Buy followers now")
    assert response.status_code == 200
    assert "awaits moderation" in response.text
    stored = XtdComment.objects.get()
    assert not stored.is_public
    screening = CommentScreening.objects.get(comment=stored)
    assert screening.is_spam
    assert screening.reasons.startswith("Akismet")
    assert "Buy followers now" not in client.get(article.url).text


def test_comment_is_kept_when_akismet_cannot_be_reached(client, article, akismet_client):
    akismet_client.comment_check.side_effect = httpx.ConnectError("no route to host")
    response = post_comment(client, article.url, comment="Posted while Akismet is down")
    assert response.status_code == 302
    assert XtdComment.objects.get().is_public
