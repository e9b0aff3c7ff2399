"""With email confirmation on (as in production), anonymous comments wait for the emailed link."""

import re

from django_comments_xtd.models import XtdComment

from django.core import mail

from tests.discussion.forms import post_comment
from tests.factories import ReaderCommentFactory


def link_in(body: str, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}[^\s]+/)", body).group(1)


def test_anonymous_comment_is_stored_only_after_the_emailed_link_is_opened(client, article, confirm_email):
    response = post_comment(client, article.url, comment="Please confirm me", email="ada@example.org")
    assert response.status_code == 302
    waiting = client.get(response["Location"])
    assert "Please confirm your comment" in waiting.text
    assert not XtdComment.objects.exists()

    assert mail.outbox[0].to == ["ada@example.org"]
    confirmed = client.get(link_in(mail.outbox[0].body, "/comments/confirm/"))
    assert confirmed.status_code == 302
    assert client.get(confirmed["Location"])["Location"] == article.url
    assert XtdComment.objects.get().comment == "Please confirm me"
    assert "Please confirm me" in client.get(article.url).text


def test_suspicious_comment_confirmed_by_email_still_waits_for_a_moderator(
    client, article, confirm_email, comment_settings
):
    comment_settings.blocklist = "casino"
    comment_settings.save()
    post_comment(client, article.url, comment="Casino tips")
    confirmed = client.get(link_in(mail.outbox[0].body, "/comments/confirm/"))
    assert confirmed.status_code == 200
    assert "awaits moderation" in confirmed.text
    assert not XtdComment.objects.get().is_public


def test_spam_is_kept_at_once_and_no_email_goes_to_the_address_given(
    client, article, confirm_email, akismet_client
):
    import akismet

    akismet_client.comment_check.return_value = akismet.CheckResponse.SPAM
    response = post_comment(client, article.url, comment="Cheap watches", email="victim@example.org")
    assert response.status_code == 200
    assert mail.outbox == []
    assert XtdComment.objects.get().screening.is_spam


def test_mute_link_stops_follow_up_emails(client, article):
    first = ReaderCommentFactory(article=article, user_email="first@example.org", followup=True)
    post_comment(client, article.url, comment="A reply that notifies")
    mute = client.get(link_in(mail.outbox[0].body, "/comments/mute/"))
    assert mute.status_code == 200
    assert "You will get no more emails about this discussion" in mute.text
    first.refresh_from_db()
    assert not first.followup
    mail.outbox.clear()
    post_comment(client, article.url, comment="Another reply", name="Someone else")
    assert mail.outbox == []


def test_confirmation_link_uses_the_sites_https_address(client, site, article, confirm_email):
    site.hostname, site.port = "news.example.org", 443
    site.save()
    assert post_comment(client, article.url, comment="Secure link please").status_code == 302
    body = mail.outbox[0].body
    assert re.search(r"https://news\.example\.org/comments/confirm/[^\s]+/", body)
    assert f"https://news.example.org{article.get_absolute_url()}" in body
    assert "http://" not in body
