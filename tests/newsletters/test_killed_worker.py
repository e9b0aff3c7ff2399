"""A worker killed (SIGKILL) in the middle of a newsletter batch: no reader gets the issue twice.

A real SMTP server (aiosmtpd) and real worker processes (`manage.py run_worker`
on the database queue) on the test database. The server takes two messages and
holds the third unanswered; the worker is killed then, with no chance to
record anything. The next worker runs the batch task again and sends nothing
more: the batch's rows were claimed, in one committed UPDATE, before its first
message went out, and a claimed row is never sent again (it is given up later).
"""

from __future__ import annotations

import subprocess
from email import message_from_bytes

import pytest

from newsletters.models import Delivery
from newsletters.tasks import start_sending
from tests.core.test_killed_worker import (
    BASE_DIR,
    WORKER,
    WORKER_SECONDS,
    first_column,
    holding_smtp_server,
    killed_when,
    wait_for_first_message,
    worker_database_url,
    worker_environment,
)
from tests.factories import IssueFactory, NewsletterFactory, SubscriptionFactory


@pytest.fixture
def sink():
    # The third message is held: two went out before the worker is killed.
    with holding_smtp_server(held=3) as served:
        yield served


def delivery_statuses(database_url: str) -> list[str]:
    query = f"SELECT status FROM {Delivery._meta.db_table} ORDER BY subscriber_id"  # noqa: S608
    return first_column(database_url, query)


@pytest.mark.django_db(transaction=True)  # The worker reads the test database: nothing held open.
def test_a_worker_killed_mid_batch_sends_no_message_twice(settings, sink, tmp_path):
    server, smtp_port = sink
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Its own list: a transactional test before it may have flushed the ones migrations make.
    daily = NewsletterFactory(name="Daily briefing, killed worker")
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(5)]
    assert start_sending(IssueFactory(newsletter=daily, subject="Killed mid-batch"))
    database_url = worker_database_url(tmp_path)
    environment = worker_environment(database_url, smtp_port)

    first = subprocess.Popen(  # noqa: S603
        WORKER, cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    killed_when(first, lambda: wait_for_first_message(server, first))
    server.sender_killed.set()
    assert len(server.accepted) == 2
    assert delivery_statuses(database_url) == ["claimed"] * 5  # Nothing recorded: it was killed.

    for _ in range(2):  # The next worker runs the batch again, and again finds nothing to send.
        second = subprocess.run(  # noqa: S603
            [*WORKER, "--burst"], cwd=BASE_DIR, env=environment, capture_output=True, timeout=WORKER_SECONDS
        )
        assert second.returncode == 0, second.stderr.decode(errors="replace")

    recipients = [message_from_bytes(data)["To"] for data in server.accepted]
    in_order = sorted(subscriptions, key=lambda subscription: subscription.subscriber_id)
    assert recipients == [subscription.subscriber.email for subscription in in_order[:2]]
    assert delivery_statuses(database_url) == ["claimed"] * 5  # Given up an hour later, never resent.
