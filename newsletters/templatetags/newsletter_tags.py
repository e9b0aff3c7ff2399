"""The sign-up box's lists, from the cache (reader pages stay at their query count)."""

from __future__ import annotations

from django import template

from ..subscriptions import signup_lists

register = template.Library()


@register.simple_tag
def newsletter_signup_lists(section_id: int | None = None, compact: bool = False) -> list[dict]:
    """The lists a box offers: the daily briefing (ticked) and breaking news, plus `section_id`'s own.

    A compact box (the footer) offers the daily briefing alone.
    """
    lists = signup_lists()
    offered = []
    for item in lists:
        if item["kind"] == "daily":
            offered.append({**item, "checked": True})
        elif not compact and (
            item["kind"] == "breaking" or (section_id and item["section_id"] == section_id)
        ):
            offered.append({**item, "checked": False})
    return offered
