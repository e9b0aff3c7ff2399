"""Email about reader comments, never at the cost of the comment.

django-comments-xtd sends its mail inside the request and lets a mail server
failure become a 500. The site's mail backend (core.mail) queues every email
for the task worker, which retries what the server refuses; only when the
queue is down is it sent in the request. A confirmation email the server did
not take then is kept as an `UnsentConfirmation` (the signed link holds the
whole comment) and sent again by `manage.py send_pending_mail`, every minute;
a reply notification that fails is logged and dropped, as the comment it
announces is already public.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django_comments_xtd import signed
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment, XtdComment

from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.utils import timezone

from core.tasks import retry_wait

from .models import UnsentConfirmation
from .notifications import notify_comment_followers, send_email_confirmation_request

logger = logging.getLogger(__name__)

# smtplib's errors are OSErrors too, as are refused connections and timeouts.
MAIL_ERRORS = (smtplib.SMTPException, OSError)
# Retries back off from FIRST_WAIT, doubling, to LONGEST_WAIT, so an address the server keeps
# refusing does not cost a try every minute.
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# After this the link is given up on: the reader has long stopped waiting.
GIVE_UP_AFTER = timedelta(days=7)
SEND_BATCH = 200


def sign_comment(comment: TmpXtdComment) -> str:
    """The comment as django-comments-xtd signs it into the confirmation link."""
    return signed.dumps(comment, compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT).decode()


def unsign_comment(key: str) -> TmpXtdComment:
    return signed.loads(key, extra_key=xtd_settings.COMMENTS_XTD_SALT)


def request_confirmation(comment: TmpXtdComment, site: DjangoSite) -> None:
    """Email the link that publishes `comment`; keep it for a later try when the mail server fails."""
    key = sign_comment(comment)
    try:
        send_email_confirmation_request(comment, key.encode(), site)
    except MAIL_ERRORS as exc:
        logger.warning("Could not send a comment confirmation email; kept to send again later", exc_info=True)
        UnsentConfirmation.objects.create(recipient=comment.user_email, key=key, last_error=describe(exc))


def notify_followers(comment: XtdComment) -> None:
    """Tell readers following the thread of a new public comment; a mail failure only costs the notice."""
    try:
        notify_comment_followers(comment)
    except MAIL_ERRORS:
        logger.warning("Could not email the followers of comment %s", comment.pk, exc_info=True)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def server_unreachable(exc: BaseException) -> bool:
    """The mail server could not be reached or would not talk to us: the next emails would fail too."""
    return not isinstance(exc, smtplib.SMTPException) or isinstance(
        exc,
        smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError,
    )


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def send_pending_confirmations(now: datetime | None = None) -> SendReport:
    """Send the confirmation emails that are due; each is sent once, then forgotten.

    Rows are taken one at a time under a lock that concurrent runs skip, so
    two runs at once never send the same email twice (on PostgreSQL; SQLite
    writes one at a time anyway). The run stops at the first sign that the mail
    server is down, rather than waiting on it once per email.
    """
    now = now or timezone.now()
    report = SendReport()
    site = DjangoSite.objects.get_current()
    for expired in UnsentConfirmation.objects.filter(created_at__lt=now - GIVE_UP_AFTER):
        logger.error(
            "Gave up on the comment confirmation email to %s after %s attempts (%s)",
            expired.recipient,
            expired.attempts,
            expired.last_error,
        )
        expired.delete()
        report.given_up += 1
    due = UnsentConfirmation.objects.filter(next_attempt_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)[:SEND_BATCH]):
        with transaction.atomic():
            pending = due.select_for_update(skip_locked=True).filter(pk=pk).first()
            if pending is None:
                continue  # Sent by a run alongside this one.
            try:
                comment = unsign_comment(pending.key)
            except Exception:  # A changed secret key, a deleted article: the link cannot work.
                logger.exception("Gave up on the comment confirmation email to %s", pending.recipient)
                pending.delete()
                report.given_up += 1
                continue
            try:
                send_email_confirmation_request(comment, pending.key.encode(), site)
            except MAIL_ERRORS as exc:
                logger.warning("Could not send a comment confirmation email again", exc_info=True)
                pending.attempts += 1
                pending.last_error = describe(exc)
                pending.next_attempt_at = now + retry_wait(pending.attempts - 1, FIRST_WAIT, LONGEST_WAIT)
                pending.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                report.failed += 1
                if server_unreachable(exc):
                    break
                continue
            pending.delete()
            report.sent += 1
    return report
