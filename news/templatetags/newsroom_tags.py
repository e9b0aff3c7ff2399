from django import template
from django.template.context import Context

from wagtail.models import Site

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


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context: Context) -> dict:
    """Top-level sections of the current site, in the editors' tree order (one query)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"sections": []}
    current_path = getattr(context.get("page"), "path", "")
    sections = list(
        site.root_page.get_children()
        .live()
        .public()
        .in_menu()
        .only("id", "path", "depth", "title", "url_path", "slug")
    )
    for section in sections:
        section.is_current = current_path.startswith(section.path)
    return {"sections": sections}


@register.simple_tag
def json_ld(data) -> str:
    return json_ld_script(data)
