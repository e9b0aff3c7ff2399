"""A mail server that is down or refusing loses no comment and shows no reader an error."""

import logging
import re
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django_comments_xtd.models import XtdComment

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from discussion.models import UnsentConfirmation
from tests.discussion.forms import fill_comment_form, post_comment
from tests.factories import ReaderCommentFactory

REFUSING = "tests.discussion.mail_backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def mail_server_down(settings):
    """Django's SMTP backend aimed at a port nothing listens on: the production failure, for real."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/comments/confirm/[^\s]+/)", message.body).group(1)


def send_pending_mail() -> str:
    out = StringIO()
    call_command("send_pending_mail", stdout=out)
    return out.getvalue()


def test_comment_posted_while_the_mail_server_is_down_is_kept_and_the_reader_told_to_check_mail(
    client, article, confirm_email, mail_server_down, caplog
):
    with caplog.at_level(logging.WARNING, logger="discussion.mail"):
        response = post_comment(
            client, article.url, comment="Kept despite the outage", email="ada@example.org"
        )
    assert response.status_code == 302
    waiting = client.get(response["Location"])
    assert waiting.status_code == 200
    assert "Please confirm your comment" in waiting.text

    pending = UnsentConfirmation.objects.get()
    assert pending.recipient == "ada@example.org"
    assert "ConnectionRefusedError" in pending.last_error
    assert not XtdComment.objects.exists()
    assert "Kept despite the outage" not in client.get(article.url).text
    assert "Could not send a comment confirmation email" in caplog.text


@pytest.mark.parametrize(
    "backend",
    [
        REFUSING,
        "tests.discussion.mail_backends.DisconnectingBackend",
        "tests.discussion.mail_backends.RecipientRefusingBackend",
    ],
)
def test_every_kind_of_mail_failure_answers_the_normal_page(
    client, article, confirm_email, settings, backend
):
    settings.EMAIL_BACKEND = backend
    response = post_comment(client, article.url, comment="Still here")
    assert response.status_code == 302
    assert "Please confirm your comment" in client.get(response["Location"]).text
    assert UnsentConfirmation.objects.count() == 1


def test_retry_sends_the_confirmation_once_and_its_link_publishes_the_comment(
    client, article, confirm_email, settings
):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="Sent at the second try", email="ada@example.org")

    settings.EMAIL_BACKEND = LOCMEM
    assert send_pending_mail() == "Comment confirmations: 1 sent, 0 still unsent, 0 given up.\n"
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "Sent at the second try" in mail.outbox[0].body
    assert not UnsentConfirmation.objects.exists()
    assert send_pending_mail() == ""
    assert len(mail.outbox) == 1

    confirmed = client.get(confirmation_link(mail.outbox[0]))
    assert confirmed.status_code == 302
    assert client.get(confirmed["Location"])["Location"] == article.url
    assert XtdComment.objects.get().is_public
    assert "Sent at the second try" in client.get(article.url).text


def test_retry_while_the_server_is_still_down_keeps_the_mail_and_waits_longer(
    client, article, confirm_email, settings
):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="Patience")
    assert send_pending_mail() == "Comment confirmations: 0 sent, 1 still unsent, 0 given up.\n"
    pending = UnsentConfirmation.objects.get()
    assert pending.attempts == 2
    assert pending.next_attempt_at > timezone.now()

    # Not due yet: the next minute's run leaves it alone, even with the server back.
    settings.EMAIL_BACKEND = LOCMEM
    assert send_pending_mail() == ""
    assert mail.outbox == []
    UnsentConfirmation.objects.update(next_attempt_at=timezone.now())
    send_pending_mail()
    assert len(mail.outbox) == 1


def test_a_run_stops_at_the_first_sign_the_server_is_down(client, article, confirm_email, settings):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="First", name="First reader")
    post_comment(client, article.url, comment="Second", name="Second reader")
    send_pending_mail()
    assert sorted(UnsentConfirmation.objects.values_list("attempts", flat=True)) == [1, 2]


def test_an_address_the_server_refuses_does_not_hold_up_the_others(client, article, confirm_email, settings):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="First", name="First reader")
    post_comment(client, article.url, comment="Second", name="Second reader")
    settings.EMAIL_BACKEND = "tests.discussion.mail_backends.RecipientRefusingBackend"
    send_pending_mail()
    assert list(UnsentConfirmation.objects.values_list("attempts", flat=True)) == [2, 2]


def test_a_confirmation_unsent_for_a_week_is_given_up_and_logged(
    client, article, confirm_email, settings, caplog
):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="Too late", email="late@example.org")
    UnsentConfirmation.objects.update(created_at=timezone.now() - timedelta(days=8))
    settings.EMAIL_BACKEND = LOCMEM
    with caplog.at_level(logging.ERROR, logger="discussion.mail"):
        assert send_pending_mail() == "Comment confirmations: 0 sent, 0 still unsent, 1 given up.\n"
    assert mail.outbox == []
    assert not UnsentConfirmation.objects.exists()
    assert "Gave up on the comment confirmation email to late@example.org" in caplog.text


def test_a_confirmation_for_a_deleted_article_is_given_up_without_error(
    client, article, confirm_email, settings
):
    settings.EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="Orphan")
    article.delete()
    settings.EMAIL_BACKEND = LOCMEM
    assert send_pending_mail() == "Comment confirmations: 0 sent, 0 still unsent, 1 given up.\n"
    assert mail.outbox == []


def test_signed_in_readers_comment_is_published_when_the_follower_notice_fails(
    client, article, django_user_model, settings, caplog
):
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    settings.EMAIL_BACKEND = REFUSING
    client.force_login(django_user_model.objects.create_user("grace", email="grace@example.org"))
    action, fields = fill_comment_form(client, article.url)
    with caplog.at_level(logging.WARNING, logger="discussion.mail"):
        response = client.post(action, {**fields, "comment": "Published regardless"})
    assert response.status_code == 302
    assert XtdComment.objects.get(comment="Published regardless").is_public
    assert "Could not email the followers" in caplog.text


def test_confirmation_link_opened_while_the_server_is_down_publishes_the_comment(
    client, article, confirm_email, settings
):
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    post_comment(client, article.url, comment="Confirmed during the outage")
    settings.EMAIL_BACKEND = REFUSING
    confirmed = client.get(confirmation_link(mail.outbox[0]))
    assert confirmed.status_code == 302
    assert "Confirmed during the outage" in client.get(article.url).text
    # Opened again: the same comment, not a second one.
    assert client.get(confirmation_link(mail.outbox[0])).status_code == 302
    assert XtdComment.objects.filter(comment="Confirmed during the outage").count() == 1


def test_tampered_confirmation_link_is_refused(client, article, confirm_email):
    post_comment(client, article.url, comment="Original")
    link = confirmation_link(mail.outbox[0])
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert not XtdComment.objects.exists()
