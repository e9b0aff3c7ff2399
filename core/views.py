"""Site-wide views that belong to no page type."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and crawlers ask for /favicon.ico whatever a page links; it lives with the static files.

    Resolved per request, not at import: a hashed static file name needs the manifest.
    """
    return HttpResponsePermanentRedirect(static("favicon.ico"))
