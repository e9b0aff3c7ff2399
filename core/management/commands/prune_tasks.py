"""Delete finished tasks older than a few days from the database queue, whichever queue runs."""

from __future__ import annotations

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Delete finished tasks from the database queue: successful ones after "
        "NEWSROOM_TASKS_KEEP_DAYS days, failed ones after NEWSROOM_TASKS_KEEP_FAILED_DAYS "
        "(the report shows them until then). RQ expires its own results: nothing to do there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Keep successful tasks this many days.")
        parser.add_argument("--failed-days", type=int, help="Keep failed tasks this many days.")

    def handle(self, *args: str, days: int | None = None, failed_days: int | None = None, **options) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            if options["verbosity"]:
                self.stdout.write(f"{type(backend).__name__} keeps no finished tasks here: nothing to prune.")
            return
        call_command(
            "prune_db_task_results",
            backend=backend,
            queue_name="*",
            min_age_days=settings.NEWSROOM_TASKS_KEEP_DAYS if days is None else days,
            failed_min_age_days=(
                settings.NEWSROOM_TASKS_KEEP_FAILED_DAYS if failed_days is None else failed_days
            ),
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
