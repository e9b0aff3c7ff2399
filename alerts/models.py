"""Readers' push subscriptions, and the alerts editors send to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from wagtail.models import Page

from .topics import TOPIC_MAX_LENGTH


class PushSubscription(models.Model):
    """A browser's Web Push subscription: where to send, and the keys to encrypt for it.

    Nothing about the reader is stored: the endpoint is an opaque address at
    the browser's push service, and it is the only thing that identifies it.
    """

    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk}"

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class SubscriptionTopic(models.Model):
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=TOPIC_MAX_LENGTH, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "topic"], name="one_topic_once")]

    def __str__(self) -> str:
        return self.topic


class AlertStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    WITHHELD = "withheld", "Not sent: the story is not public"


class Alert(models.Model):
    """One alert about a story, to the readers of some topics."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    topics = models.JSONField(default=list)
    # Where on the story's page the alert opens: a live blog entry's anchor ("entry-12"), or the top.
    anchor = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class AlertDelivery(models.Model):
    """An alert sent (or being sent) to one subscription: made before sending, so never sent twice."""

    class Outcome(models.TextChoices):
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        GONE = "gone", "Subscription gone"
        FAILED = "failed", "Failed"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    # Kept (as null) when a gone subscription is deleted, so the count stays true.
    subscription = models.ForeignKey(PushSubscription, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscription"], name="one_delivery_per_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.subscription_id}: {self.outcome}"
