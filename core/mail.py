"""Every e-mail the site sends leaves the request: Django's mail goes through a task.

`QueuedEmailBackend` is the EMAIL_BACKEND: it turns each message into plain
data and enqueues `send_email`, which hands it to the real backend
(NEWSROOM_EMAIL_BACKEND: SMTP in production) in the worker, trying again with
backoff while the mail server refuses it. Comment confirmations and replies,
moderation notices and Wagtail's workflow e-mails all go this way without
knowing it. If the queue does not take a message, it is sent in-line and a
failure raised as before, for the caller's own fallback (discussion.mail keeps
unsent confirmations).
"""

from __future__ import annotations

import base64
import logging
import smtplib
import uuid
from collections.abc import Sequence
from datetime import timedelta
from email import message_from_bytes
from email.mime.base import MIMEBase
from typing import Any

from django_tasks import TaskResultStatus

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from .tasks import enqueue_or_run, retried_task

logger = logging.getLogger(__name__)

# How long a sent message's key is remembered, so a task run twice sends once.
SENT_KEY_TIMEOUT = int(timedelta(days=2).total_seconds())


def message_to_data(message: EmailMessage) -> dict[str, Any]:
    """The message as JSON-able data (the database queue stores task arguments as JSON)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            # A ready MIME part: kept whole, as bytes.
            attachments.append({"mime": base64.b64encode(attachment.as_bytes()).decode()})
            continue
        filename, content, mimetype = attachment
        if isinstance(content, bytes):
            attachments.append(
                {"filename": filename, "base64": base64.b64encode(content).decode(), "mimetype": mimetype}
            )
        else:
            attachments.append({"filename": filename, "text": content, "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
        "attachments": attachments,
    }


def message_from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    for attachment in data["attachments"]:
        if "mime" in attachment:
            message.attach(message_from_bytes(base64.b64decode(attachment["mime"])))
        elif "base64" in attachment:
            message.attach(
                attachment["filename"], base64.b64decode(attachment["base64"]), attachment["mimetype"]
            )
        else:
            message.attach(attachment["filename"], attachment["text"], attachment["mimetype"])
    return message


def _sent_key(key: str) -> str:
    return f"newsroom:mail-sent:{key}"


@retried_task(attempts=8, first_wait=timedelta(minutes=1), longest_wait=timedelta(hours=1))
def send_email(data: dict[str, Any], key: str) -> bool:
    """Send one message with the real backend; an error is retried later by the task.

    `key` makes a repeated run (a worker that died after sending, before
    recording it) send nothing the second time.
    """
    if cache.get(_sent_key(key)):
        return False
    connection = get_connection(settings.NEWSROOM_EMAIL_BACKEND, fail_silently=False)
    connection.send_messages([message_from_data(data)])
    cache.set(_sent_key(key), True, SENT_KEY_TIMEOUT)
    return True


class QueuedEmailBackend(BaseEmailBackend):
    """Enqueue each message for `send_email`; the request waits on no mail server."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            message.message()  # Bad headers raise here, in the caller, as they would when sending.
            result = enqueue_or_run(send_email, message_to_data(message), uuid.uuid4().hex)
            if result.status == TaskResultStatus.FAILED:
                # Sent in-line because the queue was down, and the mail server failed too.
                if not self.fail_silently:
                    raise smtplib.SMTPException(result.errors[-1].traceback.strip().splitlines()[-1])
                continue
            sent += 1
        return sent
