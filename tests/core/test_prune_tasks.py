"""Finished tasks leave the database queue after the days the settings keep them; RQ is left alone."""

from datetime import timedelta
from io import StringIO

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.utils import timezone


@task()
def nothing_to_do() -> None:
    """A task to fill the queue with."""


def finished(status: str, days_ago: float) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=nothing_to_do.enqueue().id)
    result.status = status
    result.finished_at = timezone.now() - timedelta(days=days_ago)
    result.save()
    return result


def test_finished_tasks_older_than_the_kept_days_are_deleted(db_queue, settings):
    settings.NEWSROOM_TASKS_KEEP_DAYS = 7
    settings.NEWSROOM_TASKS_KEEP_FAILED_DAYS = 30
    kept = [
        finished("SUCCESSFUL", 6),
        finished("FAILED", 8),
        finished("FAILED", 29),
        DBTaskResult.objects.get(pk=nothing_to_do.enqueue().id),  # Still waiting.
    ]
    finished("SUCCESSFUL", 8)
    finished("FAILED", 31)

    call_command("prune_tasks", verbosity=0)

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {result.pk for result in kept}


def test_the_kept_days_can_be_given_on_the_command_line(db_queue):
    finished("SUCCESSFUL", 2)
    finished("FAILED", 2)

    call_command("prune_tasks", days=1, failed_days=3, verbosity=0)

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


def test_without_a_database_queue_there_is_nothing_to_prune(db):
    out = StringIO()

    call_command("prune_tasks", stdout=out)

    assert "nothing to prune" in out.getvalue()
