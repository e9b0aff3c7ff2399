"""/healthz: whether this app server can serve pages, for Varnish's probe and load balancers;
/healthz/worker: whether the task worker keeps up, for monitoring."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import task_queue

logger = logging.getLogger(__name__)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not.

    Only the database: without it no page renders, while a Redis outage only
    slows pages down (the cache ignores its errors), so it must not take an app
    server out of rotation.
    """
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz_worker(request: HttpRequest) -> HttpResponse:
    """200 while the task worker keeps up, 503 once the oldest task due has waited too long.

    Apart from /healthz: a stopped worker delays e-mail, purges and pictures,
    it does not stop this server serving pages, so it is for monitoring to page
    someone, not for a load balancer to take the server out.
    """
    limit = settings.NEWSROOM_WORKER_MAX_QUEUE_AGE
    try:
        wait = task_queue.oldest_wait()
    except Exception as exc:  # The queue's store (database or Redis) does not answer.
        logger.warning("Worker health check: the task queue does not answer", exc_info=True)
        response = HttpResponse(f"task queue unavailable: {type(exc).__name__}\n", status=503)
    else:
        age = 0 if wait is None else int(wait.total_seconds())
        status = 503 if age > limit else 200
        verdict = "ok" if status == 200 else "worker behind"
        response = HttpResponse(f"{verdict}: oldest queued task {age} s (limit {limit} s)\n", status=status)
    response["Content-Type"] = "text/plain"
    response["Cache-Control"] = "no-store"
    return response
