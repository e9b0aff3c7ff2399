"""The admin's "Background tasks" report: what the queue holds, what failed and why, and a retry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from wagtail.permission_policies.pages import PagePermissionPolicy

from . import task_queue


def can_see_tasks(user) -> bool:
    """Superusers and whoever may publish (editors): they see what publishing set off."""
    return user.is_active and (
        user.is_superuser or PagePermissionPolicy().user_has_permission(user, "publish")
    )


def _check(request: HttpRequest) -> None:
    if not can_see_tasks(request.user):
        raise PermissionDenied


def report(request: HttpRequest) -> HttpResponse:
    _check(request)
    return TemplateResponse(request, "core/task_report.html", {"summary": task_queue.summary()})


@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    """Every failed task back in the queue, or those named by `task` fields."""
    _check(request)
    ids = request.POST.getlist("task") or None
    try:
        count = task_queue.retry_failed(ids)
    except ValueError:
        return HttpResponseBadRequest("Not a task id.")
    messages.success(request, f"{count} failed task{'s' if count != 1 else ''} put back in the queue.")
    return redirect("core_tasks:report")
