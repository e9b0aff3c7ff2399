"""Abstract page and mixins shared by every page type of the site.

Every concrete page inherits `BasePage`, so listing cards, social previews and
breadcrumbs work the same way on all of them.
"""

from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


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
    promote_panels = (
        Page.promote_panels + ListingFieldsMixin.promote_panels + SocialFieldsMixin.promote_panels
    )

    class Meta:
        abstract = True

    @property
    def card_title(self) -> str:
        return self.listing_title or self.title

    def get_meta_description(self) -> str:
        return self.search_description or self.social_text or self.listing_summary

    def get_breadcrumbs(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """(title, URL) pairs from the site's home page down to this page, in one query.

        Ancestors come from the page's materialised path, so the cost does not
        grow with depth; URLs come from the site root paths Wagtail caches.
        """
        # Depth 1 is Wagtail's invisible root; site home pages sit at depth 2.
        ancestors = Page.objects.ancestor_of(self, inclusive=True).filter(depth__gte=2)
        trail = []
        for page in ancestors.only("id", "path", "depth", "title", "url_path").order_by("path"):
            page = self if page.pk == self.pk else page
            trail.append((page.title, page.get_url(request) or ""))
        return trail
