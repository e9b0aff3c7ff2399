"""The database task queue for tests that check what is queued, and a worker to run it.

The test settings run tasks at once (the immediate backend); `db_queue` puts
them on the database queue instead, and `run_worker` runs what is due, in the
test's own transaction, as `manage.py db_worker --batch` would.
"""

from collections.abc import Callable

import pytest
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from django.utils import timezone

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_queue(db, settings, monkeypatch) -> None:
    settings.TASKS = DB_TASKS
    # The worker checks its connection between tasks; inside a test's
    # transaction that would mark it broken.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def queued(task_path_suffix: str = "") -> list[DBTaskResult]:
    """The tasks waiting (due or deferred) whose path ends with `task_path_suffix`."""
    return [
        result
        for result in DBTaskResult.objects.filter(status="READY")
        if result.task_path.endswith(task_path_suffix)
    ]


@pytest.fixture
def run_worker(db_queue) -> Callable[..., int]:
    """Run every task that is due (`make_due`: deferred retries too), as many rounds as it takes."""

    def run(*, make_due: bool = False) -> int:
        if make_due:
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        before = DBTaskResult.objects.exclude(status="READY").count()
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
        return DBTaskResult.objects.exclude(status="READY").count() - before

    return run
