"""The abstract page and mixins every page type shares, and the site's identity settings.

Every concrete page inherits `BasePage`, so listing cards, social previews,
metadata and breadcrumbs work the same way on all of them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

# Wagtail's invisible root is depth 1 and each site's home page depth 2;
# sections and stories sit below.
SITE_ROOT_DEPTH = 2


class ListingFieldsMixin(models.Model):
    """How a page looks when another page lists it (cards, related panels)."""

    listing_title = models.CharField(
        max_length=255, blank=True, help_text="Shorter title for cards; the page title when empty."
    )
    listing_summary = models.TextField(blank=True, help_text="One or two sentences for cards.")
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Card image; the article's lead image when empty.",
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("listing_title"), FieldPanel("listing_summary"), FieldPanel("listing_image")],
            heading="Listings",
        ),
    ]

    class Meta:
        abstract = True


class SocialFieldsMixin(models.Model):
    """What a shared link shows (OpenGraph and Twitter cards)."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Image for shared links; the listing or lead image when empty.",
    )
    social_text = models.CharField(max_length=255, blank=True, help_text="Description for shared links.")

    promote_panels = [
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_text")], heading="Social"),
    ]

    class Meta:
        abstract = True


class BasePage(ListingFieldsMixin, SocialFieldsMixin, Page):
    """What every page of the site has; page types override the `get_*` hooks they need."""

    promote_panels = (
        Page.promote_panels + ListingFieldsMixin.promote_panels + SocialFieldsMixin.promote_panels
    )

    class Meta:
        abstract = True

    @property
    def at_site_root(self) -> bool:
        """Whether this is a site's home page (its title needs no site name after it)."""
        return self.depth == SITE_ROOT_DEPTH

    @property
    def card_title(self) -> str:
        return self.listing_title or self.title

    @property
    def card_image(self):
        return self.listing_image

    def get_meta_description(self) -> str:
        return self.search_description or self.social_text or self.listing_summary

    def get_social_image(self):
        return self.social_image or self.listing_image

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any] | None:
        """schema.org data for the page's <head>; None when the page type has none."""
        return None

    def get_feed_links(self, request: HttpRequest) -> list[tuple[str, str, str]]:
        """(title, MIME type, URL) of feeds that follow this page, besides the site's own."""
        return []

    def update_page_meta(self, meta, request: HttpRequest) -> None:
        """Add what only this page type knows to its <head> metadata (see core.metadata)."""

    def get_breadcrumbs(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """(title, URL) pairs from the site's home page down to this page, in one query.

        Ancestors come from the page's materialised path, so the cost does not
        grow with depth; URLs come from the site root paths Wagtail caches.
        """
        ancestors = Page.objects.ancestor_of(self, inclusive=True).filter(depth__gte=SITE_ROOT_DEPTH)
        trail = []
        for page in ancestors.only("id", "path", "depth", "title", "url_path").order_by("path"):
            page = self if page.pk == self.pk else page
            trail.append((page.title, page.get_url(request) or ""))
        return trail


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who publishes the site and how it presents itself: header, titles, metadata, feeds.

    Editors change it in Settings › Site identity; every empty field falls back
    to something sensible (Wagtail's site name, the site description).
    """

    site_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="Shown in the header, page titles, feeds and link previews; "
        "the name under Settings › Sites when empty.",
    )
    description = models.TextField(
        blank=True,
        max_length=300,
        help_text="One or two sentences about the site: the front page's description for search "
        "engines and link previews, and the feeds' description.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header instead of the site name.",
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For link previews and structured data of pages without an image of their own.",
    )
    publisher_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="The organisation named as publisher in structured data; the site name when empty.",
    )
    publisher_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publisher's logo in structured data for search engines.",
    )
    twitter_handle = models.CharField(
        max_length=50, blank=True, help_text="The site's account on X/Twitter, e.g. @newsroom."
    )
    social_links = models.TextField(
        "social accounts",
        blank=True,
        help_text="Addresses of the site's other social accounts (Mastodon, Bluesky, Facebook…), "
        "one a line; search engines use them to recognise the publisher.",
    )
    comment_policy = models.TextField(
        blank=True,
        max_length=2000,
        help_text="Shown above the reader comment form: what is welcome and what is removed.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("description")], heading="Name"),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("default_share_image")], heading="Images"),
        MultiFieldPanel(
            [FieldPanel("publisher_name"), FieldPanel("publisher_logo")],
            heading="Publisher (structured data)",
        ),
        MultiFieldPanel([FieldPanel("twitter_handle"), FieldPanel("social_links")], heading="Social"),
        FieldPanel("comment_policy"),
    ]

    # Every page shows the logo and most need the sharing image: one query for all three.
    select_related = ["logo", "default_share_image", "publisher_logo"]

    class Meta:
        verbose_name = "site identity"

    def social_urls(self) -> list[str]:
        """The social account addresses, one per non-empty line; anything but http(s) is left out."""
        return [
            line.strip()
            for line in self.social_links.splitlines()
            if line.strip().startswith(("https://", "http://"))
        ]
