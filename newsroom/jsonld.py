"""schema.org structured data, built as Python data and serialised safely."""

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

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
