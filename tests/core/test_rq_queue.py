"""Production's queue: RQ on Redis, with a real worker; a Redis that is down costs no request.

The queue is on a Redis database of its own (the `rq_queue` fixture, tests/core/conftest.py).
"""

import socket

import django_rq
import pytest
from django_tasks_rq import Job
from rq import SimpleWorker

from django.core import mail
from django.core.mail import send_mail

from core.mail import send_email
from tests.core.conftest import use_rq
from tests.core.test_task_report import REPORT, RETRY, member_of

MESSAGE = {
    "subject": "S",
    "body": "B",
    "from_email": "a@example.org",
    "to": ["b@example.org"],
    "cc": [],
    "bcc": [],
    "reply_to": [],
    "headers": {},
    "alternatives": [],
    "content_subtype": "plain",
    "attachments": [],
}


@pytest.fixture
def editor_client(client, db):
    client.force_login(member_of("Editors", "eddie"))
    return client


def run_rq_worker() -> None:
    """RQ's worker, in this process (no fork: the test's database transaction and outbox)."""
    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True, with_scheduler=False)


def test_an_email_waits_in_redis_until_the_rq_worker_sends_it(rq_queue):
    send_mail("Queued on Redis", "Body", "desk@example.org", ["editor@example.org"])
    assert mail.outbox == []
    assert rq_queue.llen("rq:queue:default") == 1
    run_rq_worker()
    assert [message.subject for message in mail.outbox] == ["Queued on Redis"]


def test_a_failed_rq_task_is_in_the_report_and_the_retry_button_requeues_it(
    rq_queue, settings, editor_client
):
    settings.NEWSROOM_EMAIL_BACKEND = "tests.discussion.mail_backends.RefusingBackend"
    send_email.enqueue(MESSAGE, "last-try", _attempt=8)
    run_rq_worker()
    page = editor_client.get(REPORT).text
    assert '<td data-count="failed">1</td>' in page
    assert "ConnectionRefusedError" in page

    editor_client.post(RETRY)
    assert rq_queue.llen("rq:queue:default") == 1
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_rq_worker()
    assert len(mail.outbox) == 1
    assert '<td data-count="failed">0</td>' in editor_client.get(REPORT).text


def test_worker_health_reads_the_rq_queue(rq_queue, client, settings):
    send_email.enqueue(MESSAGE, "waiting")
    assert client.get("/healthz/worker").status_code == 200
    settings.NEWSROOM_WORKER_MAX_QUEUE_AGE = -1
    assert client.get("/healthz/worker").status_code == 503


def test_with_redis_down_an_email_is_sent_in_line_and_a_publish_still_works(
    settings, db, article, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    use_rq(settings, f"redis://127.0.0.1:{port}/0")
    assert send_mail("Sent anyway", "Body", "desk@example.org", ["editor@example.org"]) == 1
    assert [message.subject for message in mail.outbox] == ["Sent anyway"]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.live
