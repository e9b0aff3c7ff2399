"""Site-wide template tags: breadcrumbs, navigation, <head> metadata, named renditions, pagination."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.http import QueryDict
from django.template.context import Context
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail.models import Site

from ..brand import svg_logo
from ..image_credits import caption_text, credit_label, credit_text
from ..images import picture_html
from ..jsonld import breadcrumb_list, json_ld_script
from ..listings import nav_sections
from ..metadata import build_page_meta, listing_page_title_suffix
from ..models import SITE_ROOT_DEPTH, SiteIdentity
from ..sites import site_name as get_site_name

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
    current_path = getattr(context.get("page"), "path", "")
    sections = nav_sections(context.get("request"))
    for section in sections:
        section.is_current = current_path.startswith(section.path)
    return {"sections": sections}


def _is_site_root(page) -> bool:
    depth = getattr(page, "depth", None)
    return depth is not None and depth <= SITE_ROOT_DEPTH


@register.simple_tag(takes_context=True)
def site_name(context: Context) -> str:
    """The site's name as editors set it in Site identity (see core.sites.site_name)."""
    return get_site_name(context.get("request"))


@register.simple_tag(takes_context=True)
def page_title(context: Context) -> str:
    """The page's title for <title>; the front page is called by the site's name, not "Home"."""
    page = context.get("page")
    if page is None:
        return ""
    if _is_site_root(page):
        return page.seo_title or get_site_name(context.get("request"))
    return page.seo_title or page.title


@register.simple_tag(takes_context=True)
def title_suffix(context: Context) -> str:
    """The site's name after every title but the front page's, which is the site name already."""
    if _is_site_root(context.get("page")):
        return ""
    return f" | {get_site_name(context.get('request'))}"


@register.inclusion_tag("includes/site_title.html", takes_context=True)
def site_title(context: Context) -> dict:
    """The header's link home: the site's logo (the SVG one first) when it has one, else its name."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    identity = SiteIdentity.for_request(request) if site is not None else None
    return {
        "name": get_site_name(request),
        "logo": identity.logo if identity is not None else None,
        "svg_logo": svg_logo(identity),
    }


@register.inclusion_tag("includes/meta.html", takes_context=True)
def page_meta(context: Context) -> dict:
    """Description, canonical URL, link previews, feed links and JSON-LD for the current page.

    Wagtail pages describe themselves; other views pass a `meta` dict (see
    `core.metadata.build_page_meta`).
    """
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    return {"meta": build_page_meta(request, page=page, overrides=context.get("meta"))}


@register.simple_tag(takes_context=True)
def listing_page_suffix(context: Context) -> str:
    """ " – page N" in the <title> of page N > 1 of a listing, so each page has its own title."""
    request = context.get("request")
    return listing_page_title_suffix(request) if request is not None else ""


@register.filter
def html_datetime(value: datetime | None) -> str:
    """A `<time datetime>` value: ISO 8601 to the second.

    `date:"c"` prints microseconds, which HTML's valid date-time strings do not allow.
    """
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def json_ld(data) -> str:
    return json_ld_script(data)


@register.simple_tag
def rendition(image, name: str, priority: bool = False, **attrs) -> SafeString:
    """`image` in the renditions named `name` (see core.images.RENDITIONS).

    A family renders as a <picture>: WebP first, the original's format for the
    rest, in several sizes for the browser to choose from (`sizes=` narrows the
    family's own to the layout at hand). Pages prefetch the same named
    renditions, so a picture costs no query.

    `priority` marks the page's largest picture above the fold: fetched first.
    The others load lazily, when the reader nears them, and decode off the
    main thread; give `loading="eager"` to one in view from the start that is
    not the largest (the logo).
    """
    if not image:
        return SafeString("")
    if priority:
        attrs["fetchpriority"] = "high"
    else:
        attrs.setdefault("loading", "lazy")
        attrs.setdefault("decoding", "async")
    return picture_html(image, name, attrs)


@register.inclusion_tag("includes/figure_caption.html")
def figure_caption(image, caption: str = "", credit: str = "") -> dict:
    """A picture's <figcaption>: its caption, then a small credit line ("Photo: Jane Doe / Reuters").

    `caption` and `credit` are what the page wrote where it uses the picture; each
    falls back to the image's own (core.image_credits), loaded with the image.
    Renders nothing when there is neither.
    """
    if not image:
        return {"caption": (caption or "").strip(), "credit": (credit or "").strip(), "label": ""}
    shown = credit_text(image, credit)
    return {"caption": caption_text(image, caption), "credit": shown, "label": credit_label(shown)}


@register.simple_tag(takes_context=True)
def page_query(context: Context, number: int, parameter: str = "page") -> str:
    """The current query string with `parameter` set to `number`, other parameters kept.

    Page 1 is the bare address, so each listing page has exactly one URL.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    if int(number) > 1:
        query[parameter] = str(number)
    else:
        query.pop(parameter, None)
    encoded = query.urlencode()
    return format_html("?{}", encoded) if encoded else (request.path if request is not None else "?")
