"""The scheduled issues: composed at the list's compose time, sent at its send time unless held."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from .models import Issue, IssueStatus, IssueStory, Newsletter, NewsletterKind
from .ranking import ranking

logger = logging.getLogger(__name__)

# A list not composed within this time of its compose time (the scheduler was
# down) skips that day, rather than sending yesterday's news late.
LATE_LIMIT = timedelta(hours=6)


def window_for(newsletter: Newsletter) -> timedelta:
    return timedelta(days=7) if newsletter.kind == NewsletterKind.SECTION else timedelta(days=1)


def compose_issue(newsletter: Newsletter, now: datetime | None = None) -> Issue | None:
    """Compose the issue due now for `newsletter`, once; None when none is due or it exists already."""
    now = now or timezone.now()
    due = newsletter.next_compose_due(now)
    if due is None or now - due > LATE_LIMIT or not newsletter.composes_itself:
        return None
    day = timezone.localtime(due).date()
    if Issue.objects.filter(newsletter=newsletter, composed_for=day).exists():
        return None
    stories = ranking()(newsletter, now - window_for(newsletter), newsletter.story_count)
    send_at = timezone.make_aware(datetime.combine(day, newsletter.send_time))
    if send_at < due:
        send_at += timedelta(days=1)
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                newsletter=newsletter,
                subject=f"{newsletter.name}, {formats.date_format(day, 'l j F')}",
                # Nothing to send: held, so an editor decides (an empty issue would be sent otherwise).
                status=IssueStatus.SCHEDULED if stories else IssueStatus.HELD,
                send_at=send_at,
                composed_for=day,
            )
            IssueStory.objects.bulk_create(
                [
                    IssueStory(issue=issue, page_id=story.pk, sort_order=order)
                    for order, story in enumerate(stories)
                ]
            )
    except IntegrityError:
        return None  # Another scheduler run composed it a moment ago.
    logger.info("Composed %s with %s stories", issue, len(stories))
    return issue


def compose_due(now: datetime | None = None) -> list[Issue]:
    composed = []
    for newsletter in Newsletter.objects.filter(is_active=True).exclude(kind=NewsletterKind.BREAKING):
        issue = compose_issue(newsletter, now)
        if issue is not None:
            composed.append(issue)
    return composed


def issues_due(now: datetime | None = None):
    return Issue.objects.filter(status=IssueStatus.SCHEDULED, send_at__lte=now or timezone.now())
