"""Admin and serving hooks every page type shares."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone

from wagtail import hooks
from wagtail.models import Page


@hooks.register("before_serve_page")
def refuse_expired_pages(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """A page past its expiry time is a 404 at once, routes (feeds, polling) included.

    Wagtail unpublishes expired pages only when its scheduled-publishing command
    runs; between runs the page is still `live`, and would be served.
    """
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404("This page has expired.")
