"""The site a request or page belongs to: its name and absolute addresses."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wagtail.models import Site


def site_name(request: HttpRequest | None) -> str:
    """The Wagtail site's name, or the project's default name."""
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def absolute_url(request: HttpRequest | None, url: str) -> str:
    """`url` with the request's scheme and host; unchanged when already absolute or without a request."""
    if request is None or "://" in url:
        return url
    return request.build_absolute_uri(url)
