"""Joining and leaving lists: one set of functions for the sign-up box, the links in e-mails and the admin.

`subscribe(..., confirmed=False)` asks the address to confirm (double opt-in);
a caller that already knows the address is its owner's (a signed-in reader
whose address was verified) passes `confirmed=True` and the subscription
starts at once. Answers never tell whether an address was already subscribed.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Newsletter, Subscriber, Subscription
from .tokens import CONFIRM_VALID_FOR, confirm_token, preferences_token

logger = logging.getLogger(__name__)

SIGNUP_LISTS_CACHE_KEY = "newsletters:signup-lists"
# One confirmation e-mail per address in this window, whatever is asked.
CONFIRMATION_EVERY = timedelta(minutes=10)


def signup_lists() -> list[dict]:
    """The lists offered for sign-up, as plain data, cached until a list changes.

    Every reader page shows the box, and a cached list costs those pages no query.
    """
    try:
        lists = cache.get(SIGNUP_LISTS_CACHE_KEY)
    except Exception:  # a cache that is down costs a query, never the page
        logger.warning("Newsletter lists: cache unavailable", exc_info=True)
        lists, cache_is_up = None, False
    else:
        cache_is_up = True
    if lists is None:
        lists = list(
            Newsletter.objects.filter(is_active=True).values(
                "pk", "name", "slug", "kind", "description", "section_id"
            )
        )
        if cache_is_up:
            try:
                cache.set(SIGNUP_LISTS_CACHE_KEY, lists, 60 * 60)
            except Exception:
                logger.warning("Newsletter lists: cache unavailable", exc_info=True)
    return lists


def normalise_email(email: str) -> str:
    """The domain is case-insensitive; the local part is kept as typed, as mail servers may treat it so."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def subscribe(
    email: str,
    newsletters: Iterable[Newsletter],
    *,
    confirmed: bool = False,
    network: str = "",
    base_url: str = "",
) -> Subscriber:
    """Subscribe `email` to `newsletters`; confirmed at once, or after the e-mailed link is opened.

    The subscriptions are stored unconfirmed until then, and receive nothing.
    Asking again within CONFIRMATION_EVERY sends no second e-mail.
    """
    newsletters = list(newsletters)
    now = timezone.now()
    subscriber = _subscriber_for(normalise_email(email))
    for newsletter in newsletters:
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber, newsletter=newsletter
        )
        if confirmed and (subscription.confirmed_at is None or subscription.unsubscribed_at is not None):
            subscription.confirmed_at = now
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    if confirmed:
        if not subscriber.is_active:
            Subscriber.objects.filter(pk=subscriber.pk).update(is_active=True, deactivated_reason="")
        return subscriber
    recently = (
        subscriber.last_confirmation_sent_at
        and subscriber.last_confirmation_sent_at > now - CONFIRMATION_EVERY
    )
    if not recently and newsletters:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            last_confirmation_sent_at=now, signup_network=network
        )
        try:
            send_confirmation(subscriber, newsletters, base_url)
        except (smtplib.SMTPException, OSError):
            # The queue and the mail server both down (core.mail): the reader may ask again at once.
            logger.warning("Could not send a newsletter confirmation", exc_info=True)
            Subscriber.objects.filter(pk=subscriber.pk).update(last_confirmation_sent_at=None)
    return subscriber


def _subscriber_for(email: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is not None:
        return subscriber
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email)
    except IntegrityError:
        # The same address sent twice at once: the other request made it.
        return Subscriber.objects.get(email__iexact=email)


def send_confirmation(subscriber: Subscriber, newsletters: list[Newsletter], base_url: str) -> None:
    """The double opt-in e-mail: one link, valid CONFIRM_VALID_FOR, naming the lists."""
    path = reverse("newsletters:confirm", args=[confirm_token(subscriber.pk, [n.pk for n in newsletters])])
    context = {
        "confirm_url": base_url + path,
        "newsletters": newsletters,
        "valid_hours": int(CONFIRM_VALID_FOR.total_seconds() // 3600),
    }
    message = EmailMultiAlternatives(
        subject="Confirm your newsletter subscription",
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.send()


def confirm(subscriber_id: int, newsletter_ids: Iterable[int]) -> list[Newsletter]:
    """Start the subscriptions the link names; opening it twice changes nothing more."""
    now = timezone.now()
    subscriptions = Subscription.objects.filter(
        subscriber_id=subscriber_id, newsletter_id__in=list(newsletter_ids)
    )
    subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now)
    # A link opened after leaving: the reader asked to join again.
    subscriptions.filter(unsubscribed_at__isnull=False).update(unsubscribed_at=None, confirmed_at=now)
    return [subscription.newsletter for subscription in subscriptions.select_related("newsletter")]


def unsubscribe(subscriber_id: int, newsletter_id: int) -> Newsletter | None:
    """Leave one list; leaving twice is the same as once. None for a list that no longer exists."""
    Subscription.objects.filter(
        subscriber_id=subscriber_id, newsletter_id=newsletter_id, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    return Newsletter.objects.filter(pk=newsletter_id).first()


def set_preferences(subscriber: Subscriber, wanted: Iterable[Newsletter]) -> None:
    """Keep exactly the `wanted` lists among those the address had confirmed; never adds unconfirmed ones.

    The preference page is reached by a link sent to the address, which proves
    it is the owner's: lists ticked there start at once.
    """
    wanted_ids = {newsletter.pk for newsletter in wanted}
    now = timezone.now()
    Subscription.objects.filter(subscriber=subscriber, unsubscribed_at__isnull=True).exclude(
        newsletter_id__in=wanted_ids
    ).update(unsubscribed_at=now)
    for newsletter_id in wanted_ids:
        subscription, _ = Subscription.objects.get_or_create(
            subscriber=subscriber, newsletter_id=newsletter_id
        )
        if subscription.confirmed_at is None or subscription.unsubscribed_at is not None:
            Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=now, unsubscribed_at=None)


def preferences_path(subscriber_id: int) -> str:
    return reverse("newsletters:preferences", args=[preferences_token(subscriber_id)])
