"""Editors see what the task queue holds and what failed, and put failed tasks back; /healthz/worker."""

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.mail import send_email
from tests.worker import queued

REPORT = "/admin/reports/background-tasks/"
RETRY = "/admin/reports/background-tasks/retry/"


def member_of(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_client(client, db):
    client.force_login(member_of("Editors", "eddie"))
    return client


@pytest.fixture
def failed_mail(settings, run_worker):
    """An e-mail the mail server refused at every try: failed, with its error."""
    settings.NEWSROOM_EMAIL_BACKEND = "tests.discussion.mail_backends.RefusingBackend"
    message = {"subject": "S", "body": "B", "from_email": "a@example.org", "to": ["b@example.org"]}
    message |= {"cc": [], "bcc": [], "reply_to": [], "headers": {}, "alternatives": []}
    message |= {"content_subtype": "plain", "attachments": []}
    send_email.enqueue(message, "key-1")
    for _ in range(8):
        run_worker(make_due=True)
    return DBTaskResult.objects.get(status="FAILED")


def test_a_task_that_fails_every_try_ends_failed_and_the_report_shows_its_error(editor_client, failed_mail):
    assert DBTaskResult.objects.filter(task_path="core.mail.send_email").count() == 8
    assert "ConnectionRefusedError" in failed_mail.traceback

    response = editor_client.get(REPORT)
    assert response.status_code == 200
    assert '<td data-count="failed">1</td>' in response.text
    assert '<td data-count="finished">7</td>' in response.text
    assert '<td data-count="queued">0</td>' in response.text
    assert "core.mail.send_email" in response.text
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in response.text
    assert "Retry all failed tasks" in response.text


def test_the_retry_button_puts_the_failed_task_back_with_its_tries_afresh(
    editor_client, failed_mail, run_worker, settings
):
    response = editor_client.post(RETRY, {"task": str(failed_mail.pk)})
    assert response.status_code == 302
    assert "1 failed task put back in the queue." in editor_client.get(response["Location"]).text
    [again] = queued("core.mail.send_email")
    assert again.pk == failed_mail.pk
    assert "_attempt" not in again.args_kwargs["kwargs"]

    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_retry_all_and_bad_retries(editor_client, failed_mail):
    assert editor_client.get(RETRY).status_code == 405
    assert editor_client.post(RETRY, {"task": "not-a-uuid"}).status_code == 400
    assert editor_client.post(RETRY, {"task": "00000000-0000-0000-0000-000000000000"}).status_code == 302
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    editor_client.post(RETRY)
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_retrying_needs_the_csrf_token(failed_mail, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member_of("Editors", "eddie"))
    assert client.post(RETRY).status_code == 403
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1


def test_writers_and_readers_cannot_see_or_retry(client, failed_mail):
    assert client.get(REPORT).status_code == 302  # To the admin's login.
    client.force_login(member_of("Writers", "wendy"))
    assert client.get(REPORT).status_code == 302
    assert client.post(RETRY).status_code == 302
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1


def test_the_report_is_in_the_reports_menu_for_editors(editor_client):
    assert REPORT in editor_client.get("/admin/").text


def test_the_report_says_when_tasks_run_at_once(editor_client):
    assert "Tasks run at once" in editor_client.get(REPORT).text


def test_worker_health_is_ok_with_an_empty_queue_or_no_queue(client, db_queue):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.text == "ok: oldest queued task 0 s (limit 300 s)\n"


def test_worker_health_is_503_once_the_oldest_task_waits_too_long(client, db_queue, settings):
    settings.NEWSROOM_WORKER_MAX_QUEUE_AGE = 60
    send_email.enqueue({}, "k")
    assert client.get("/healthz/worker").status_code == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert response.text.startswith("worker behind: oldest queued task 12")


def test_a_retry_waiting_for_its_time_is_not_late(client, db_queue, settings):
    settings.NEWSROOM_WORKER_MAX_QUEUE_AGE = 60
    send_email.using(run_after=timezone.now() + timedelta(hours=1)).enqueue({}, "k")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))
    assert client.get("/healthz/worker").status_code == 200


def test_healthz_stays_about_the_database_only(client, db_queue, settings):
    settings.NEWSROOM_WORKER_MAX_QUEUE_AGE = 60
    send_email.enqueue({}, "k")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))
    assert client.get("/healthz").status_code == 200
