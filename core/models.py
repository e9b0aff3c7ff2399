"""The abstract page and mixins every page type shares, and the site's identity settings.

Every concrete page inherits `BasePage`, so listing cards, social previews,
metadata and breadcrumbs work the same way on all of them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator
from django.db import models
from django.http import Http404, HttpRequest

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from . import fragments, privacy
from .brand import clean_svg_file, validate_accent_colour, validate_svg_upload
from .image_credits import ImageCredit  # noqa: F401  (this app's model, kept beside its helpers)
from .images import Wanted
from .tree import SITE_ROOT_DEPTH


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

    # The fields that may hold the image of the page's shared links, the first set one winning.
    social_image_fields: tuple[str, ...] = ("social_image", "listing_image")
    # The renditions the page's <head> shows of that image (see core.images.RENDITIONS).
    social_image_renditions: tuple[str, ...] = ("share",)

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
        field = self.social_image_field()
        return getattr(self, field) if field else None

    def social_image_field(self) -> str | None:
        """The name of the field holding the page's sharing image; None without one."""
        return next((field for field in self.social_image_fields if getattr(self, f"{field}_id")), None)

    def get_image_renditions(self) -> list[Wanted]:
        """The page's own images in the renditions its page shows, for `core.images.attach_renditions`
        to load with the page's other pictures: its sharing image. Page types add theirs."""
        field = self.social_image_field()
        return [(self, field, self.social_image_renditions)] if field else []

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any] | None:
        """schema.org data for the page's <head>; None when the page type has none."""
        return None

    def get_feed_links(self, request: HttpRequest) -> list[tuple[str, str, str]]:
        """(title, MIME type, URL) of feeds that follow this page, besides the site's own."""
        return []

    def update_page_meta(self, meta, request: HttpRequest) -> None:
        """Add what only this page type knows to its <head> metadata (see core.metadata)."""

    @classmethod
    def get_serve_queryset(cls) -> models.QuerySet:
        """How the page is loaded to be served; page types add what their template needs
        (images, counts) so it comes in the same query."""
        return cls._default_manager.all()

    def get_view_restrictions(self) -> models.QuerySet:
        """Wagtail's check before serving, answered from the restrictions looked up once per request.

        Wagtail asks the database for the restrictions of the page and each
        ancestor on every view; a page in no restricted subtree has none, and
        listings on the same request need the restricted paths anyway. Aliases
        take their source's restrictions, so they keep Wagtail's own look-up.
        """
        if self.alias_of_id is None and not any(self.path.startswith(p) for p in privacy.restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_ancestor_pages(self) -> list[Page]:
        """The site's home page down to this page's parent, as light pages, in one query.

        Breadcrumbs and the page's section both read them: loaded once per page
        object (`attach_ancestors` may load them along with other pages).
        """
        if not hasattr(self, "_ancestor_pages"):
            self._ancestor_pages = list(
                Page.objects.ancestor_of(self)
                .filter(depth__gte=SITE_ROOT_DEPTH)
                .only(*LIGHT_PAGE_FIELDS)
                .order_by("path")
            )
        return self._ancestor_pages

    def get_breadcrumbs(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """(title, URL) pairs from the site's home page down to this page.

        Ancestors come from the page's materialised path, so the cost does not
        grow with depth; URLs come from the site root paths Wagtail caches.
        """
        pages = [*self.get_ancestor_pages(), self] if self.depth >= SITE_ROOT_DEPTH else []
        return [(page.title, page.get_url(request) or "") for page in pages]


# What a page needs to be linked to: title and URL (breadcrumbs, sections on cards, navigation).
LIGHT_PAGE_FIELDS = ("id", "path", "depth", "title", "url_path", "slug", "live", "show_in_menus")


class UrlPathRoutingMixin:
    """Routing for a site's root page: the page a URL names, found by its `url_path` in one query.

    Wagtail's own routing walks the tree one URL segment at a time, two queries
    a level. A page type with sub-routes (feeds, live blog entries) gets the
    segments past its own path, as Wagtail would hand them over.
    """

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        if not path_components:
            return super().route(request, path_components)
        candidates = [
            self.url_path + "".join(f"{component}/" for component in path_components[:length])
            for length in range(len(path_components), 0, -1)
        ]
        found = self._find_route(request, candidates)
        if found is None:
            raise Http404
        pk, content_type_id, depth = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            raise Http404
        page = serve_queryset(model).filter(pk=pk).first()
        if page is None:
            raise Http404
        return page.route(request, path_components[depth - self.depth :])

    def _find_route(self, request: HttpRequest, candidates: list[str]) -> tuple[int, int, int] | None:
        """(pk, content type id, depth) of the deepest page at one of `candidates`.

        Kept under the site's page version: a page's address changes only by a
        publish (a new slug), a move or a deletion, which bump it. Addresses
        that match no page are not kept (anyone can ask for any number of them).
        """
        key = fragments.versioned_key(request, "route", [fragments.PAGES], self.pk, self.path, candidates)
        return fragments.kept(
            key,
            lambda: (
                Page.objects.filter(url_path__in=candidates, path__startswith=self.path, depth__gt=self.depth)
                .order_by("-depth")
                .values_list("pk", "content_type_id", "depth")
                .first()
            ),
        )


# Each page type's serve queryset, built once per process. Its joins and
# annotations (comment counts, image joins, "has related picks") are resolved
# into expression trees when the queryset is built, a good part of what
# loading a page costs in Python; each request clones the built one instead.
# Nothing in them depends on the request or the time.
_SERVE_QUERYSETS: dict[type, models.QuerySet] = {}


def serve_queryset(model: type[Page]) -> models.QuerySet:
    """`model.get_serve_queryset()` (or its default manager), built once and cloned per call."""
    built = _SERVE_QUERYSETS.get(model)
    if built is None:
        getter = getattr(model, "get_serve_queryset", None)
        built = _SERVE_QUERYSETS[model] = getter() if getter is not None else model._default_manager.all()
    return built.all()


class SiteSetting(BaseSiteSetting):
    """A site setting loaded together with every other one: one query per request for all of them.

    Each Wagtail setting costs its own query on first use in a request; a page
    that reads three of them (discovery, identity, reader comments) paid three.
    """

    class Meta:
        abstract = True

    @classmethod
    def for_request(cls, request: HttpRequest):
        if request is not None and not hasattr(request, cls.get_cache_attr_name()):
            load_site_settings(request)
        return super().for_request(request)


def site_setting_models() -> list[type[SiteSetting]]:
    """Every concrete `SiteSetting` model of the installed apps."""
    return [model for model in apps.get_models() if issubclass(model, SiteSetting)]


def load_site_settings(request: HttpRequest) -> None:
    """Every `SiteSetting` of the request's site, kept on the request: one query, or none
    while they are kept in the fragment cache (under the menu version, which saving
    any of them bumps)."""
    site = Site.find_for_request(request)
    if site is None:
        return
    models_by_accessor = {
        model._meta.get_field("site").remote_field.get_accessor_name(): model
        for model in site_setting_models()
    }
    key = fragments.versioned_key(request, "site-settings", [fragments.MENU], site.pk)

    def load_all() -> dict[str, SiteSetting]:
        row = Site.objects.select_related(*models_by_accessor).filter(pk=site.pk).first()
        found = {}
        for accessor, model in models_by_accessor.items():
            try:
                found[accessor] = getattr(row, accessor)
            except model.DoesNotExist:
                continue  # Not saved yet: `for_site` creates it on first use.
        return found

    found = fragments.kept(key, load_all, size=len)
    for accessor, instance in found.items():
        instance._request = request
        setattr(request, models_by_accessor[accessor].get_cache_attr_name(), instance)


# A new site's front page and feeds describe it with this until editors write their own.
DEFAULT_SITE_DESCRIPTION = "The latest news, analysis and reader discussion."


@register_setting(icon="site")
class SiteIdentity(SiteSetting):
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
        default=DEFAULT_SITE_DESCRIPTION,
        help_text="One or two sentences about the site: the front page's description for search "
        "engines and link previews, and the feeds' description.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header instead of the site name (the SVG logo wins when both are set), "
        "and in the feeds and structured data.",
    )
    logo_svg = models.FileField(
        "SVG logo",
        upload_to="brand/",
        blank=True,
        validators=[FileExtensionValidator(["svg"]), validate_svg_upload],
        help_text="A vector logo for the header, sharp at any size. Scripts, links to other files and "
        "anything else an image does not need are removed from it when it is uploaded.",
    )
    # The cleaned SVG's size in CSS pixels, for the <img> that shows it (core.svg).
    logo_svg_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_svg_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    accent_colour = models.CharField(
        "accent colour",
        max_length=7,
        blank=True,
        validators=[validate_accent_colour],
        help_text="Links and highlights, as #rrggbb (for example #a3121b); the site's red when empty. "
        "It must reach a 4.5:1 contrast on the page's background; dark mode gets a lighter shade of it.",
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
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("logo_svg"), FieldPanel("default_share_image")], heading="Images"
        ),
        FieldPanel("accent_colour"),
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

    def save(self, *args, **kwargs) -> None:
        # A new SVG is stored cleaned, whatever path it came by (core.svg); a refused
        # one raises SVGRefused here, which a form has already turned into an error.
        if self.logo_svg and not self.logo_svg._committed:
            self.logo_svg, self.logo_svg_width, self.logo_svg_height = clean_svg_file(self.logo_svg)
        elif not self.logo_svg:
            self.logo_svg_width = self.logo_svg_height = None
        if self.accent_colour:
            self.accent_colour = self.accent_colour.strip().lower()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "logo_svg" in update_fields:
            # Its size goes with it (update_or_create saves only the fields it was given).
            kwargs["update_fields"] = {*update_fields, "logo_svg_width", "logo_svg_height"}
        super().save(*args, **kwargs)

    def social_urls(self) -> list[str]:
        """The social account addresses, one per non-empty line; anything but http(s) is left out."""
        return [
            line.strip()
            for line in self.social_links.splitlines()
            if line.strip().startswith(("https://", "http://"))
        ]
