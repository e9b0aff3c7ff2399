"""The key of a story's body fragment (see core.fragments)."""

from __future__ import annotations

import json

from django import template
from django.template.context import Context

from wagtail.blocks import StreamValue

from core import fragments

register = template.Library()

# In a body's stored JSON, a rich-text link to a page or document, or an
# embedded image: what it renders (an address, a picture) can change without
# the story changing.
_REFERENCES = ('linktype=\\"', 'embedtype=\\"')


@register.simple_tag(takes_context=True)
def story_body_key(context: Context, page) -> str | None:
    """The key of `page`'s rendered body, or None when it must be rendered afresh.

    The body is the published revision's: previews and pages never published
    through a revision are not kept. The key names the revision and the media
    version (its pictures), and the page version too when the body links to
    pages or documents (their addresses may change).
    """
    request = context.get("request")
    body = getattr(page, "body", None)
    revision_id = getattr(page, "live_revision_id", None)
    if request is None or getattr(request, "is_preview", False) or revision_id is None:
        return None
    if not isinstance(body, StreamValue):
        return None
    raw = json.dumps(list(body.raw_data), default=str)
    depends_on = [fragments.MEDIA]
    if any(marker in raw for marker in _REFERENCES):
        depends_on.append(fragments.PAGES)
    return fragments.versioned_key(request, "story-body", depends_on, page.pk, revision_id)
