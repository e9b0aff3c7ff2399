"""Origin page cache in Redis, for a site with no Varnish or CDN in front (PAGE_CACHE=on).

It keeps what a shared cache would: anonymous GET responses that
core.caching marked public, for their s-maxage, keyed like the Varnish VCL
(host, path, query without tracking parameters). Purges (core.purging) clear
every stored query of a path at once by moving the path to a new generation.

wagtail-cache would do this, but its releases stop short of Wagtail 8.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse

from .caching import CACHEABLE_METHODS, has_signed_in_cookie, is_never_cached, strip_tracking_parameters

KEY_PREFIX = "pagecache"
_S_MAXAGE = re.compile(r"(?:^|,)\s*s-maxage=(\d+)")


def _cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _generation_key(host: str, path: str) -> str:
    return f"{KEY_PREFIX}:gen:{_digest(host.lower() + path)}"


def _response_key(host: str, path: str, query_url: str, generation: str) -> str:
    return f"{KEY_PREFIX}:page:{_digest(f'{host.lower()}{query_url}')}:{generation}"


def _request_parts(request: HttpRequest) -> tuple[str, str, str]:
    host = request.get_host()
    path = request.path
    query_url = strip_tracking_parameters(request.get_full_path())
    return host, path, query_url


def invalidate(urls: Iterable[str]) -> None:
    """Forget every stored response of each URL's host and path, whatever its query."""
    generation = str(time.time_ns())
    _cache().set_many(
        {_generation_key(parts.netloc, parts.path or "/"): generation for parts in map(urlsplit, urls)},
        timeout=None,
    )


def _shared_max_age(response: HttpResponse) -> int:
    match = _S_MAXAGE.search(response.get("Cache-Control", ""))
    if match is None or "public" not in response.get("Cache-Control", ""):
        return 0
    return int(match.group(1))


class PageCacheMiddleware:
    """Serve anonymous readers from the page cache; store what core.caching made public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _eligible(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE
            and request.method in CACHEABLE_METHODS
            and not is_never_cached(request.path_info)
            and not has_signed_in_cookie(request)
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            return self.get_response(request)
        cache = _cache()
        host, path, query_url = _request_parts(request)
        generation = cache.get(_generation_key(host, path)) or "0"
        key = _response_key(host, path, query_url, generation)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        timeout = _shared_max_age(response)
        if (
            request.method == "GET"
            and timeout > 0
            and not response.cookies
            and not response.streaming
            and not response.has_header("Set-Cookie")
        ):
            cache.set(key, response, timeout)
        response["X-Page-Cache"] = "miss"
        return response
