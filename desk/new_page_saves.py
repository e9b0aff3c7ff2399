"""One new page per editor form, however many times that form is sent before it becomes an edit form.

A new page's form is sent by autosave and by "Save draft" (or Ctrl+S). Whichever arrives
first creates the page; Wagtail then turns the open form into the page's edit form. A save
sent before that happens still goes to the create view, which would refuse it ("The slug …
is already in use") or make a second page. Each create form carries a random id
(desk/js/new-page-form-id.js); the first request with it holds the id while it runs, and a
racing "Save draft" with the same id waits for it, then goes on to the created page's edit
view with the same form (a 307 keeps the method and the body), so its words are saved there;
a racing autosave is refused, as what it carries is older than what "Save draft" saved.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from wagtail.models import Page

FORM_ID_FIELD = "desk_form_id"
FORM_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{16,64}")
CREATE_VIEW_NAME = "wagtailadmin_pages:add"
# How long a racing save waits for the first one, which makes one page and its revision.
WAIT_FOR_FIRST_SAVE_SECONDS = 10.0
POLL_SECONDS = 0.05
# An id is remembered as long as an editor might leave a new page's form open unsaved.
REMEMBER_CREATED_PAGE_SECONDS = 12 * 60 * 60
CREATING = "creating"


class OneNewPagePerEditorForm:
    """Middleware: a create form sent twice makes one page (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _creation_key(request)
        if key is None:
            return self.get_response(request)
        # The first save of this form holds its id; `add` is atomic on every cache backend.
        if cache.add(key, CREATING, WAIT_FOR_FIRST_SAVE_SECONDS * 3):
            return self._first_save(request, key)
        page_pk = _wait_for_first_save(key)
        if page_pk is None:
            # The first save made no page (refused, or invalid): this one is the form's first.
            return self.get_response(request)
        if not request.accepts("text/html"):
            # An autosave sent before the form became an edit form carries what the form held
            # then, older than "Save draft"'s: saved, it would undo the editor's last words.
            # Refused as Wagtail refuses an autosave a hook blocks; the editor is leaving anyway.
            return JsonResponse(
                {
                    "success": False,
                    "error_code": "blocked_by_hook",
                    "error_message": "This page was saved a moment ago by its own form.",
                },
                status=400,
            )
        response = HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page_pk]))
        response.status_code = 307
        return response

    def _first_save(self, request: HttpRequest, key: str) -> HttpResponse:
        created_pk = None
        try:
            response = self.get_response(request)
            created_pk = getattr(request, "desk_created_page_pk", None)
        finally:
            if created_pk is None:
                cache.delete(key)
            else:
                cache.set(key, created_pk, REMEMBER_CREATED_PAGE_SECONDS)
        return response


def remember_created_page(request: HttpRequest, page: Page) -> None:
    """Called from the `after_create_page` hook: the page this request's form made."""
    request.desk_created_page_pk = page.pk


def _creation_key(request: HttpRequest) -> str | None:
    if request.method != "POST" or "/pages/add/" not in request.path_info:
        return None
    try:
        if resolve(request.path_info).view_name != CREATE_VIEW_NAME:
            return None
    except Resolver404:
        return None
    form_id = request.POST.get(FORM_ID_FIELD, "")
    user = getattr(request, "user", None)
    if not FORM_ID_PATTERN.fullmatch(form_id) or user is None or not user.is_authenticated:
        return None
    return f"desk:new-page-form:{user.pk}:{form_id}"


def _wait_for_first_save(key: str) -> int | None:
    deadline = time.monotonic() + WAIT_FOR_FIRST_SAVE_SECONDS
    value = cache.get(key)
    while value == CREATING and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
    return value if isinstance(value, int) else None
