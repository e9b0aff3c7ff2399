"""Background work: retries with backoff, and a queue that never fails a request.

Requests only enqueue (Django's task framework, the django_tasks backport); a
worker runs the work: `manage.py db_worker` on the database queue, or RQ's
worker on Redis in production (newsroom/settings). Two things the framework
leaves to us:

- Retries. A task made with `retried_task` that raises is enqueued again after
  a wait that doubles from `first_wait` up to `longest_wait`; after `attempts`
  tries it ends failed with its error, for the admin's report to show and retry.
- A queue that is down. `ResilientRQBackend` runs a task in-line when Redis
  does not take it, so a publish or a comment never fails, and no work is
  dropped, because Redis restarted; Wagtail's own tasks get the same fallback.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django_tasks import TaskResult, task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_rq import RQBackend
from redis.exceptions import RedisError

from django.utils import timezone

logger = logging.getLogger(__name__)

# Set while a task runs in-line because its queue was down: a retry then has
# nowhere to wait, so the failure is reported instead (to the caller's fallback).
_running_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("newsroom_task_inline", default=False)

ATTEMPT_KWARG = "_attempt"


def retry_wait(attempt: int, first_wait: timedelta, longest_wait: timedelta) -> timedelta:
    """The wait before try `attempt + 1`: `first_wait` doubled per failed try, capped."""
    return min(first_wait * 2 ** min(attempt - 1, 20), longest_wait)


def retried_task(
    *,
    attempts: int = 5,
    first_wait: timedelta = timedelta(seconds=30),
    longest_wait: timedelta = timedelta(hours=1),
    **task_options: Any,
) -> Callable[[Callable[..., Any]], Task]:
    """A task that, when it raises, is enqueued again later, `attempts` tries in all.

    An earlier try that fails ends successful (with the retry it scheduled as
    its value) so that the failed tasks are those given up on, each with the
    error of its last try. A backend that cannot defer (the immediate backend
    of the tests, or an in-line run while Redis is down) gets the error at once.
    """

    def decorator(func: Callable[..., Any]) -> Task:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                queued = the_task.get_backend()
                if attempt >= attempts or _running_inline.get() or not queued.supports_defer:
                    raise
                wait = retry_wait(attempt, first_wait, longest_wait)
                logger.warning(
                    "Task %s failed (try %s of %s), trying again in %s: %s",
                    the_task.name,
                    attempt,
                    attempts,
                    wait,
                    exc,
                )
                again = the_task.using(run_after=timezone.now() + wait).enqueue(
                    *args, **kwargs, **{ATTEMPT_KWARG: attempt + 1}
                )
                return {"retried": str(again.id), "attempt": attempt, "error": f"{type(exc).__name__}: {exc}"}

        the_task = task(**task_options)(run)
        return the_task

    return decorator


def run_inline(backend_alias: str, the_task: Task, args: Any, kwargs: Any) -> TaskResult:
    """Run `the_task` now, in this process, its errors recorded on the result (never raised)."""
    immediate = ImmediateBackend(alias=backend_alias, params={"QUEUES": []})
    token = _running_inline.set(True)
    try:
        return immediate.enqueue(replace(the_task, run_after=None), args, kwargs)
    finally:
        _running_inline.reset(token)


def enqueue_or_run(the_task: Task, *args: Any, **kwargs: Any) -> TaskResult:
    """Enqueue `the_task`; if the queue will not take it, run it now rather than lose it.

    For work a request hands over: the request never fails for the queue's
    sake (the in-line run's errors are logged, not raised).
    """
    try:
        return the_task.enqueue(*args, **kwargs)
    except Exception:
        logger.warning("Could not enqueue %s: running it in-line", the_task.name, exc_info=True)
        result = run_inline(the_task.backend, the_task, args, kwargs)
        for error in result.errors:
            logger.error("Task %s failed in-line:\n%s", the_task.name, error.traceback)
        return result


class ResilientRQBackend(RQBackend):
    """django-tasks-rq's backend, running a task in-line when Redis does not take it.

    A reader's or editor's request must not fail because Redis restarted;
    work done in-line is slower for that request but neither lost nor
    doubled. A task that fails in-line is logged with its error.
    """

    # RQ puts a task of the highest priority at the front of the queue (purges:
    # readers see stale pages until they are sent); other priorities are equal.
    supports_priority = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        try:
            return super().enqueue(task, args, kwargs)
        except (RedisError, OSError):
            logger.warning("The task queue is unreachable: running %s in-line", task.name, exc_info=True)
            result = run_inline(self.alias, task, args, kwargs)
            for error in result.errors:
                logger.error("Task %s failed in-line:\n%s", task.name, error.traceback)
            return result
