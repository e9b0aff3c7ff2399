"""What a page tells browsers, crawlers and link previews about itself (the <head> metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from wagtail.models import Page, Site

from .models import (
    SOCIAL_IMAGE_FILTER,
    CategoryIndexPage,
    DiscoverySettings,
    NewsArticlePage,
    absolute_url,
    site_name,
)


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


def _feeds(request: HttpRequest, name: str, category: Page | None) -> list[FeedLink]:
    feeds = [
        FeedLink(f"{name} (RSS)", "application/rss+xml", request.build_absolute_uri(reverse("rss_feed"))),
        FeedLink(f"{name} (Atom)", "application/atom+xml", request.build_absolute_uri(reverse("atom_feed"))),
    ]
    if category is not None:
        # Articles sit directly in a section, so a plain parent page is enough here.
        urls = CategoryIndexPage.get_feed_urls(category, request)
        feeds += [
            FeedLink(
                f"{category.title} | {name} (RSS)", "application/rss+xml", absolute_url(request, urls["rss"])
            ),
            FeedLink(
                f"{category.title} | {name} (Atom)",
                "application/atom+xml",
                absolute_url(request, urls["atom"]),
            ),
        ]
    return feeds


def build_page_meta(
    request: HttpRequest, page: Page | None = None, overrides: dict | None = None
) -> PageMeta:
    """Metadata for a Wagtail page, or for a view that describes itself in `overrides`.

    `overrides` keys: title, description, canonical, image (an Image), type, robots, json_ld.
    """
    overrides = overrides or {}
    name = site_name(request)
    site = Site.find_for_request(request)
    meta = PageMeta(site_name=name)
    if site is not None:
        meta.twitter_handle = DiscoverySettings.for_request(request).twitter_handle

    image = overrides.get("image")
    image_alt = ""
    category = None
    if page is not None:
        meta.title = page.seo_title or page.title
        describe = getattr(page, "get_meta_description", None)
        meta.description = describe() if describe else page.search_description
        meta.canonical = page.get_full_url(request) or ""
        get_social_image = getattr(page, "get_social_image", None)
        image = (
            get_social_image()
            if get_social_image
            else (getattr(page, "social_image", None) or getattr(page, "listing_image", None))
        )
        get_json_ld = getattr(page, "get_json_ld", None)
        if get_json_ld is not None:
            meta.json_ld = get_json_ld(request)
        if isinstance(page, NewsArticlePage):
            category = page.get_category()
            meta.type = "article"
            meta.published = page.date.isoformat()
            meta.modified = (page.last_published_at or page.date).isoformat()
            meta.section = category.title if category else ""
            meta.tags = [tag.name for tag in page.get_tags()]
            image_alt = page.lead_image_alt_text if image is not None and image == page.lead_image else ""
        elif isinstance(page, CategoryIndexPage):
            category = page
        elif page.depth == 2:
            meta.json_ld = website_json_ld(request, meta.canonical, name)

    meta.title = overrides.get("title", meta.title)
    meta.description = overrides.get("description", meta.description) or ""
    meta.canonical = overrides.get("canonical", meta.canonical)
    meta.type = overrides.get("type", meta.type)
    meta.robots = overrides.get("robots", "")
    meta.json_ld = overrides.get("json_ld", meta.json_ld)
    if image is not None:
        rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
        meta.image_url = absolute_url(request, rendition.url)
        meta.image_width, meta.image_height = rendition.width, rendition.height
        meta.image_alt = image_alt or image.default_alt_text or ""
    meta.feeds = _feeds(request, name, category)
    return meta


def website_json_ld(request: HttpRequest, url: str, name: str) -> dict[str, Any]:
    """The site itself, with the search box search engines may offer under its name."""
    search_url = request.build_absolute_uri(reverse("search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "url": url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
