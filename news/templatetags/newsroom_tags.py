from django import template
from django.template.context import Context

from newsroom.jsonld import breadcrumb_list, json_ld_script

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: Context) -> dict:
    """The trail from the home page to the current page, as links and as JSON-LD.

    Renders nothing on the home page itself or on pages without a trail.
    """
    request = context.get("request")
    page = context.get("page")
    trail = page.get_breadcrumbs(request) if page is not None and hasattr(page, "get_breadcrumbs") else []
    if len(trail) < 2:
        return {"trail": []}
    absolute_trail = [(title, request.build_absolute_uri(url) if request else url) for title, url in trail]
    return {
        "trail": trail,
        "json_ld": json_ld_script(breadcrumb_list(absolute_trail)),
    }


@register.simple_tag
def json_ld(data) -> str:
    return json_ld_script(data)
