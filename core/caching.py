"""Cache-Control for every response: what Varnish, a CDN and browsers may keep.

The origin decides; the caches in front follow its headers. Anonymous readers'
pages are public, so one rendering serves everyone until a publish purges it;
anything personal (a signed-in user, a response setting a cookie) is private.
The same rules key the origin page cache (core.page_cache) and the Varnish VCL
(site/varnish/default.vcl), so the three agree on what one page is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
CACHEABLE_STATUSES = frozenset({200, 301, 404})

# Parameters added by newsletters and social sites to count clicks: the page is
# the same with or without them, so they must not split the cache. Mirrors the
# regsuball() in site/varnish/default.vcl.
_TRACKING_PARAMETER = re.compile(r"(?<=[?&])(?:utm_[^=&]*|fbclid|gclid|mc_cid|mc_eid)(?:=[^&]*)?(?:&|$)")


def strip_tracking_parameters(url: str) -> str:
    """`url` without click-tracking parameters; every other parameter kept, in order.

    Pages that differ only in another parameter (`?page=2`) stay distinct.
    """
    if "?" not in url:
        return url
    cleaned = _TRACKING_PARAMETER.sub("", url)
    return cleaned.rstrip("?&")


def is_never_cached(path: str) -> bool:
    return path.startswith(tuple(settings.CACHE_NEVER_PATHS))


def has_signed_in_cookie(request: HttpRequest) -> bool:
    """True when the request carries a session or CSRF cookie, as Varnish sees it.

    Both mean a person who may be signed in or in the middle of a form, whose
    pages must never come from or go into a shared cache.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    # A signed-in reader's pages are everyone's pages (their CSRF cookie serves
    # only the comment form, which reads its token from /account/me.json).
    reader_cookie = getattr(settings, "READER_SESSION_COOKIE_NAME", None)
    return settings.CSRF_COOKIE_NAME in request.COOKIES and reader_cookie not in request.COOKIES


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.CACHE_MAX_AGE}, s-maxage={settings.CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.CACHE_STALE_IF_ERROR}"
    )


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class CacheControlMiddleware:
    """Mark each response public, private or never cached.

    A response that already carries Cache-Control keeps it (a view knows best),
    except that nothing personal may stay public.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_never_cached(request.path_info) or request.method not in CACHEABLE_METHODS:
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            return response
        if response.cookies or _is_signed_in(request):
            # A cookie or a signed-in page is one person's: browsers revalidate it
            # and shared caches never keep it.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
            return response
        if response.status_code in CACHEABLE_STATUSES and not response.has_header("Cache-Control"):
            response["Cache-Control"] = public_cache_control()
        return response
