"""Uploaded media and documents, as readers receive them.

Django serves media only under DEBUG. A one-machine site keeps images on the
app server's disk, so the app answers /media/ itself; Varnish in front keeps
the files, so each is read from disk about once.

Two rules hold for every file under /media/, in development and production:
- no file can run script in the site's origin: an SVG with a <script>, or a
  file a browser might sniff as HTML, is shown sandboxed, as a plain file;
- documents are never served there: Wagtail's document view checks who may
  read a document (a collection restricted to signed-in users), and a direct
  address would skip that check and let shared caches keep the file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views import static

from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document

# Uploads and renditions get new names when they change (Wagtail never
# overwrites a file), so a day in any cache is safe.
MEDIA_CACHE_CONTROL = "public, max-age=86400"

# A file opened on its own (not as an <img>) runs nothing and loads nothing,
# and the browser trusts the Content-Type instead of guessing from the bytes.
MEDIA_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}

# Whoever asks, a private document's answer is theirs alone: never kept by
# Varnish or a CDN, nor on the reader's disk.
PRIVATE_DOCUMENT_CACHE_CONTROL = "private, no-store"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def documents_folder() -> str:
    """The folder of the media storage holding documents ("documents/"), from the document model's field."""
    upload_to = get_document_model()._meta.get_field("file").upload_to
    return f"{str(upload_to).strip('/')}/"


def is_document_name(name: str) -> bool:
    """True when `name` (a storage name or a path under /media/) points into the documents folder.

    The path is normalised first, as the file server will: `images/../documents/x.pdf`
    is a document too. Case is ignored for disks that ignore it.
    """
    normalised = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    return f"{normalised.lower()}/".startswith(documents_folder().lower())


def serve_media(request: HttpRequest, path: str, document_root: str | Path | None = None) -> HttpResponse:
    """A file under MEDIA_ROOT, sandboxed; documents and missing files are 404.

    The development URLs and `LocalMediaMiddleware` both answer through this view.
    """
    if is_document_name(path):
        response = _not_found()
    else:
        try:
            response = static.serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
        except Http404:
            response = _not_found()
    # A missing file may be a rendition about to be made: not for long.
    missing = response.status_code == 404
    response["Cache-Control"] = "public, max-age=60" if missing else MEDIA_CACHE_CONTROL
    for header, value in MEDIA_SECURITY_HEADERS.items():
        response[header] = value
    return response


def _not_found() -> HttpResponse:
    return HttpResponse("Not found\n", status=404, content_type="text/plain")


class LocalMediaMiddleware:
    """Answers /media/ from MEDIA_ROOT in production, before any other middleware reads the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = settings.MEDIA_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return serve_media(request, request.path_info[len(self.prefix) :])


def serve_document(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    """Wagtail's document view (privacy checks, then the file or a redirect to it),
    with what caches may keep of its answer.

    A document in a restricted collection is one reader's: its file, its login
    redirect and its password form are never stored by shared caches, whatever
    the request carries. No redirect is kept either: a login redirect is a
    private document's, and one to object storage names a signed address that
    expires within a minute. Other answers follow the site's rules
    (core.caching): a public document is cached like a page.
    """
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.status_code in REDIRECTS or _is_restricted(document_id):
        response["Cache-Control"] = PRIVATE_DOCUMENT_CACHE_CONTROL
    return response


def _is_restricted(document_id: int) -> bool:
    document = get_document_model().objects.select_related("collection").get(pk=document_id)
    return document.collection.get_view_restrictions().exists()
