"""Admin and serving hooks every page type shares: expired pages refused, purges after bulk moderation."""

from __future__ import annotations

from django_comments_xtd.models import XtdComment

from django.http import Http404, HttpRequest
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from . import task_report
from .privacy import is_expired
from .purging import purge_comments_pages


@hooks.register("before_serve_page")
def refuse_expired_pages(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """An expired page is gone for readers at its expiry time, not when the scheduler next runs.

    Every route of a page (a live blog's polling endpoint too) passes here.
    """
    if is_expired(page):
        raise Http404("This page has expired.")


@hooks.register("after_bulk_action")
def purge_after_comment_moderation(request, action_type: str, objects, action) -> None:
    """Deleting reader comments in bulk changes what readers see.

    Moderation decisions (approve, remove, spam) purge on their own
    (discussion.moderation); a deletion sends no signal core.purging acts on.
    """
    if action_type != "delete":
        return
    comments = [obj for obj in objects if isinstance(obj, XtdComment)]
    if comments:
        purge_comments_pages(comments)


class TasksMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return task_report.can_see_tasks(request.user)


@hooks.register("register_reports_menu_item")
def register_tasks_report() -> MenuItem:
    return TasksMenuItem("Background tasks", reverse("core_tasks:report"), icon_name="cogs", order=900)


@hooks.register("register_admin_urls")
def register_tasks_urls() -> list:
    urls = [path("", task_report.report, name="report"), path("retry/", task_report.retry, name="retry")]
    return [path("reports/background-tasks/", include((urls, "core_tasks")))]
