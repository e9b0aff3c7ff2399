"""The site a request or page belongs to: its name and absolute addresses."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wagtail.models import Site

from .models import SiteIdentity


def site_name(request: HttpRequest | None) -> str:
    """The name editors gave the site (Site identity), else Wagtail's site name, else the project's."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    # Cached on the request by Wagtail: asking again costs nothing.
    identity = SiteIdentity.for_request(request)
    return identity.site_name or site.site_name or settings.WAGTAIL_SITE_NAME


def site_description(request: HttpRequest | None) -> str:
    """The site's description from Site identity; empty when there is none."""
    if request is None or Site.find_for_request(request) is None:
        return ""
    return SiteIdentity.for_request(request).description


def default_share_image(request: HttpRequest | None):
    """The image link previews show for pages without one of their own; None when unset."""
    if request is None or Site.find_for_request(request) is None:
        return None
    return SiteIdentity.for_request(request).default_share_image


def absolute_url(request: HttpRequest | None, url: str) -> str:
    """`url` with the request's scheme and host; unchanged when already absolute or without a request."""
    if request is None or "://" in url:
        return url
    return request.build_absolute_uri(url)
