"""Sending an alert to every subscription of its topics, through the task queue.

`send_alert` splits the readers into batches by id (never the whole list in
memory) and queues a task per batch. A batch claims each delivery by making
its row first (unique per alert and subscription), so a batch run twice (a
worker killed mid-batch, a retry) never sends an alert twice to one browser.
"""

from __future__ import annotations

import logging

import requests

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from core.listings import not_expired
from core.tasks import enqueue_or_run, retried_task

from . import push
from .models import Alert, AlertDelivery, AlertStatus, PushSubscription, SubscriptionTopic
from .topics import live_blog_topic

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def story_is_public(page: Page) -> bool:
    """Live, not expired, and with no view restriction on it or above it."""
    page = Page.objects.filter(not_expired(), pk=page.pk, live=True).first()
    if page is None:
        return False
    return not PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True)).exists()


def queue_alert(alert: Alert) -> None:
    enqueue_or_run(send_alert, alert.pk)


def alert_live_blog_followers(live_blog: Page, text: str, user, anchor: str = "") -> Alert | None:
    """Send `text` to the browsers following `live_blog` (a new entry's alert, from the live desk).

    None, and nothing stored or sent, when the live blog is not public (a
    draft, scheduled, private or expired): the caller tells the editor.
    """
    if not story_is_public(live_blog):
        return None
    alert = Alert.objects.create(
        page=live_blog, text=text, topics=[live_blog_topic(live_blog).key], created_by=user, anchor=anchor
    )
    queue_alert(alert)
    return alert


@retried_task(attempts=3)
def send_alert(alert_id: int) -> dict:
    alert = Alert.objects.select_related("page").get(pk=alert_id)
    if not story_is_public(alert.page):
        Alert.objects.filter(pk=alert_id).update(status=AlertStatus.WITHHELD, finished_at=timezone.now())
        return {"withheld": True}
    Alert.objects.filter(pk=alert_id).update(status=AlertStatus.SENDING)
    subscription_ids = (
        SubscriptionTopic.objects.filter(topic__in=alert.topics)
        .order_by("subscription_id")
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    batches, last_id = 0, 0
    while True:
        batch = list(subscription_ids.filter(subscription_id__gt=last_id)[:BATCH_SIZE])
        if not batch:
            break
        enqueue_or_run(deliver_batch, alert_id, batch)
        batches, last_id = batches + 1, batch[-1]
    enqueue_or_run(finish_alert, alert_id)
    return {"batches": batches}


@retried_task(attempts=5)
def deliver_batch(alert_id: int, subscription_ids: list[int]) -> dict:
    alert = Alert.objects.select_related("page").get(pk=alert_id)
    # The story's path: the service worker opens it on the site's own origin. The tag lets a
    # browser show an alert once, however often a push service delivers it.
    url_parts = alert.page.get_url_parts()
    path = url_parts[2] if url_parts else "/"
    payload = {
        "title": alert.text,
        "url": f"{path}#{alert.anchor}" if alert.anchor and url_parts else path,
        "tag": f"alert-{alert.pk}",
    }
    counts = {"delivered": 0, "gone": 0, "failed": 0, "already": 0}
    with requests.Session() as session:
        for subscription in (
            PushSubscription.objects.filter(pk__in=subscription_ids).order_by("pk").iterator()
        ):
            try:
                with transaction.atomic():
                    delivery = AlertDelivery.objects.create(alert=alert, subscription=subscription)
            except IntegrityError:
                counts["already"] += 1
                continue
            outcome = push.send(subscription.as_subscription_info(), payload, session)
            counts[outcome] += 1
            AlertDelivery.objects.filter(pk=delivery.pk).update(outcome=outcome)
            if outcome == push.Outcome.GONE:
                subscription.delete()
    return counts


@retried_task(attempts=3)
def finish_alert(alert_id: int) -> None:
    Alert.objects.filter(pk=alert_id, status=AlertStatus.SENDING).update(
        status=AlertStatus.SENT, finished_at=timezone.now()
    )
