"""schema.org structured data, built as Python data and serialised safely."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .brand import JSON_LD_LOGO_SPEC, LogoFile, raster_logo, svg_logo
from .image_credits import credit_of, credit_text
from .models import SiteIdentity
from .sites import absolute_url

# The same escapes Django's json_script filter uses: a value holding "</script>"
# or "<!--" cannot end the script element early.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any] | list[dict[str, Any]]) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    payload = payload.translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """`trail` is (name, absolute URL) pairs from the site root to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def publisher_json_ld(request: HttpRequest | None, name: str) -> dict[str, Any]:
    """The publishing organisation (Site identity's publisher name, else `name`), logo and accounts."""
    identity = SiteIdentity.for_request(request) if request is not None else None
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": (identity and identity.publisher_name) or name,
    }
    if identity is not None and identity.social_urls():
        publisher["sameAs"] = identity.social_urls()
    logo = publisher_logo(identity)
    if logo is not None:
        publisher["logo"] = {
            "@type": "ImageObject",
            "url": absolute_url(request, logo.url),
            "width": logo.width,
            "height": logo.height,
        }
    return publisher


def publisher_logo(identity: SiteIdentity | None) -> LogoFile | None:
    """The publisher's logo, else the site's logo, else its SVG logo (Google reads SVG too)."""
    if identity is None:
        return None
    return (
        raster_logo(identity.publisher_logo, JSON_LD_LOGO_SPEC)
        or raster_logo(identity.logo, JSON_LD_LOGO_SPEC)
        or svg_logo(identity)
    )


def website_json_ld(name: str, url: str, search_url: str | None = None) -> dict[str, Any]:
    """The site itself, with the search box search engines may offer under its name."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebSite", "name": name, "url": url}
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        }
    return data


def collection_page_json_ld(name: str, url: str, description: str, site: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "isPartOf": {"@type": "WebSite", "name": site},
    }


def image_rights_json_ld(image, credit: str = "") -> dict[str, str]:
    """What schema.org (and Google's image licence metadata) says of a picture's rights:
    `creditText`, `copyrightNotice`, `license` and `acquireLicensePage`, each left out when unknown.

    `credit` is the one the page wrote where it shows the picture; the image's own otherwise.
    """
    data: dict[str, str] = {}
    shown = credit_text(image, credit)
    if shown:
        data["creditText"] = shown
    row = credit_of(image)
    if row is not None:
        for key, value in (
            ("copyrightNotice", row.copyright_notice),
            ("license", row.licence_url),
            ("acquireLicensePage", row.source_url),
        ):
            if value.strip():
                data[key] = value.strip()
    return data


def image_objects_json_ld(
    request: HttpRequest | None, renditions: list, rights: dict[str, str]
) -> list[str] | list[dict[str, Any]]:
    """A picture's renditions for a page's `image`: plain addresses when nothing is known of
    its rights, else an ImageObject each, carrying them."""
    urls = [absolute_url(request, rendition.url) for rendition in renditions]
    if not rights:
        return urls
    return [
        {
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "width": rendition.width,
            "height": rendition.height,
            **rights,
        }
        for url, rendition in zip(urls, renditions, strict=True)
    ]
