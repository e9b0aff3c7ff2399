"""Run the background task worker of whichever queue the settings name (core.tasks)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_rq import RQBackend

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.task_queue import database_worker_id, requeue_abandoned, requeue_abandoned_rq


class Command(BaseCommand):
    help = (
        "Run background tasks (e-mail, purges, pictures, search index): RQ's worker on Redis "
        "when REDIS_URL is set in production, the database queue's worker otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: str, burst: bool = False, **options: object) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        verbosity = options.get("verbosity", 1)
        if isinstance(backend, RQBackend):
            # Tasks a killed worker left running start again, before RQ would give them up as failed.
            requeue_abandoned_rq(sorted(backend.queues), timedelta(seconds=settings.NEWSROOM_TASK_TIMEOUT))
            # The scheduler moves deferred tasks (retries) into the queue when they are due.
            call_command(
                "rqworker",
                *sorted(backend.queues),
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=burst,
                verbosity=verbosity,
            )
        elif isinstance(backend, DatabaseBackend):
            # Tasks a killed worker left running start again; the worker's id says whose they are.
            requeue_abandoned(DEFAULT_TASK_BACKEND_ALIAS, timedelta(seconds=settings.NEWSROOM_TASK_TIMEOUT))
            worker_options = {"reload": False, "verbosity": verbosity, "worker_id": database_worker_id()}
            if burst:
                worker_options |= {"batch": True, "startup_delay": False}
            worker_options |= {"queue_name": "*", "backend_name": DEFAULT_TASK_BACKEND_ALIAS}
            call_command("db_worker", **worker_options)
        else:
            raise CommandError(f"{type(backend).__name__} runs tasks at once: there is no queue to work on.")
