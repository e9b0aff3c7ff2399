"""Template tags that show reader comments under an article and their counts."""

from __future__ import annotations

from django_comments_xtd import get_form

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.context import Context
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import urlize as django_urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from wagtail.models import Site

from core import fragments
from core.models import SiteIdentity

from ..forms import blank_form_fields
from ..models import ReaderCommentSettings
from ..spam import akismet_enabled
from ..threads import PAGE_PARAMETER, build_threads, comment_count, paginate_threads, shown_comments
from ..views import initial_for

register = template.Library()

LINK_REL = "nofollow ugc noopener"


@register.inclusion_tag("discussion/comments.html", takes_context=True)
def reader_comments(context: Context, article) -> dict:
    """The threads of one page of comments and, while comments are open, the form."""
    request = context["request"]
    site_settings = ReaderCommentSettings.for_request(request)
    if not article.reader_comments_shown:
        return {"shown": False}
    page = paginate_threads(article, request.GET.get(PAGE_PARAMETER), site_settings.threads_per_page)
    close_after_days = site_settings.auto_close_after_days
    is_open = article.reader_comments_open(close_after_days)
    threads = threads_html(article, page, is_open, site_settings.max_depth)
    signed_in = request.user.is_authenticated
    return {
        "shown": True,
        "request": request,
        "article": article,
        "count": comment_count(article),
        "threads_html": threads,
        "threads_page": page,
        "page_parameter": PAGE_PARAMETER,
        "is_open": is_open,
        "close_at": article.reader_comments_close_at(close_after_days) if is_open else None,
        "max_depth": site_settings.max_depth,
        # A signed-in reader's form is prefilled (and carries CSRF): built as a form.
        # Anyone else's is the plain blank form, its security data made now.
        "form": get_form()(article, initial=initial_for(request)) if is_open and signed_in else None,
        "blank_form": blank_form_fields(article) | {"akismet": akismet_enabled()}
        if is_open and not signed_in
        else None,
        "next_url": reverse("reader-comments-posted"),
        "csrf_token": context.get("csrf_token"),
        "comment_policy": SiteIdentity.for_request(request).comment_policy
        if Site.find_for_request(request) is not None
        else "",
    }


def threads_html(article, page, is_open: bool, max_depth: int) -> SafeString:
    """The threads of one page of comments as HTML, kept across requests until a comment on
    `article` changes (core.fragments): the same for every reader, none of it personal."""
    if not page.paginator.count:
        return SafeString("")
    content_type_id = ContentType.objects.get_for_model(article).pk
    version = fragments.comments_version(content_type_id, article.pk)
    key = None
    if version is not None:  # None: the cache is down, and nothing is kept.
        key = fragments.fragment_key(
            "comment-threads", article.pk, version, page.number, page.paginator.per_page, is_open, max_depth
        )

    def render_threads() -> str:
        threads = build_threads(shown_comments(page))
        return render_to_string(
            "discussion/threads.html", {"threads": threads, "is_open": is_open, "max_depth": max_depth}
        )

    return SafeString(fragments.kept(key, render_threads, size=lambda html: len(html.encode())))


@register.inclusion_tag("discussion/count_link.html")
def reader_comments_link(article) -> dict:
    """'N comments', linking to the comments, where comments are shown at all."""
    if not article.reader_comments_shown:
        return {"count": None}
    return {"count": comment_count(article)}


@register.filter(is_safe=True)
def comment_text(text: str) -> SafeString:
    """Reader text as HTML: escaped, links made clickable for humans only, line breaks kept."""
    html = django_urlize(normalize_newlines(text), trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize escapes the text itself, so the only rel="nofollow" left is its own.
    html = html.replace('rel="nofollow"', f'rel="{LINK_REL}"')
    paragraphs = [p.replace("\n", "<br>") for p in html.split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S308


@register.filter
def website(url: str) -> str:
    """The commenter's website, only if it is an http(s) link."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""


@register.simple_tag
def link_rel() -> str:
    return LINK_REL


@register.simple_tag
def akismet_on() -> bool:
    """Whether comments are also sent to Akismet, so the form's notice can say so."""
    return akismet_enabled()


@register.filter
def site_root_url(page) -> str:
    """The scheme, host and port of the site that serves `page`, for links in emails.

    django-comments-xtd's own emails write "http://" + the sites framework's
    domain; Wagtail's site knows whether it is served over https (port 443).
    """
    url_parts = page.get_url_parts() if hasattr(page, "get_url_parts") else None
    if url_parts:
        return url_parts[1]
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""
