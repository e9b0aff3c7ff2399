"""A signed-in reader's newsletters: the lists at their account's address, joined or left at once.

The reader's address was verified when they signed in (an e-mailed link or
code), so what they tick starts without the double opt-in e-mail
(`subscribe(..., confirmed=True)`). Subscriptions stay tied to the address,
not to the account: the same rows an anonymous sign-up with that address makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower

from .models import Newsletter, Subscriber, Subscription
from .subscriptions import normalise_email, subscribe, unsubscribe


def subscriber_of(email: str) -> Subscriber | None:
    """The subscriber row of an address, whatever the case it was typed in (as sign-up finds it)."""
    return Subscriber.objects.filter(email__iexact=normalise_email(email)).first()


def receiving_slugs(email: str) -> list[str]:
    """The slugs of the lists `email` receives, for /account/me.json on every page a reader opens.

    Compared without case, as sign-up and the account page compare: an address
    signed up as "Ada.Lovelace@…" before its reader signed in as "ada.lovelace@…"
    is the same reader. One lookup on the index of lower-cased addresses.
    """
    return list(
        Subscription.objects.receiving()
        .alias(address=Lower("subscriber__email"))
        # Lower-cased by the database on both sides: SQLite folds ASCII only, Python folds more.
        .filter(address=Lower(Value(email)))
        .order_by("newsletter__sort_order", "newsletter__name")
        .values_list("newsletter__slug", flat=True)
    )


def receiving_lists(subscriber: Subscriber | None) -> QuerySet[Newsletter]:
    if subscriber is None:
        return Newsletter.objects.none()
    return Newsletter.objects.filter(
        subscriptions__in=Subscription.objects.filter(subscriber=subscriber).receiving()
    )


def join(email: str, newsletters: Iterable[Newsletter]) -> Subscriber:
    """Subscribe a verified address at once (no confirmation e-mail)."""
    return subscribe(email, list(newsletters), confirmed=True)


def set_lists(email: str, wanted: Iterable[Newsletter], offered: Iterable[Newsletter]) -> None:
    """Receive exactly the `wanted` lists among the `offered` ones; lists not offered are left as they are."""
    wanted = list(wanted)
    wanted_ids = {newsletter.pk for newsletter in wanted}
    with transaction.atomic():
        subscriber = join(email, wanted) if wanted else subscriber_of(email)
        if subscriber is None:
            return
        leaving = (
            Subscription.objects.filter(subscriber=subscriber, unsubscribed_at__isnull=True)
            .filter(newsletter__in=[n.pk for n in offered if n.pk not in wanted_ids])
            .values_list("newsletter_id", flat=True)
        )
        for newsletter_id in list(leaving):
            unsubscribe(subscriber.pk, newsletter_id)


def export(email: str) -> dict[str, Any]:
    """The reader's newsletter rows, for "Download my data"."""
    subscriber = subscriber_of(email)
    if subscriber is None:
        return {"newsletters": None}
    subscriptions = Subscription.objects.filter(subscriber=subscriber).select_related("newsletter")

    def when(moment) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "newsletters": {
            "address": subscriber.email,
            "receives_mail": subscriber.is_active,
            "subscriptions": [
                {
                    "newsletter": subscription.newsletter.name,
                    "asked": when(subscription.created_at),
                    "confirmed": when(subscription.confirmed_at),
                    "left": when(subscription.unsubscribed_at),
                }
                for subscription in subscriptions.order_by("created_at", "pk")
            ],
            "issues_sent": [
                {"issue": delivery.issue.subject, "status": delivery.status, "sent": when(delivery.sent_at)}
                for delivery in subscriber.deliveries.select_related("issue").order_by("pk").iterator()
            ],
        }
    }


def erase(email: str) -> None:
    """Forget the address: its subscriptions and the record of the issues sent to it."""
    Subscriber.objects.filter(email__iexact=normalise_email(email)).delete()
