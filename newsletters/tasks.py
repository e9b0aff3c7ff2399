"""Background work of newsletters, on the site's task queue (core.tasks): planning and sending batches."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.tasks import enqueue_or_run, retried_task

from . import sending
from .messages import issue_message
from .models import Delivery, Issue, IssueStatus


def start_sending(issue: Issue) -> bool:
    """Send `issue` now, unless it is already going or gone; True when this call started it."""
    started = Issue.objects.filter(pk=issue.pk, status__in=[IssueStatus.SCHEDULED, IssueStatus.HELD]).update(
        status=IssueStatus.SENDING, sent_at=timezone.now()
    )
    if started:
        enqueue_or_run(plan_issue, issue.pk)
    return bool(started)


@retried_task(attempts=5, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=30))
def plan_issue(issue_id: int) -> int:
    """Make every recipient's delivery row and queue their batches; safe to run again.

    The rows are made by one INSERT ... SELECT in the database; the batches are
    read back in keyset-ordered chunks (subscriber id after the last one seen),
    so a list of any size is never in memory at once.
    """
    issue = Issue.objects.get(pk=issue_id)
    issue_message(issue_id)  # Rendered once, here, for every batch.
    sending.make_deliveries(issue_id, issue.newsletter_id)
    recipients = Delivery.objects.filter(issue_id=issue_id).order_by("subscriber_id")
    after, total = 0, 0
    while True:
        chunk = list(
            recipients.filter(subscriber_id__gt=after).values_list("subscriber_id", flat=True)[
                : sending.batch_size()
            ]
        )
        if not chunk:
            break
        enqueue_or_run(send_batch, issue_id, chunk[0], chunk[-1])
        after = chunk[-1]
        total += len(chunk)
    Issue.objects.filter(pk=issue_id).update(planned_at=timezone.now(), recipients=total)
    sending.finish_if_done(issue_id)
    return total


@retried_task(
    attempts=sending.MAX_ATTEMPTS + 1, first_wait=timedelta(minutes=1), longest_wait=timedelta(hours=1)
)
def send_batch(issue_id: int, first_subscriber_id: int, last_subscriber_id: int) -> dict[str, int]:
    return sending.send(issue_id, first_subscriber_id, last_subscriber_id)
