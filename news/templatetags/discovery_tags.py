from django import template
from django.template.context import Context

from news.metadata import build_page_meta

register = template.Library()


@register.inclusion_tag("includes/meta.html", takes_context=True)
def page_meta(context: Context) -> dict:
    """Description, canonical URL, link previews, feed links and JSON-LD for the current page.

    Wagtail pages describe themselves; other views pass a `meta` dict (see
    `news.metadata.build_page_meta`).
    """
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    return {"meta": build_page_meta(request, page=page, overrides=context.get("meta"))}
