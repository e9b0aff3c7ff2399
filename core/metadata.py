"""What a page tells browsers, crawlers and link previews about itself (the <head> metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wagtail.models import Page, Site

from .images import get_rendition, is_stand_in
from .models import SiteIdentity
from .sites import absolute_url, default_share_image, site_name


@dataclass
class FeedLink:
    title: str
    mime_type: str
    url: str


@dataclass
class PageMeta:
    title: str = ""
    description: str = ""
    canonical: str = ""
    type: str = "website"
    site_name: str = ""
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    twitter_handle: str = ""
    robots: str = ""
    published: str = ""
    modified: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    feeds: list[FeedLink] = field(default_factory=list)
    json_ld: dict[str, Any] | None = None


def site_feeds(request: HttpRequest, name: str) -> list[FeedLink]:
    """The site-wide feeds every page links to (settings.NEWSROOM_SITE_FEEDS)."""
    return [
        FeedLink(f"{name} ({label})", mime_type, request.build_absolute_uri(reverse(url_name)))
        for label, mime_type, url_name in settings.NEWSROOM_SITE_FEEDS
    ]


def listing_page_number(request: HttpRequest) -> int:
    """Which page of a paginated listing this response shows (1 when it is no listing)."""
    return getattr(request, "listing_page_number", 1)


def listing_page_title_suffix(request: HttpRequest) -> str:
    number = listing_page_number(request)
    return f" – page {number}" if number > 1 else ""


def with_page_number(url: str, number: int) -> str:
    """`url` with `?page=number` (other parameters kept); page 1 is the bare URL."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "page"]
    if number > 1:
        query.append(("page", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def build_page_meta(
    request: HttpRequest, page: Page | None = None, overrides: dict | None = None
) -> PageMeta:
    """Metadata for a Wagtail page, or for a view that describes itself in `overrides`.

    Pages describe themselves through `BasePage`'s hooks (`get_meta_description`,
    `get_social_image`, `get_json_ld`, `get_feed_links`, `update_page_meta`).
    `overrides` keys: title, description, canonical, image (an Image), type, robots, json_ld.
    """
    overrides = overrides or {}
    name = site_name(request)
    meta = PageMeta(site_name=name)
    if Site.find_for_request(request) is not None:
        meta.twitter_handle = SiteIdentity.for_request(request).twitter_handle
    meta.feeds = site_feeds(request, name)

    image = overrides.get("image")
    if page is not None:
        meta.title = page.seo_title or page.title
        describe = getattr(page, "get_meta_description", None)
        meta.description = describe() if describe else page.search_description
        meta.canonical = page.get_full_url(request) or ""
        get_social_image = getattr(page, "get_social_image", None)
        image = get_social_image() if get_social_image else None
        get_json_ld = getattr(page, "get_json_ld", None)
        meta.json_ld = get_json_ld(request) if get_json_ld else None
        get_feed_links = getattr(page, "get_feed_links", None)
        if get_feed_links is not None:
            meta.feeds += [FeedLink(*link) for link in get_feed_links(request)]
        update_page_meta = getattr(page, "update_page_meta", None)
        if update_page_meta is not None:
            update_page_meta(meta, request)

    meta.title = overrides.get("title", meta.title)
    meta.description = overrides.get("description", meta.description) or ""
    meta.canonical = overrides.get("canonical", meta.canonical)
    meta.type = overrides.get("type", meta.type)
    meta.robots = overrides.get("robots", "")
    meta.json_ld = overrides.get("json_ld", meta.json_ld)
    if image is None:
        image = default_share_image(request)
    number = listing_page_number(request)
    if number > 1:
        meta.title += listing_page_title_suffix(request)
        if meta.canonical:
            meta.canonical = with_page_number(meta.canonical, number)
    rendition = get_rendition(image, "share") if image is not None else None
    if rendition is not None and not is_stand_in(rendition):
        meta.image_url = absolute_url(request, rendition.url)
        meta.image_width, meta.image_height = rendition.width, rendition.height
        meta.image_alt = meta.image_alt or image.default_alt_text or ""
    else:
        meta.image_alt = ""
    return meta
