"""The benchmark's task: nothing to do, so that only the queue's own cost is measured."""

from django_tasks import task


@task()
def nothing() -> None:
    return None
