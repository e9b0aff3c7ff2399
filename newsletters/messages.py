"""An issue as an e-mail: MJML compiled once per issue, then each recipient's own links put in.

Compiling the MJML (mjml-python, the Rust port of MJML) gives the tables,
inline styles and 600 px width mail clients need; it runs once per issue, and
the per-recipient part is two string replacements, so a batch of thousands
costs little more than the SMTP conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import mjml

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.models import Site

from core.models import SiteIdentity
from news.models import StoryPage

from .models import Issue
from .tokens import preferences_token, unsubscribe_token

UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/"
PREFERENCES_PLACEHOLDER = "https://preferences.invalid/"
CARD_PICTURE_SPEC = "fill-1200x675"
CARD_PICTURE_WIDTH = 552  # The 600 px column less its padding.


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str
    base_url: str
    newsletter_id: int
    list_id: str


def site_base_url() -> str:
    """The default site's address: e-mails are read far from any request."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL


def absolute(base_url: str, url: str) -> str:
    return url if "://" in url else base_url + url


def story_cards(issue: Issue, base_url: str) -> list[dict]:
    """The issue's public stories in the editors' order, with absolute links and pictures."""
    order = list(issue.stories.order_by("sort_order").values_list("page_id", flat=True))
    stories = StoryPage.objects.listed().filter(pk__in=order).select_related("lead_image", "listing_image")
    by_pk = {story.pk: story for story in stories}
    cards = []
    for pk in order:
        story = by_pk.get(pk)
        if story is None:
            continue  # Unpublished or made private since it was chosen.
        image = story.card_image
        picture = None
        if image is not None:
            rendition = image.get_rendition(CARD_PICTURE_SPEC)
            picture = {"url": absolute(base_url, rendition.url), "alt": story.lead_image_alt_text or ""}
        cards.append(
            {
                "title": story.card_title,
                "summary": story.get_meta_description(),
                "url": absolute(base_url, story.get_url() or story.url or ""),
                "picture": picture,
            }
        )
    return cards


def render_issue(issue: Issue, preview: bool = False) -> RenderedIssue:
    base_url = site_base_url()
    site = Site.objects.filter(is_default_site=True).first()
    identity = SiteIdentity.for_site(site) if site is not None else None
    site_name = (identity and identity.site_name) or (site and site.site_name) or settings.WAGTAIL_SITE_NAME
    logo = None
    if identity is not None and identity.logo is not None:
        logo = absolute(base_url, identity.logo.get_rendition("max-400x80").url)
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "cards": story_cards(issue, base_url),
        "site_name": site_name,
        "site_url": base_url + "/",
        "logo_url": logo,
        "archive_url": absolute(base_url, issue.get_absolute_url()),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
    }
    compiled = mjml.mjml2html(render_to_string("newsletters/email/issue.mjml", context))
    text = render_to_string("newsletters/email/issue.txt", context)
    host = base_url.split("://", 1)[-1].split(":")[0].split("/")[0] or "localhost"
    return RenderedIssue(
        subject=issue.subject,
        html=compiled,
        text=text,
        base_url=base_url,
        newsletter_id=issue.newsletter_id,
        list_id=f"{issue.newsletter.name} <{issue.newsletter.slug}.{host}>",
    )


def unsubscribe_url(rendered: RenderedIssue, subscriber_id: int) -> str:
    token = unsubscribe_token(subscriber_id, rendered.newsletter_id)
    return rendered.base_url + reverse("newsletters:unsubscribe", args=[token])


def preferences_url(rendered: RenderedIssue, subscriber_id: int) -> str:
    return rendered.base_url + reverse("newsletters:preferences", args=[preferences_token(subscriber_id)])


def message_for(rendered: RenderedIssue, subscriber_id: int, email: str) -> EmailMultiAlternatives:
    """One recipient's message, with RFC 8058's one-click unsubscribe headers."""
    leave = unsubscribe_url(rendered, subscriber_id)
    preferences = preferences_url(rendered, subscriber_id)
    headers = {
        "List-Unsubscribe": f"<{leave}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": rendered.list_id,
    }
    unsubscribe_mailbox = getattr(settings, "NEWSLETTERS_UNSUBSCRIBE_MAILTO", "")
    if unsubscribe_mailbox:
        headers["List-Unsubscribe"] += (
            f", <mailto:{unsubscribe_mailbox}?subject={quote('unsubscribe ' + leave)}>"
        )
    html = rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, leave).replace(PREFERENCES_PLACEHOLDER, preferences)
    text = rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, leave).replace(PREFERENCES_PLACEHOLDER, preferences)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=getattr(settings, "NEWSLETTERS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
