"""Requests refused before any view sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

# C0 controls and DEL. PostgreSQL refuses NUL in text outright (a 500 from
# whichever query first meets it), and no real link carries the others.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return bool(
        CONTROL_CHARACTERS.search(request.path)
        or CONTROL_CHARACTERS.search(unquote(query.replace("+", " "), errors="replace"))
    )


class RefuseControlCharactersMiddleware:
    """A 400 for control characters in the path or the query, everywhere, before any database look-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            return HttpResponseBadRequest(
                "Control characters are not allowed in addresses.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
