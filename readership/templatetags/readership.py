"""{% most_read_panel %} and {% readership_script %}: what story and front pages include."""

from __future__ import annotations

from typing import Any

from django import template

from ..panel import most_read_items

register = template.Library()


@register.inclusion_tag("readership/most_read_panel.html", takes_context=True)
def most_read_panel(context: dict[str, Any], css_class: str = "") -> dict[str, Any]:
    """The "Most read" panel: nothing at all until some story has been read."""
    request = context["request"]
    return {"items": most_read_items(request), "css_class": css_class, "request": request}


@register.inclusion_tag("readership/beacon_script.html")
def readership_script(page: Any = None) -> dict[str, Any]:
    """The script that counts a view of `page` (a story) and keeps "Most read" fresh.

    The story's id is in the page's HTML, so the view is counted when the page
    comes from a cache too.
    """
    return {"story_id": page.pk if page is not None else None}
