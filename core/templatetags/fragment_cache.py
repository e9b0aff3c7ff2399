"""Template tags for fragments kept between requests (core.fragments).

    {% site_chrome_key "header" as key %}
    {% cached_fragment key %}...{% end_cached_fragment %}

A key of None (the cache is down, or the fragment cannot be cached) renders
the contents every time.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, Site

from .. import fragments
from ..models import SITE_ROOT_DEPTH

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome_key(context: Context, name: str) -> str | None:
    """The key of the header's or footer's fragment `name` for this request.

    It names the site, its menu version, the section the page is in (the
    navigation marks it current) and the year (the footer's copyright).
    """
    request = context.get("request")
    if request is None:
        return None
    site = Site.find_for_request(request)
    page = context.get("page")
    path = getattr(page, "path", "") or ""
    section_path = (
        path[: (SITE_ROOT_DEPTH + 1) * Page.steplen] if len(path) > SITE_ROOT_DEPTH * Page.steplen else ""
    )
    return fragments.versioned_key(
        request,
        f"chrome-{name}",
        [fragments.MENU],
        site.pk if site else None,
        section_path,
        timezone.localdate().year,
    )


def _encoded_length(html: str) -> int:
    return len(html.encode())


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: Context) -> SafeString:
        html = fragments.kept(
            self.key.resolve(context), lambda: str(self.nodelist.render(context)), size=_encoded_length
        )
        return mark_safe(html)  # noqa: S308 (this template's own output, escaped as it was rendered)


@register.tag
def cached_fragment(parser: Parser, token: Token) -> CachedFragmentNode:
    """`{% cached_fragment key %}...{% end_cached_fragment %}`: the contents kept under `key`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_fragment takes one argument: the key")
    nodelist = parser.parse(("end_cached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))
