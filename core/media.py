"""Uploaded media from local disk, when no object storage is configured.

Django serves media only under DEBUG. A one-machine site keeps images on the
app server's disk, so the app answers /media/ itself; Varnish in front keeps
the files, so each is read from disk about once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.static import serve

# Uploads and renditions get new names when they change (Wagtail never
# overwrites a file), so a day in any cache is safe.
MEDIA_CACHE_CONTROL = "public, max-age=86400"


class LocalMediaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = settings.MEDIA_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        try:
            name = request.path_info[len(self.prefix) :]
            response = serve(request, name, document_root=settings.MEDIA_ROOT)
        except Http404:
            response = HttpResponse("Not found\n", status=404, content_type="text/plain")
        # A missing file may be a rendition about to be made: not for long.
        missing = response.status_code == 404
        response["Cache-Control"] = "public, max-age=60" if missing else MEDIA_CACHE_CONTROL
        return response
