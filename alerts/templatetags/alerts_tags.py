from __future__ import annotations

from django import template

from wagtail.models import Page

from ..push import push_is_configured, vapid_public_key
from ..topics import topics_of_story

register = template.Library()


@register.inclusion_tag("alerts/alerts_box.html")
def alerts_box(page: Page) -> dict:
    """The "Get alerts" box of a story: breaking news, its section, and the live blog itself.

    Nothing when the site has no push keys (manage.py generate_vapid_keys).
    """
    if not push_is_configured():
        return {"topics": []}
    topics = topics_of_story(page)
    return {
        "topics": topics,
        "vapid_public_key": vapid_public_key(),
        "follows_live_blog": any(topic.key.startswith("live-") for topic in topics),
    }
