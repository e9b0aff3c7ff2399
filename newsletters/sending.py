"""Sending an issue: a delivery row per recipient, claimed before its message goes out.

`tasks.start_sending` turns an issue to "sending" once (an issue cannot start
twice); `plan_issue` renders the e-mail once (messages.issue_message), walks the
confirmed subscribers in keyset-ordered chunks (never the whole list in memory),
makes their delivery rows and queues a batch task per chunk; `send_batch` sends
a chunk over one SMTP connection, in the same few queries whatever its size.

Once only: a batch's pending rows are claimed (pending → claimed) by one
UPDATE ... RETURNING, committed before its first message is handed to the mail
server; only the run whose statement changed a row sends it. The outcomes are
recorded in bulk when the batch ends or is stopped (the message being handed
over then stays claimed, the ones after it go back to pending). A claimed row
is never sent again: a batch task that runs twice finds nothing pending, and a
worker killed outright leaves its batch's rows claimed, given up after an hour
(at most once: a reader would rather miss one issue than get it twice).
Refusals: 5xx is permanent (the address is made inactive), 4xx is temporary
(the row waits for the batch's retry, with backoff).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from .messages import IssueMail, issue_message, message_for, render_issue
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, Subscription

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
    """Send the pending deliveries of one batch; raises TemporaryRefusal if some must wait.

    A batch costs the same few queries whatever its size: its rows are claimed
    by one UPDATE (committed before the first message goes out), the messages
    go over one SMTP connection, and what happened is recorded afterwards by
    one UPDATE per outcome.
    """
    batch = Delivery.objects.filter(
        issue_id=issue_id, subscriber_id__gte=first_subscriber_id, subscriber_id__lte=last_subscriber_id
    )
    counts = {"sent": 0, "refused": 0, "waiting": 0}
    # Addresses that stopped taking mail since the issue was planned: not tried.
    counts["refused"] = batch.filter(status=DeliveryStatus.PENDING, subscriber__is_active=False).update(
        status=DeliveryStatus.REFUSED, last_error="The address no longer takes mail."
    )
    # Made before anything is claimed: a failure here leaves the batch as it was.
    mail = IssueMail(issue_message(issue_id))
    claimed = claim(issue_id, first_subscriber_id, last_subscriber_id)
    if claimed:
        outcome = _send_claimed(mail, claimed)
        counts["sent"] += len(outcome.sent)
        counts["refused"] += len(outcome.refused)
        counts["waiting"] += len(outcome.waiting) + len(outcome.untried)
    if counts["waiting"]:
        _give_up_on_exhausted(issue_id, first_subscriber_id, last_subscriber_id)
        if batch.filter(status=DeliveryStatus.PENDING).exists():
            raise TemporaryRefusal(f"{counts['waiting']} recipients of issue {issue_id} to try again")
    finish_if_done(issue_id)
    return counts


def make_deliveries(issue_id: int, newsletter_id: int) -> None:
    """A pending delivery row for each of the list's receiving subscribers who has none yet.

    One INSERT ... SELECT: the list never passes through Python.
    """
    receiving = Subscription.objects.receiving().filter(newsletter_id=newsletter_id).values("subscriber_id")
    select, params = receiving.query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    columns = "(issue_id, subscriber_id, status, attempts, last_error)"
    rows = f"SELECT %s, receiving.subscriber_id, %s, 0, '' FROM ({select}) receiving"  # noqa: S608
    if connection.vendor == "sqlite":
        sql = f"INSERT OR IGNORE INTO {table} {columns} {rows}"
    else:
        sql = f"INSERT INTO {table} {columns} {rows} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [issue_id, DeliveryStatus.PENDING.value, *params])


def claim(issue_id: int, first_subscriber_id: int, last_subscriber_id: int) -> list[tuple[int, int, str]]:
    """Claim the batch's pending deliveries to addresses that take mail: (delivery, subscriber, address).

    One UPDATE ... RETURNING: a row is claimed by the one run whose statement
    changed it, so two runs of a batch at once never claim the same row.
    """
    delivery = connection.ops.quote_name(Delivery._meta.db_table)
    subscriber = connection.ops.quote_name(Subscriber._meta.db_table)
    # Table names come from the models, values are parameters.
    sql = (
        f"UPDATE {delivery} SET status = %s, claimed_at = %s, attempts = attempts + 1"  # noqa: S608
        f" WHERE issue_id = %s AND subscriber_id >= %s AND subscriber_id <= %s AND status = %s"
        f" AND subscriber_id IN (SELECT id FROM {subscriber} WHERE is_active = %s AND id >= %s AND id <= %s)"
        f" RETURNING id, subscriber_id,"
        f" (SELECT email FROM {subscriber} WHERE {subscriber}.id = {delivery}.subscriber_id)"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [DeliveryStatus.CLAIMED.value, now, issue_id, first_subscriber_id, last_subscriber_id]
    params += [DeliveryStatus.PENDING.value, True, first_subscriber_id, last_subscriber_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return sorted(rows, key=lambda row: row[1])


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)
    # (delivery, subscriber, SMTP code, error)
    refused: list[tuple[int, int, int, str]] = field(default_factory=list)
    # (delivery, error): back in the queue for the batch's retry, the try counted.
    waiting: list[tuple[int, str]] = field(default_factory=list)
    # Deliveries not tried (the connection failed before them): back in the queue, no try counted.
    untried: list[int] = field(default_factory=list)


def _send_claimed(mail: IssueMail, claimed: list[tuple[int, int, str]]) -> Outcome:
    """Send the claimed deliveries over one connection, then record what happened in bulk.

    Whatever stops the loop, what was learnt is recorded. A message whose fate
    is unknown (the worker was stopped while handing it over) stays claimed and
    is never sent again; the ones after it go back to the queue.
    """
    issue_id = mail.rendered.issue_id
    outcome = Outcome()
    tried = 0  # Claimed rows whose outcome is known.
    handing_over = False
    mail_connection = get_connection(settings.NEWSROOM_EMAIL_BACKEND, fail_silently=False)
    try:
        mail_connection.open()
        for delivery_id, subscriber_id, address in claimed:
            handing_over = True
            try:
                mail_connection.send_messages([mail.message(subscriber_id, address)])
            except CONNECTION_ERRORS as exc:
                handing_over, tried = False, tried + 1
                code = recipient_refusal_code(exc)
                if code is not None and 500 <= code < 600:
                    outcome.refused.append((delivery_id, subscriber_id, code, describe(exc)))
                    continue
                # A temporary refusal, or not handed over (or not known to be): waits for the retry.
                outcome.waiting.append((delivery_id, describe(exc)))
                if code is None:
                    logger.warning("Newsletter batch of issue %s stopped: %s", issue_id, exc)
                    break  # The connection is no use now.
            except Exception as exc:
                # Not about the connection (a message that could not be made): the others go on.
                handing_over, tried = False, tried + 1
                logger.exception("Newsletter message of issue %s to %s not sent", issue_id, subscriber_id)
                outcome.waiting.append((delivery_id, describe(exc)))
            else:
                handing_over, tried = False, tried + 1
                outcome.sent.append(delivery_id)
    except CONNECTION_ERRORS as exc:  # Opening the connection failed.
        logger.warning("Newsletter batch of issue %s stopped: %s", issue_id, exc)
    finally:
        try:
            mail_connection.close()
        except CONNECTION_ERRORS:
            pass
        rest = claimed[tried + 1 if handing_over else tried :]
        outcome.untried = [delivery_id for delivery_id, _, _ in rest]
        _record(outcome)
    return outcome


def _each(values: dict[int, str]) -> Case:
    """A value per delivery or subscriber id, for one UPDATE of many rows."""
    return Case(*(When(pk=pk, then=Value(value)) for pk, value in values.items()), output_field=CharField())


def _record(outcome: Outcome) -> None:
    now = timezone.now()
    with transaction.atomic():
        if outcome.sent:
            Delivery.objects.filter(pk__in=outcome.sent).update(status=DeliveryStatus.SENT, sent_at=now)
        if outcome.refused:
            errors = {delivery_id: error for delivery_id, _, _, error in outcome.refused}
            Delivery.objects.filter(pk__in=errors).update(
                status=DeliveryStatus.REFUSED, last_error=_each(errors)
            )
            reasons = {
                subscriber_id: f"Refused by its mail server ({code})."[:255]
                for _, subscriber_id, code, _ in outcome.refused
            }
            Subscriber.objects.filter(pk__in=reasons).update(
                is_active=False, deactivated_reason=_each(reasons)
            )
            for _, subscriber_id, code, _ in outcome.refused:
                logger.info("Newsletter address %s refused for good (%s): made inactive", subscriber_id, code)
        if outcome.waiting:
            errors = dict(outcome.waiting)
            Delivery.objects.filter(pk__in=errors).update(
                status=DeliveryStatus.PENDING, last_error=_each(errors)
            )
        if outcome.untried:
            Delivery.objects.filter(pk__in=outcome.untried, status=DeliveryStatus.CLAIMED).update(
                status=DeliveryStatus.PENDING, attempts=F("attempts") - 1
            )


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
