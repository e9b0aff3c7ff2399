"""What the task queue holds, for the admin's report and /healthz/worker, whichever backend runs it.

The database queue (django_tasks_db) and RQ on Redis keep their tasks in
different places; both answer the same questions here: how many tasks wait,
run, failed and finished, which failed and why, how long the oldest task due
has waited, and putting failed ones back in the queue.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import django_rq
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_rq import RQBackend
from rq import Queue, Worker
from rq.exceptions import InvalidJobOperationError, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from .tasks import ATTEMPT_KWARG

logger = logging.getLogger(__name__)

FAILED_SHOWN = 50


@dataclass
class FailedTask:
    id: str
    name: str
    finished_at: datetime | None
    error: str
    traceback: str


@dataclass
class QueueSummary:
    backend: str
    queued: int = 0
    running: int = 0
    failed: int = 0
    finished: int = 0
    oldest_wait: timedelta | None = None
    failed_tasks: list[FailedTask] = field(default_factory=list)
    # False for the immediate backend: tasks run inside the request, nothing waits.
    has_queue: bool = True


def _last_line(traceback: str) -> str:
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def summary(now: datetime | None = None) -> QueueSummary:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        return _database_summary(backend.alias, now or timezone.now())
    if isinstance(backend, RQBackend):
        return _rq_summary(now or timezone.now())
    return QueueSummary(backend=type(backend).__name__, has_queue=False)


def retry_failed(ids: list[str] | None = None) -> int:
    """Put failed tasks (all, or those in `ids`) back in the queue, due now, with their tries afresh.

    Raises ValueError for an id that is no task id.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        return _database_retry(backend.alias, ids)
    if isinstance(backend, RQBackend):
        return _rq_retry(ids)
    return 0


def oldest_wait(now: datetime | None = None) -> timedelta | None:
    return summary(now).oldest_wait


# The database queue.


def _database_summary(alias: str, now: datetime) -> QueueSummary:
    results = DBTaskResult.objects.filter(backend_name=alias)
    counts = dict.fromkeys(("READY", "RUNNING", "FAILED", "SUCCESSFUL"), 0)
    counts.update(results.order_by().values_list("status").annotate(n=Count("pk")))
    failed = results.filter(status="FAILED").order_by("-finished_at")[:FAILED_SHOWN]
    due = results.filter(status="READY")
    waits = []
    undeferred = due.filter(run_after=get_date_max()).order_by("enqueued_at")
    if first := undeferred.values_list("enqueued_at", flat=True).first():
        waits.append(now - first)
    deferred = due.exclude(run_after=get_date_max()).filter(run_after__lte=now).order_by("run_after")
    if first := deferred.values_list("run_after", flat=True).first():
        waits.append(now - first)
    return QueueSummary(
        backend="database",
        queued=counts["READY"],
        running=counts["RUNNING"],
        failed=counts["FAILED"],
        finished=counts["SUCCESSFUL"],
        oldest_wait=max(waits, default=None),
        failed_tasks=[
            FailedTask(
                id=str(result.id),
                name=result.task_path,
                finished_at=result.finished_at,
                error=_last_line(result.traceback),
                traceback=result.traceback,
            )
            for result in failed
        ],
    )


def _database_retry(alias: str, ids: list[str] | None) -> int:
    failed = DBTaskResult.objects.filter(backend_name=alias, status="FAILED")
    if ids is not None:
        try:
            failed = failed.filter(pk__in=ids)
            list(failed.values_list("pk")[:0])
        except ValidationError as exc:
            raise ValueError("not a task id") from exc
    retried = 0
    for result in failed:
        result.args_kwargs["kwargs"].pop(ATTEMPT_KWARG, None)
        result.status = "READY"
        result.run_after = get_date_max()
        result.enqueued_at = timezone.now()
        result.started_at = result.finished_at = None
        result.exception_class_path = result.traceback = ""
        result.save()
        retried += 1
    return retried


# RQ on Redis (production).


def _rq_queue() -> Queue:
    return django_rq.get_queue("default")


def _rq_summary(now: datetime) -> QueueSummary:
    queue = _rq_queue()
    failed_registry = FailedJobRegistry(queue=queue)
    failed_ids = failed_registry.get_job_ids(0, FAILED_SHOWN - 1)
    failed_tasks = []
    for job in Job.fetch_many(failed_ids, connection=queue.connection):
        if job is None:
            continue
        result = job.latest_result()
        traceback = (result.exc_string if result else None) or ""
        failed_tasks.append(
            FailedTask(
                id=job.id,
                name=job.func_name,
                finished_at=job.ended_at,
                error=_last_line(traceback),
                traceback=traceback,
            )
        )
    oldest = None
    first_ids = queue.get_job_ids(0, 0)
    if first_ids and (job := queue.fetch_job(first_ids[0])) and job.enqueued_at:
        enqueued = job.enqueued_at
        if timezone.is_naive(enqueued):  # RQ keeps UTC without saying so.
            enqueued = enqueued.replace(tzinfo=dt_timezone.utc)
        oldest = now - enqueued
    return QueueSummary(
        backend="rq",
        queued=queue.count + ScheduledJobRegistry(queue=queue).count,
        running=StartedJobRegistry(queue=queue).count,
        failed=failed_registry.count,
        finished=FinishedJobRegistry(queue=queue).count,
        oldest_wait=oldest,
        failed_tasks=failed_tasks,
    )


def _rq_retry(ids: list[str] | None) -> int:
    registry = FailedJobRegistry(queue=_rq_queue())
    wanted = registry.get_job_ids() if ids is None else ids
    retried = 0
    for job_id in wanted:
        try:
            registry.requeue(job_id)
        except (NoSuchJobError, InvalidJobOperationError):  # Not (or no longer) a failed job here.
            logger.info("Task %s is not a failed task: not retried", job_id)
        else:
            retried += 1
    return retried


def database_worker_id() -> str:
    """This process's name in the database queue's `worker_ids`: host and process id.

    A task left running by a worker id of this host whose process is gone was
    cut short (the worker was killed): `requeue_abandoned` puts it back.
    """
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_is_gone(
    on_this_host: bool, pid: int | None, started_at: datetime | None, older_than: timedelta | None
) -> bool:
    """Whether a running task's worker died: one of this host when its process is gone,
    one of another host (or of no known process) when the task has run longer than `older_than`."""
    if on_this_host and pid:
        return not _process_alive(pid)
    return older_than is not None and started_at is not None and started_at < timezone.now() - older_than


def requeue_abandoned_rq(queue_names: list[str], older_than: timedelta | None = None) -> int:
    """RQ's running tasks whose worker died go back to the queue, to run again from the start.

    RQ itself gives such a task up as failed, and only once its time limit
    has passed. A worker of this host is known dead when its process is gone,
    or when its record in Redis (kept fresh by a live worker's heartbeat) has
    expired; one of another host when the task has run longer than `older_than`.
    Mail is sent once all the same (core.mail's keys).
    """
    host = socket.gethostname()
    requeued = 0
    for name in queue_names:
        queue = django_rq.get_queue(name)
        registry = StartedJobRegistry(queue=queue)
        for job in Job.fetch_many(registry.get_job_ids(cleanup=False), connection=queue.connection):
            if job is None or job.get_status(refresh=False) != JobStatus.STARTED:
                continue
            worker = None
            if job.worker_name:
                worker = Worker.find_by_key(
                    Worker.redis_worker_namespace_prefix + job.worker_name, connection=queue.connection
                )
            started = job.started_at
            if started is not None and timezone.is_naive(started):  # RQ keeps UTC without saying so.
                started = started.replace(tzinfo=dt_timezone.utc)
            if worker is None or _worker_is_gone(worker.hostname == host, worker.pid, started, older_than):
                logger.warning("Task %s lost its worker %s: queued again", job.func_name, job.worker_name)
                registry.remove_executions(job)
                job.started_at = None
                queue.enqueue_job(job)
                requeued += 1
    return requeued


def requeue_abandoned(alias: str = DEFAULT_TASK_BACKEND_ALIAS, older_than: timedelta | None = None) -> int:
    """Put back in the database queue the running tasks whose worker died, to run again from the start.

    A worker of this host is known dead when its process is gone; one of
    another host (or of an unknown name) when the task has run longer than
    `older_than`. Mail is sent once all the same (core.mail's keys).
    """
    host = socket.gethostname()[:40]
    requeued = 0
    running = DBTaskResult.objects.filter(backend_name=alias, status="RUNNING")
    for result in running:
        worker = (result.worker_ids or [""])[-1]
        name, _, pid = worker.rpartition(":")
        if _worker_is_gone(name == host, int(pid) if pid.isdigit() else None, result.started_at, older_than):
            logger.warning("Task %s lost its worker %s: queued again", result.task_path, worker)
            requeued += DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
                status="READY", started_at=None
            )
    return requeued
