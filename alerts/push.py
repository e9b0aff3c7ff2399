"""Sending one Web Push message (RFC 8030, encrypted per RFC 8291, signed per RFC 8292 VAPID)."""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# How long a push service keeps an alert for a browser that is offline: news goes stale.
ALERT_TIME_TO_LIVE = 6 * 60 * 60
SEND_TIMEOUT = 10
DEVELOPMENT_KEYS_FILE = ".vapid-keys.json"


@dataclass(frozen=True)
class VapidKeys:
    public_key: str  # base64url, the uncompressed point browsers take as applicationServerKey
    private_key: str  # base64url of the raw 32-byte private value


def generate_vapid_keys() -> VapidKeys:
    from cryptography.hazmat.primitives import serialization

    vapid = Vapid()
    vapid.generate_keys()
    private_value = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public_point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(public_key=_b64url(public_point), private_key=_b64url(private_value))


def configured_keys() -> VapidKeys | None:
    """The site's key pair: from the settings, or in development a pair made once and kept."""
    public_key = getattr(settings, "WEBPUSH_VAPID_PUBLIC_KEY", "")
    private_key = getattr(settings, "WEBPUSH_VAPID_PRIVATE_KEY", "")
    if public_key and private_key:
        return VapidKeys(public_key=public_key, private_key=private_key)
    if settings.DEBUG:
        return _development_keys(Path(settings.BASE_DIR) / DEVELOPMENT_KEYS_FILE)
    return None


def vapid_public_key() -> str:
    keys = configured_keys()
    return keys.public_key if keys else ""


def push_is_configured() -> bool:
    return configured_keys() is not None


@functools.cache
def _development_keys(path: Path) -> VapidKeys:
    try:
        return VapidKeys(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        keys = generate_vapid_keys()
        path.write_text(json.dumps(dataclasses.asdict(keys)))
        path.chmod(0o600)
        return keys


def endpoint_is_allowed(endpoint: str) -> bool:
    """Only the browsers' push services: the server posts to these addresses, so an address
    a visitor makes up must not point it at anything else (a private network, another site)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = getattr(settings, "ALERTS_PUSH_SERVICE_HOSTS", ())
    plain_http = getattr(settings, "ALERTS_PUSH_OVER_PLAIN_HTTP", False)  # a local push service in tests
    if parts.scheme != "https" and not (parts.scheme == "http" and plain_http):
        return False
    return any(host == name or (name.startswith(".") and host.endswith(name)) for name in allowed)


class Outcome:
    DELIVERED = "delivered"
    GONE = "gone"
    FAILED = "failed"


def send(subscription_info: dict, payload: dict, session: requests.Session) -> str:
    """Send `payload` to one browser; `Outcome.GONE` when the push service says it no longer exists."""
    keys = configured_keys()
    if keys is None:
        raise ImproperlyConfigured("WEBPUSH_VAPID_PRIVATE_KEY is not set: run manage.py generate_vapid_keys")
    try:
        webpush(
            subscription_info,
            data=json.dumps(payload),
            vapid_private_key=Vapid.from_raw(keys.private_key.encode()),
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            ttl=ALERT_TIME_TO_LIVE,
            timeout=SEND_TIMEOUT,
            requests_session=session,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        # 404 and 410: the reader unsubscribed or the browser dropped the subscription.
        return Outcome.GONE if status in (404, 410) else Outcome.FAILED
    except requests.RequestException:
        return Outcome.FAILED
    return Outcome.DELIVERED


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
