"""The lists a site starts with: the daily briefing, breaking news and a weekly one per section.

Used by the data migration (with its historical models) and by
`manage.py ensure_newsletter_lists` for sections added later; it never
touches a list that exists, so editors' changes stay.
"""

from __future__ import annotations

from datetime import time

from django.utils.text import slugify

DAILY_SLUG = "daily-briefing"
BREAKING_SLUG = "breaking-news"


def ensure_default_lists(newsletter_model, section_model) -> int:
    """Create the lists that are missing; returns how many were made."""
    made = 0
    defaults = [
        {
            "slug": DAILY_SLUG,
            "name": "Daily briefing",
            "kind": "daily",
            "description": "The day's top stories, every morning.",
            "compose_time": time(6, 0),
            "send_time": time(7, 0),
            "sort_order": 0,
        },
        {
            "slug": BREAKING_SLUG,
            "name": "Breaking news",
            "kind": "breaking",
            "description": "Only when it matters, as it happens.",
            "sort_order": 1,
        },
    ]
    for section in section_model.objects.filter(live=True).order_by("path"):
        defaults.append(
            {
                "slug": slugify(f"{section.slug}-weekly")[:100],
                "name": f"{section.title} weekly"[:100],
                "kind": "section",
                "description": f"The week in {section.title}, every Monday."[:255],
                "section_id": section.pk,
                "compose_time": time(6, 0),
                "send_time": time(8, 0),
                "sort_order": 10,
            }
        )
    for values in defaults:
        if newsletter_model.objects.filter(slug=values["slug"]).exists():
            continue
        if (
            values.get("section_id")
            and newsletter_model.objects.filter(section_id=values["section_id"]).exists()
        ):
            continue
        newsletter_model.objects.create(**values)
        made += 1
    return made
