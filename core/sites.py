"""The site a request or page belongs to: its name and absolute addresses."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail.models import Site

from . import fragments
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


class KeptSiteMiddleware:
    """The Wagtail site and its root page, kept in the fragment cache, for the pages Wagtail serves.

    Wagtail looks the site up by host name and port on every page (one query),
    then loads its root page and that page's specific type (one or two more)
    before routing. Both change only when a Wagtail site is saved or deleted,
    or the home page is published, unpublished, moved or renamed, all of which
    bump the menu version they are kept under. Wagtail's own
    `Site.find_for_request` then finds the site on the request, as it does
    after its own first look-up. Other views (the beacon, me.json, the APIs)
    are left as they are: they may need no site, nor any query. Hosts that
    match no site are not kept, and only hosts ALLOWED_HOSTS lets through get
    this far.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> None:
        if _is_wagtail_serve(view_func) and not hasattr(request, "_wagtail_site"):
            site = kept_site_for_request(request)
            if site is not None:
                request._wagtail_site = site


def _is_wagtail_serve(view_func: Callable) -> bool:
    # Named, not imported: wagtail.views loads models, and settings import this module.
    return view_func.__module__ == "wagtail.views" and view_func.__name__ == "serve"


def kept_site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request`, with the site's specific root page loaded, kept under the menu version."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    key = fragments.versioned_key(request, "site", [fragments.MENU], hostname, port)
    if key is None:
        return None

    def find_site() -> Site | None:
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    # Any port reaches the default site: keep only the usual ones, so that
    # addresses with made-up ports cannot fill the cache.
    return fragments.kept(key, find_site, keep=lambda site: port in ("80", "443", str(site.port)))
