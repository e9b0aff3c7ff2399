"""Slow or fallible work leaves the request: it is queued, run by a worker, retried, never dropped."""

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.mail import send_mail
from django.db import DatabaseError

from core import purging
from core.tasks import retry_wait
from tests.worker import queued

DEAD_VARNISH = {"varnish": {"BACKEND": "core.purging.TimeoutHTTPBackend", "LOCATION": "http://127.0.0.1:9"}}


@pytest.fixture
def varnish_calls(monkeypatch) -> list[str]:
    """Every purge sent to Varnish; Varnish does not answer."""
    calls: list[str] = []

    def unreachable(request, timeout):
        calls.append(request.full_url)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(purging, "urlopen", unreachable)
    return calls


def test_a_publish_with_varnish_unreachable_only_enqueues_its_purges(
    settings, db_queue, varnish_calls, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = DEAD_VARNISH
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.live
    assert varnish_calls == []
    [purge] = queued("core.purging.send_purges")
    assert "http://localhost/health/a-story-about-health/" in purge.args_kwargs["args"][0]


def test_the_worker_sends_the_purges_and_tries_again_while_varnish_is_down(
    settings, run_worker, varnish_calls, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = DEAD_VARNISH
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    run_worker()
    assert "http://127.0.0.1:9/health/a-story-about-health/" in varnish_calls
    [retry] = queued("core.purging.send_purges")
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}
    # Not due yet: the retry waits (10 seconds, doubling).
    assert run_worker() == 0


def test_a_purge_that_keeps_failing_ends_failed_with_its_error(
    settings, run_worker, varnish_calls, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = DEAD_VARNISH
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    for _ in range(6):
        run_worker(make_due=True)
    purges = DBTaskResult.objects.filter(task_path="core.purging.send_purges")
    assert purges.count() == 6
    assert not queued("send_purges")
    [failed] = purges.filter(status="FAILED")
    assert "PurgeFailed: Purges not taken by varnish" in failed.traceback
    assert purges.filter(status="SUCCESSFUL").count() == 5


def test_purges_are_sent_in_line_when_the_queue_will_not_take_them(
    settings, db_queue, varnish_calls, article, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db import DatabaseBackend

    def refuse(*args, **kwargs):
        raise DatabaseError("the queue's table is locked")

    settings.WAGTAILFRONTENDCACHE = DEAD_VARNISH
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()  # Wagtail's own tasks go on the queue first.
        monkeypatch.setattr(DatabaseBackend, "enqueue", refuse)
    assert "http://127.0.0.1:9/health/a-story-about-health/" in varnish_calls
    assert not queued("send_purges")


def test_wagtails_own_search_and_reference_index_updates_use_the_queue(db_queue, article):
    article.title = "Renamed on the queue"
    article.save_revision().publish()
    paths = {result.task_path for result in queued()}
    assert "wagtail.tasks.update_reference_index_task" in paths
    assert "modelsearch.tasks.insert_or_update_object_task" in paths


def test_retries_wait_longer_each_time_up_to_a_cap():
    first, longest = timedelta(seconds=10), timedelta(minutes=10)
    waits = [retry_wait(attempt, first, longest) for attempt in range(1, 9)]
    assert waits[:4] == [timedelta(seconds=s) for s in (10, 20, 40, 80)]
    assert waits[-1] == longest
    assert retry_wait(10_000, first, longest) == longest


def test_any_email_the_site_sends_is_queued_and_sent_by_the_worker(settings, run_worker):
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_mail("Review requested", "Please review", "desk@example.org", ["editor@example.org"]) == 1
    assert mail.outbox == []
    assert len(queued("core.mail.send_email")) == 1
    run_worker()
    assert [message.subject for message in mail.outbox] == ["Review requested"]
