"""A local push service for the tests: takes Web Push messages as a browser vendor's would,
and keeps them, so a test can decrypt what a browser would have been given."""

from __future__ import annotations

import base64
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from alerts.push import VapidKeys, generate_vapid_keys


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Browser:
    """A browser's side of a subscription: the keys it would decrypt with."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def subscription(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )


class PushService:
    """Answers 201 to every message, or the status set for a path (410: the browser left)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.status_for: dict[str, int] = {}
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with service.lock:
                    service.received.append((self.path, dict(self.headers), body))
                self.send_response(service.status_for.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def browser(self, name: str) -> Browser:
        return Browser(endpoint=f"{self.url}/push/{name}")

    def messages_for(self, browser: Browser) -> list[bytes]:
        path = browser.endpoint.removeprefix(self.url)
        with self.lock:
            return [
                browser.decrypt(body) for received_path, _, body in self.received if received_path == path
            ]

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def turn_alerts_on(settings) -> VapidKeys:
    """Push keys set, and the local push service allowed as browsers' push services are."""

    keys = generate_vapid_keys()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = keys.public_key
    settings.WEBPUSH_VAPID_PRIVATE_KEY = keys.private_key
    settings.ALERTS_PUSH_SERVICE_HOSTS = ("127.0.0.1",)
    settings.ALERTS_PUSH_OVER_PLAIN_HTTP = True
    return keys


def subscribed_browser(service: PushService, name: str, *topics: str) -> Browser:
    """A browser of `service` whose push subscription is stored, following `topics`."""
    from alerts.models import PushSubscription, SubscriptionTopic

    browser = service.browser(name)
    subscription = PushSubscription.objects.create(
        endpoint=browser.endpoint,
        p256dh=browser.subscription["keys"]["p256dh"],
        auth=browser.subscription["keys"]["auth"],
    )
    SubscriptionTopic.objects.bulk_create(
        SubscriptionTopic(subscription=subscription, topic=topic) for topic in topics
    )
    return browser
