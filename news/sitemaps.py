"""The sitemap of every public page, built once per change of the site rather than per request."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse

from wagtail import hooks
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page, Site

from core.listings import not_expired
from core.privacy import restricted_paths

# Moving a page changes its address without a new publication; the cached
# sitemap follows such changes within this time.
SITEMAP_CACHE_SECONDS = 60 * 60


class PageSitemap(Sitemap):
    """Wagtail's sitemap of live, public pages, leaving out pages past their expiry time."""

    def items(self) -> QuerySet:
        return super().items().filter(not_expired())


def sitemap_view(request: HttpRequest) -> HttpResponse:
    """Wagtail's sitemap, cached until a page is published, unpublished, expires or turns private.

    Building it loads every page of the site in Python (seconds at tens of
    thousands of pages); the key below costs one aggregate query.
    """
    key = f"sitemap:{_version(request)}"
    cached = cache.get(key)
    if cached is None:
        response = sitemap(request, sitemaps={"pages": PageSitemap, **extra_sitemaps()})
        response.render()
        if response.status_code != 200:
            return response
        cached = (response.content, response.get("Content-Type"), response.get("X-Robots-Tag"))
        cache.set(key, cached, SITEMAP_CACHE_SECONDS)
    content, content_type, robots = cached
    response = HttpResponse(content, content_type=content_type)
    if robots:
        response["X-Robots-Tag"] = robots
    return response


def extra_sitemaps() -> dict[str, type[Sitemap]]:
    """Sections other apps add (the `register_sitemap` hook returns a name and a Sitemap class).

    A class with a `version()` class method names what its part depends on, for the cache key.
    """
    return dict(hook() for hook in hooks.get_hooks("register_sitemap"))


def _version(request: HttpRequest) -> str:
    """What the sitemap depends on: the site, the address asked, and the set of public pages."""
    site = Site.find_for_request(request)
    pages = Page.objects.live().filter(not_expired())
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    stats = pages.aggregate(count=Count("pk"), latest=Max("last_published_at"))
    parts = [
        site.pk if site else None,
        request.scheme,
        request.get_host(),
        request.GET.get("p", ""),
        stats["count"],
        stats["latest"].isoformat() if stats["latest"] else "",
        *restricted_paths(),
        *(getattr(part, "version", str)() for part in extra_sitemaps().values()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
