""" "Most read" as readers see it: titles and addresses, kept a little while in the cache."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from wagtail.models import Site

from .stats import most_read

# Shorter than the flush interval's double: a page rendered now lists views flushed a minute ago.
PANEL_CACHE_SECONDS = 30


@dataclass
class MostReadItem:
    title: str
    url: str


def most_read_items(request: HttpRequest) -> list[MostReadItem]:
    """The panel's entries for the site of `request`, from the cache when it has them."""
    site = Site.find_for_request(request)
    key = f"readership:most-read:{site.pk if site else 0}"
    items = cache.get(key)
    if items is None:
        items = [MostReadItem(story.card_title, story.get_url(request) or "") for story in most_read()]
        cache.set(key, items, PANEL_CACHE_SECONDS)
    return items
