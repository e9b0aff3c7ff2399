"""Comment e-mail is queued, not sent in the reader's request; the worker retries a refused one."""

import pytest
from django_comments_xtd.models import XtdComment
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError

from core.mail import message_from_data, message_to_data, send_email
from discussion.models import UnsentConfirmation
from tests.discussion.forms import post_comment
from tests.discussion.test_mail_outage import LOCMEM, REFUSING, confirmation_link
from tests.worker import queued


@pytest.fixture(autouse=True)
def queued_mail(settings):
    """The site's mail backend (Django's test setup puts the in-memory one in its place)."""
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.NEWSROOM_EMAIL_BACKEND = LOCMEM


def test_a_confirmation_is_queued_and_the_reader_waits_on_no_mail_server(
    client, article, confirm_email, settings, db_queue
):
    settings.NEWSROOM_EMAIL_BACKEND = REFUSING
    response = post_comment(client, article.url, comment="Queued", email="ada@example.org")
    assert response.status_code == 302
    assert "Please confirm your comment" in client.get(response["Location"]).text
    [send] = queued("core.mail.send_email")
    assert send.args_kwargs["args"][0]["to"] == ["ada@example.org"]
    assert mail.outbox == []
    assert not UnsentConfirmation.objects.exists()


def test_a_confirmation_the_mail_server_refuses_is_retried_by_the_task_and_sent_once(
    client, article, confirm_email, settings, run_worker
):
    settings.NEWSROOM_EMAIL_BACKEND = REFUSING
    post_comment(client, article.url, comment="Sent at the second try", email="ada@example.org")
    run_worker()
    [retry] = queued("core.mail.send_email")
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    assert run_worker() == 0  # It waits a minute first.

    settings.NEWSROOM_EMAIL_BACKEND = LOCMEM
    run_worker(make_due=True)
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert not queued()
    confirmed = client.get(confirmation_link(mail.outbox[0]))
    assert client.get(confirmed["Location"])["Location"] == article.url
    assert XtdComment.objects.get().is_public


def test_a_send_run_twice_sends_once(db):
    data = message_to_data(EmailMultiAlternatives("Hello", "Body", "a@example.org", ["b@example.org"]))
    send_email.call(data, "same-key")
    send_email.call(data, "same-key")
    assert len(mail.outbox) == 1


def test_with_the_queue_and_the_mail_server_down_the_confirmation_is_kept_for_later(
    client, article, confirm_email, settings, db_queue, monkeypatch
):
    def refuse(*args, **kwargs):
        raise DatabaseError("the queue's table is locked")

    monkeypatch.setattr(DatabaseBackend, "enqueue", refuse)
    settings.NEWSROOM_EMAIL_BACKEND = REFUSING
    response = post_comment(client, article.url, comment="Kept", email="ada@example.org")
    assert response.status_code == 302
    assert UnsentConfirmation.objects.get().recipient == "ada@example.org"
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("with_html", [False, True])
def test_a_message_keeps_its_parts_through_the_queue(with_html):
    message = EmailMultiAlternatives(
        "Subject é",
        "Plain body",
        "desk@example.org",
        ["to@example.org"],
        cc=["cc@example.org"],
        bcc=["bcc@example.org"],
        reply_to=["reply@example.org"],
        headers={"X-Newsroom": "1"},
    )
    if with_html:
        message.attach_alternative("<p>HTML body</p>", "text/html")
    message.attach("notes.txt", "Some notes", "text/plain")
    message.attach("data.bin", b"\x00\x01", "application/octet-stream")
    again = message_from_data(message_to_data(message))
    assert again.message().as_bytes() != b""
    for field in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "extra_headers"):
        assert getattr(again, field) == getattr(message, field)
    assert again.alternatives == message.alternatives
    assert [(a[0], a[1], a[2]) for a in again.attachments] == [
        (a[0], a[1], a[2]) for a in message.attachments
    ]
