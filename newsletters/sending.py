"""Sending an issue: a delivery row per recipient, claimed before its message goes out.

`tasks.start_sending` turns an issue to "sending" once (an issue cannot start
twice); `plan_issue` walks the confirmed subscribers in keyset-ordered chunks
(never the whole list in memory), makes their delivery rows and queues a
batch task per chunk; `send_batch` sends a chunk over one SMTP connection.

Once only: a row is claimed (pending → claimed) by an UPDATE that only one
worker can win before its message is handed to the mail server, and marked
sent after. A batch task that runs twice finds nothing pending; a worker that
dies mid-batch leaves at most the message it was sending claimed, and a claimed
row is never sent again (at most once: a reader would rather miss one issue
than get it twice). Refusals: 5xx is permanent (the address is made inactive),
4xx is temporary (the row waits for the batch's retry, with backoff).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from .messages import RenderedIssue, message_for, render_issue
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_ATTEMPTS = 5
# A delivery claimed this long ago by a worker that never finished it is given up, not resent.
CLAIM_ABANDONED_AFTER = timedelta(hours=1)
# Errors after which the connection is no use: the rest of the batch waits for the retry
# (smtplib's errors are OSErrors too; refusals of one recipient are handled before).
CONNECTION_ERRORS = (smtplib.SMTPException, OSError)
NOT_ABOUT_THE_RECIPIENT = (
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
)


class TemporaryRefusal(Exception):
    """Some recipients of a batch were refused for now (4xx) or the server went away: try the batch later."""


def batch_size() -> int:
    return int(getattr(settings, "NEWSLETTERS_BATCH_SIZE", BATCH_SIZE))


def recipient_refusal_code(exc: BaseException) -> int | None:
    """The SMTP code when the server refused this recipient or this message; None for any other failure.

    A refused sender, a failed greeting or login, or a dropped connection say
    nothing about the recipient: the batch stops and is retried instead.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return min(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, NOT_ABOUT_THE_RECIPIENT):
        return exc.smtp_code
    return None


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def send(issue_id: int, first_subscriber_id: int, last_subscriber_id: int) -> dict[str, int]:
    """Send the pending deliveries of one batch; raises TemporaryRefusal if some must wait."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    counts = {"sent": 0, "refused": 0, "waiting": 0}
    pending = (
        Delivery.objects.filter(
            issue_id=issue_id,
            subscriber_id__gte=first_subscriber_id,
            subscriber_id__lte=last_subscriber_id,
            status=DeliveryStatus.PENDING,
        )
        .order_by("subscriber_id")
        .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__is_active")
    )
    rows = list(pending)
    if rows:
        rendered = render_issue(issue)
        connection = get_connection(settings.NEWSROOM_EMAIL_BACKEND, fail_silently=False)
        try:
            connection.open()
            for delivery_id, subscriber_id, email, active in rows:
                outcome = _deliver(connection, rendered, delivery_id, subscriber_id, email, active)
                counts[outcome] = counts.get(outcome, 0) + 1
        except CONNECTION_ERRORS as exc:
            logger.warning("Newsletter batch of issue %s stopped: %s", issue_id, exc)
            counts["waiting"] += 1
        finally:
            try:
                connection.close()
            except CONNECTION_ERRORS:
                pass
    if counts["waiting"]:
        _give_up_on_exhausted(issue_id, first_subscriber_id, last_subscriber_id)
        still = Delivery.objects.filter(
            issue_id=issue_id,
            subscriber_id__gte=first_subscriber_id,
            subscriber_id__lte=last_subscriber_id,
            status=DeliveryStatus.PENDING,
        ).exists()
        if still:
            raise TemporaryRefusal(f"{counts['waiting']} recipients of issue {issue_id} to try again")
    finish_if_done(issue_id)
    return counts


def _deliver(
    connection, rendered: RenderedIssue, delivery_id: int, subscriber_id: int, email: str, active: bool
) -> str:
    if not active:
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.REFUSED, last_error="The address no longer takes mail."
        )
        return "refused"
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CLAIMED, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"  # Another run of this batch has it.
    try:
        connection.send_messages([message_for(rendered, subscriber_id, email)])
    except Exception as exc:
        code = recipient_refusal_code(exc)
        if code is None:
            # Not handed over (or not known to be): back in the queue for the batch's retry.
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.PENDING, last_error=describe(exc)
            )
            raise
        if 500 <= code < 600:
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.REFUSED, last_error=describe(exc)
            )
            Subscriber.objects.filter(pk=subscriber_id).update(
                is_active=False, deactivated_reason=f"Refused by its mail server ({code})."[:255]
            )
            logger.info("Newsletter address %s refused for good (%s): made inactive", subscriber_id, code)
            return "refused"
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.PENDING, last_error=describe(exc)
        )
        return "waiting"
    Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    return "sent"


def _record(delivery_id: int, status: str, exc: BaseException) -> None:
    Delivery.objects.filter(pk=delivery_id).update(status=status, last_error=describe(exc))


def _give_up_on_exhausted(issue_id: int, first: int, last: int) -> None:
    Delivery.objects.filter(
        issue_id=issue_id,
        subscriber_id__gte=first,
        subscriber_id__lte=last,
        status=DeliveryStatus.PENDING,
        attempts__gte=MAX_ATTEMPTS,
    ).update(status=DeliveryStatus.FAILED)


def finish_if_done(issue_id: int) -> bool:
    """Mark a planned issue sent once nothing of it waits; True if this call did."""
    if Delivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.PENDING).exists():
        return False
    return bool(
        Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING, planned_at__isnull=False).update(
            status=IssueStatus.SENT
        )
    )


def abandon_stale_claims(now: datetime | None = None) -> int:
    """Deliveries a dead worker left claimed: not sent again (it may have gone out), recorded as failed."""
    cutoff = (now or timezone.now()) - CLAIM_ABANDONED_AFTER
    stale = Delivery.objects.filter(status=DeliveryStatus.CLAIMED, claimed_at__lt=cutoff)
    issue_ids = set(stale.values_list("issue_id", flat=True).distinct()[:1000])
    count = stale.update(
        status=DeliveryStatus.FAILED, last_error="The worker stopped while sending; not resent."
    )
    for issue_id in issue_ids:
        finish_if_done(issue_id)
    return count


def send_test(issue: Issue, email: str) -> None:
    """The issue as a recipient sees it, to `email`, through the site's mail queue; its links lead nowhere."""
    rendered = render_issue(issue)
    rendered.subject = f"[Test] {rendered.subject}"
    message_for(rendered, 0, email).send()
