"""The brand in the page's <head> and its footer (core.brand, docs/brand.md).

{% brand_head %}   the font preloads and the accent colour's <style>
{% site_footer %}  sections, the site's own pages, feeds, copyright
"""

from __future__ import annotations

from django import template
from django.db.models import Q
from django.http import HttpRequest
from django.template.context import Context
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from wagtail.models import Page, Site

from ..brand import accent_style, allow_inline_style
from ..listings import FOOTER_PAGE_SLUGS, nav_root, not_expired
from ..models import LIGHT_PAGE_FIELDS, SiteIdentity
from ..privacy import private_q
from ..sites import site_name

register = template.Library()

# Preloaded: the regular and bold faces set the body and every headline above the fold.
PRELOADED_FONTS = ("fonts/newsroom-serif-regular.woff2", "fonts/newsroom-serif-bold.woff2")


@register.simple_tag(takes_context=True)
def brand_head(context: Context) -> SafeString:
    """Preloads for the fonts the first screen uses, and the site's accent colour as CSS properties.

    The colour is re-checked here (core.brand.accent_style): a stored value that
    is not `#rrggbb` gives no <style> at all.
    """
    request = context.get("request")
    preloads = format_html_join(
        "\n  ",
        '<link rel="preload" href="{}" as="font" type="font/woff2" crossorigin>',
        ((static(path),) for path in PRELOADED_FONTS),
    )
    site = Site.find_for_request(request) if request is not None else None
    css = accent_style(SiteIdentity.for_request(request).accent_colour) if site is not None else ""
    if not css:
        return preloads
    allow_inline_style(request, css)
    return format_html("{}\n  <style>{}</style>", preloads, css)


def footer_pages(request: HttpRequest | None) -> tuple[list[Page], list[Page]]:
    """The site's sections (as in the navigation) and its About, Contact and Privacy pages
    that are live, unexpired and public.

    A story or listing page has them already, from the query that found its
    cards' sections (core.listings.attach_parents); other pages pay one query for both.
    """
    if request is None:
        return [], []
    sections = getattr(request, "newsroom_nav_sections", None)
    own = getattr(request, "newsroom_footer_pages", None)
    if sections is None or own is None:
        root = nav_root(request)
        if root is None:
            return [], []
        pages = list(
            Page.objects.child_of(root)
            .live()
            .filter(Q(show_in_menus=True) | Q(slug__in=FOOTER_PAGE_SLUGS))
            .filter(not_expired())
            .exclude(private_q())
            .only(*LIGHT_PAGE_FIELDS)
            .order_by("path")
        )
        by_slug = {page.slug: page for page in pages}
        own = [by_slug[slug] for slug in FOOTER_PAGE_SLUGS if slug in by_slug]
        sections = [page for page in pages if page.show_in_menus]
        request.newsroom_nav_sections = sections
        request.newsroom_footer_pages = own
    return [page for page in sections if page not in own], own


@register.inclusion_tag("includes/site_footer.html", takes_context=True)
def site_footer(context: Context) -> dict:
    """The footer's links; kept as a fragment with the header (base.html), by the menu version."""
    request = context.get("request")
    sections, pages = footer_pages(request)
    return {"sections": sections, "pages": pages, "name": site_name(request), "request": request}
