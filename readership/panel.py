""" "Most read" as readers see it: titles and addresses, kept a little while in the cache."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from wagtail.models import Site

from .stats import most_read

# Shorter than the flush interval's double: a page rendered now lists views flushed a minute ago.
PANEL_CACHE_SECONDS = 30

logger = logging.getLogger(__name__)


@dataclass
class MostReadItem:
    title: str
    url: str


def most_read_items(request: HttpRequest) -> list[MostReadItem]:
    """The panel's entries for the site of `request`, from the cache when it has them."""
    site = Site.find_for_request(request)
    key = f"readership:most-read:{site.pk if site else 0}"
    try:
        items = cache.get(key)
    except Exception:  # a cache that is down (any backend's error) costs the query, never the page
        items, cache_is_up = None, False
    else:
        cache_is_up = True
    if items is None:
        items = [MostReadItem(story.card_title, story.get_url(request) or "") for story in most_read()]
        if cache_is_up:
            try:
                cache.set(key, items, PANEL_CACHE_SECONDS)
            except Exception:  # shown now; the next view asks again
                logger.warning("Most read: cache unavailable", exc_info=True)
    return items
