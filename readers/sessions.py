"""The reader's session lives in its own cookie, read only where it matters.

Editors' sessions use Django's `sessionid`, which makes Varnish pass every
request. A signed-in reader must instead get the same cached pages as anyone,
so their session travels in READER_SESSION_COOKIE_NAME, which the VCL strips
(with any CSRF cookie) from every page it caches, and the app reads only under
READER_SESSION_PATHS (the account pages, me.json, posting comments). Everywhere
else a reader is anonymous to the app too, so origin and Varnish agree that the
page is public.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def is_reader_path(path: str) -> bool:
    return path.startswith(tuple(settings.READER_SESSION_PATHS))


class ReaderSessionCookieMiddleware:
    """Hand the reader cookie to SessionMiddleware as its session cookie, and rename it back.

    Sits just above SessionMiddleware. An editor's `sessionid`, when present,
    wins: the two never mix, and a reader's cookie never opens the admin.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_name = settings.SESSION_COOKIE_NAME
        reader_name = settings.READER_SESSION_COOKIE_NAME
        reader_session = is_reader_path(request.path_info) and session_name not in request.COOKIES
        if reader_session and reader_name in request.COOKIES:
            request.COOKIES[session_name] = request.COOKIES[reader_name]
        response = self.get_response(request)
        if reader_session and session_name in response.cookies:
            morsel = response.cookies.pop(session_name)
            response.cookies[reader_name] = morsel.value
            renamed = response.cookies[reader_name]
            for attribute, value in morsel.items():
                if value != "":  # max-age=0 (a deleted cookie) is a value to keep.
                    renamed[attribute] = value
        return response
