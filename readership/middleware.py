"""The beacon answered before the middleware that a page view needs and a beacon does not."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .views import beacon


class BeaconMiddleware:
    """Answers `POST /most-read/beacon` at once: sessions, CSRF, auth, messages and CSP are not asked.

    The beacon carries no cookie it reads, no token, and returns an empty
    204, so the layers below it only cost time: with them the beacon was
    about a third slower on gunicorn. Everything else goes on down the stack.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.beacon_path = reverse("readership:beacon")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == self.beacon_path and request.method == "POST":
            return beacon(request)
        return self.get_response(request)
