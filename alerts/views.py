"""The reader's side of alerts: following topics from a browser, and the service worker."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.client_address import client_address

from .models import PushSubscription, SubscriptionTopic
from .push import endpoint_is_allowed
from .topics import describe_topics, is_topic

MAX_BODY_BYTES = 4096
MAX_TOPICS = 20
# Changes of topics per browser address and hour: enough for a reader, not for filling the table.
CHANGES_PER_HOUR = 60
P256DH_BYTES = 65  # an uncompressed P-256 point
AUTH_BYTES = 16


class BadSubscription(ValueError):
    """The request's JSON is not a push subscription with topics; the message says why."""


# No cookie or session is read or written: a forged request can only make the
# server push to a browser the forger controls, so there is nothing for CSRF to protect.
@csrf_exempt
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow and unfollow topics: {"subscription": {...}, "follow": [...], "unfollow": [...]}."""
    try:
        data = _json_body(request)
        endpoint, p256dh, auth = _subscription_fields(data.get("subscription"))
        to_follow = _topics(data.get("follow", []))
        to_unfollow = _topics(data.get("unfollow", [])) - to_follow
        _check_pages_exist(to_follow)
    except BadSubscription as error:
        return JsonResponse({"error": str(error)}, status=400)
    if _too_many_changes(request):
        return JsonResponse({"error": "Too many changes from this address; try again later."}, status=429)
    with transaction.atomic():
        subscription, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth}
        )
        subscription.topics.filter(topic__in=to_unfollow).delete()
        known = set(subscription.topics.values_list("topic", flat=True))
        SubscriptionTopic.objects.bulk_create(
            SubscriptionTopic(subscription=subscription, topic=topic) for topic in sorted(to_follow - known)
        )
        topics = sorted((known | to_follow) - to_unfollow)
        if not topics:
            subscription.delete()
    return JsonResponse({"topics": topics})


@csrf_exempt
@require_POST
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """Forget a browser's subscription entirely: {"endpoint": "..."}. Answered alike if unknown."""
    try:
        endpoint = _endpoint(request)
    except BadSubscription as error:
        return JsonResponse({"error": str(error)}, status=400)
    PushSubscription.objects.filter(endpoint=endpoint).delete()
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def following(request: HttpRequest) -> HttpResponse:
    """What one browser follows: {"endpoint": "..."} -> {"topics": [{"key", "label", "url"}]}.

    For the reader's account page, whose script knows the browser's own
    endpoint: the push address is the secret that already lets its holder
    change or end the subscription. An unknown endpoint follows nothing.
    """
    try:
        endpoint = _endpoint(request)
    except BadSubscription as error:
        return JsonResponse({"error": str(error)}, status=400)
    keys = SubscriptionTopic.objects.filter(subscription__endpoint=endpoint).values_list("topic", flat=True)
    response = JsonResponse({"topics": describe_topics(sorted(keys))})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def service_worker(request: HttpRequest) -> HttpResponse:
    """At the site's root, so that it may show alerts for every page of the site."""
    response = HttpResponse(
        render_to_string("alerts/service-worker.js"), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise BadSubscription("The request is too large.")
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadSubscription("The request is not JSON.") from error
    if not isinstance(data, dict):
        raise BadSubscription("The request must be a JSON object.")
    return data


def _endpoint(request: HttpRequest) -> str:
    """The push address a request names: {"endpoint": "..."}."""
    endpoint = _json_body(request).get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise BadSubscription("Give the subscription's endpoint.")
    return endpoint


def _subscription_fields(subscription: object) -> tuple[str, str, str]:
    if not isinstance(subscription, dict) or not isinstance(subscription.get("keys"), dict):
        raise BadSubscription("Give the browser's push subscription, with its endpoint and keys.")
    endpoint = subscription.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not endpoint_is_allowed(endpoint):
        raise BadSubscription("The endpoint is not a known push service's address.")
    keys = subscription["keys"]
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if _decoded_length(p256dh) != P256DH_BYTES or _decoded_length(auth) != AUTH_BYTES:
        raise BadSubscription("The subscription's keys are not Web Push keys.")
    return endpoint, p256dh, auth


def _decoded_length(value: object) -> int | None:
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return None


def _topics(value: object) -> set[str]:
    if not isinstance(value, list) or len(value) > MAX_TOPICS or not all(is_topic(topic) for topic in value):
        raise BadSubscription('Topics are a list such as ["breaking", "section-3", "live-12"].')
    return set(value)


def _check_pages_exist(topics: set[str]) -> None:
    """A section or live blog to follow must be one readers can see."""
    from news.models import CategoryIndexPage, LiveBlogPage

    wanted = {"section": CategoryIndexPage, "live": LiveBlogPage}
    for kind, model in wanted.items():
        ids = {int(topic.split("-", 1)[1]) for topic in topics if topic.startswith(f"{kind}-")}
        if ids and model.objects.live().public().filter(pk__in=ids).count() != len(ids):
            raise BadSubscription(
                f"There is no such {'section' if kind == 'section' else 'live blog'} to follow."
            )


def _too_many_changes(request: HttpRequest) -> bool:
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"alerts:changes:{address}"
    try:
        cache.add(key, 0, 60 * 60)
        return cache.incr(key) > CHANGES_PER_HOUR
    except Exception:  # a cache that is down never refuses a reader
        return False
