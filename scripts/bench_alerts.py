#!/usr/bin/env python
"""Benchmark: one alert to 10,000 browsers through a local push service; never part of `make test`.

    python scripts/bench_alerts.py [--subscriptions 10000] [--workers 2]

On PostgreSQL (database newsroom_bench_alerts, made if missing), with the
database task queue and `--workers` worker processes, as in production without
Redis. The push service is a local HTTP server answering 201, as browsers'
vendors do; every message is encrypted and signed as for a real one.
Prints the time from enqueueing to the last delivery, and messages per second.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import create_database  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "newsroom_bench_alerts"
TIME_LIMIT = 300  # seconds: the target is 60


class QuietPushService(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as push services offer
    received = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with QuietPushService.lock:
            QuietPushService.received += 1
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    push_service = ThreadingHTTPServer(("127.0.0.1", 0), QuietPushService)
    threading.Thread(target=push_service.serve_forever, daemon=True).start()
    push_url = f"http://127.0.0.1:{push_service.server_port}"

    create_database(PG, DATABASE, if_missing=True)
    from alerts.push import generate_vapid_keys

    keys = generate_vapid_keys()
    env = dict(
        os.environ,
        DATABASE_URL=f"{PG}/{DATABASE}",
        DJANGO_SETTINGS_MODULE="bench_alerts_settings",
        WEBPUSH_VAPID_PUBLIC_KEY=keys.public_key,
        WEBPUSH_VAPID_PRIVATE_KEY=keys.private_key,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "scripts")]),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)

    import django

    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from django_tasks_db.models import DBTaskResult

    from wagtail.models import Page

    from alerts import delivery
    from alerts.models import Alert, AlertDelivery, PushSubscription, SubscriptionTopic

    PushSubscription.objects.all().delete()
    Alert.objects.all().delete()
    DBTaskResult.objects.all().delete()
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    p256dh = base64.urlsafe_b64encode(public).rstrip(b"=").decode()
    auth = base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()
    subscriptions = PushSubscription.objects.bulk_create(
        PushSubscription(endpoint=f"{push_url}/push/{n}", p256dh=p256dh, auth=auth)
        for n in range(args.subscriptions)
    )
    SubscriptionTopic.objects.bulk_create(
        (SubscriptionTopic(subscription=s, topic="breaking") for s in subscriptions), batch_size=2000
    )
    story = Page.objects.filter(depth=2, live=True).first()
    alert = Alert.objects.create(page=story, text="Benchmark alert", topics=["breaking"])

    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    try:
        started = time.monotonic()
        delivery.queue_alert(alert)
        while (
            AlertDelivery.objects.filter(alert=alert).exclude(outcome="sending").count() < args.subscriptions
        ):
            if time.monotonic() - started > TIME_LIMIT:
                sys.exit(f"Not finished after {TIME_LIMIT} s")
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    delivered = AlertDelivery.objects.filter(alert=alert, outcome="delivered").count()
    print(
        f"| Alert to {args.subscriptions:,} browsers | {args.workers} workers | {elapsed:.1f} s "
        f"| {args.subscriptions / elapsed:,.0f} messages/s | {delivered:,} delivered "
        f"| {QuietPushService.received:,} received |"
    )


if __name__ == "__main__":
    main()
