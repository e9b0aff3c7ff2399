"""RSS 2.0 and Atom feeds of the newest stories, for the site and for each section.

Nothing here knows the story models: the caller hands over the page the feed
is about and its stories, so the models can route feeds without an import cycle.
"""

from __future__ import annotations

import hashlib

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, Site

from core.brand import FEED_LOGO_SPEC, LogoFile, raster_logo, svg_logo
from core.models import SITE_ROOT_DEPTH, SiteIdentity
from core.sites import absolute_url, site_description, site_name

FEED_LENGTH = 20


class LogoRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the channel's <image>: the site's logo, a GIF, JPEG or PNG at most 144 pixels wide."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        logo: LogoFile | None = self.feed.get("logo")
        if logo is None:
            return
        handler.startElement("image", {})
        handler.addQuickElement("url", logo.url)
        # The spec wants the channel's own title and link here.
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.addQuickElement("width", str(logo.width))
        handler.addQuickElement("height", str(logo.height))
        handler.endElement("image")


class LogoAtomFeed(Atom1Feed):
    """Atom with the feed's <logo> (RFC 4287 §4.2.8): the site's logo."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        logo: LogoFile | None = self.feed.get("logo")
        if logo is not None:
            handler.addQuickElement("logo", logo.url)


class StoryFeed(Feed):
    """The newest stories below a page: the site's home page or a section.

    Links are the pages' canonical URLs (the Wagtail site's hostname), so a
    reader following an item lands where search engines do. A live blog is one
    item whose updated time moves with each published entry.
    """

    feed_type = LogoRssFeed
    route_name = "rss_feed"
    # RSS takes a GIF, JPEG or PNG only; Atom any image, the SVG logo too.
    logo_types = frozenset({"image/gif", "image/jpeg", "image/png"})
    # Below the page the feed is about: the home page (the site's feed) or a section.
    path = "feed/"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        self.last_modified = None
        response = super().__call__(request, *args, **kwargs)
        # Conditional GET: feed readers poll often, and most polls find nothing new.
        # The ETag also catches a story leaving the feed, which moves no date.
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        # HTTP dates have whole seconds.
        last_modified = int(self.last_modified.timestamp()) if self.last_modified is not None else None
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )

    def get_object(self, request: HttpRequest, scope: Page, stories: QuerySet) -> tuple[Page, QuerySet]:
        return scope, stories

    def feed_extra_kwargs(self, obj: tuple[Page, QuerySet]) -> dict:
        return {"logo": self.logo()}

    def logo(self) -> LogoFile | None:
        """The site's logo (Site identity's, else the publisher's), at an absolute address."""
        if Site.find_for_request(self.request) is None:
            return None
        identity = SiteIdentity.for_request(self.request)
        logo = raster_logo(identity.logo or identity.publisher_logo, FEED_LOGO_SPEC) or svg_logo(identity)
        if logo is None or logo.content_type not in self.logo_types:
            return None
        return LogoFile(absolute_url(self.request, logo.url), logo.width, logo.height, logo.content_type)

    def title(self, obj: tuple[Page, QuerySet]) -> str:
        scope, _ = obj
        name = site_name(self.request)
        return name if scope.depth <= SITE_ROOT_DEPTH else f"{scope.title} | {name}"

    def link(self, obj: tuple[Page, QuerySet]) -> str:
        scope, _ = obj
        return scope.get_full_url(self.request) or self.request.build_absolute_uri("/")

    def feed_url(self, obj: tuple[Page, QuerySet]) -> str:
        return f"{self.link(obj)}{self.path}"

    def description(self, obj: tuple[Page, QuerySet]) -> str:
        scope, _ = obj
        if scope.depth <= SITE_ROOT_DEPTH:
            described = site_description(self.request)
        else:
            describe = getattr(scope, "get_meta_description", None)
            described = describe() if describe else ""
        return described or f"The latest articles from {self.title(obj)}."

    def items(self, obj: tuple[Page, QuerySet]) -> list[Page]:
        _, stories = obj
        # Corrections and updates move an item's updated time.
        items = list(stories.prefetch_related("story_authors__author", "corrections")[:FEED_LENGTH])
        self.last_modified = max((item.updated for item in items), default=None)
        return items

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return item.get_meta_description()

    def item_link(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: Page) -> str:
        """A permanent id (RFC 4287 §4.2.6): a tag URI from the page id, unchanged when the slug moves."""
        site = Site.find_for_request(self.request)
        host = site.hostname if site is not None else self.request.get_host().split(":")[0]
        first_published = item.first_published_at or item.date
        return f"tag:{host},{first_published:%Y-%m-%d}:page-{item.pk}"

    def item_guid_is_permalink(self, item: Page) -> bool:
        return False

    def item_author_name(self, item: Page) -> str | None:
        return item.byline_text() or None

    def item_pubdate(self, item: Page):
        return item.date

    def item_updateddate(self, item: Page):
        return item.updated


class StoryAtomFeed(StoryFeed):
    feed_type = LogoAtomFeed
    route_name = "atom_feed"
    logo_types = StoryFeed.logo_types | {"image/svg+xml", "image/webp"}
    path = "feed/atom/"
    subtitle = StoryFeed.description

    def author_name(self, obj: tuple[Page, QuerySet]) -> str:
        """The feed's author, which entries without a byline inherit (RFC 4287 §4.1.1 wants one)."""
        return site_name(self.request)


class FeedRoutesMixin(RoutablePageMixin):
    """`feed/` and `feed/atom/` below a page, listing what `get_feed_stories()` returns."""

    def get_feed_stories(self) -> QuerySet:
        raise NotImplementedError

    @path(StoryFeed.path, name=StoryFeed.route_name)
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        return StoryFeed()(request, scope=self, stories=self.get_feed_stories())

    @path(StoryAtomFeed.path, name=StoryAtomFeed.route_name)
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        return StoryAtomFeed()(request, scope=self, stories=self.get_feed_stories())

    @classmethod
    def feed_links_for(cls, page: Page, request: HttpRequest) -> list[tuple[str, str, str]]:
        """(title, MIME type, absolute URL) of the feeds of `page`, which may be a plain `Page`.

        Listings load parents as plain pages; the routes are the class's, so no
        query is needed to find them.
        """
        url = page.get_url(request) or ""
        name = f"{page.title} | {site_name(request)}"
        return [
            (
                f"{name} ({label})",
                mime_type,
                request.build_absolute_uri(url + cls.get_resolver().reverse(feed.route_name)),
            )
            for label, mime_type, feed in (
                ("RSS", "application/rss+xml", StoryFeed),
                ("Atom", "application/atom+xml", StoryAtomFeed),
            )
        ]

    def get_feed_links(self, request: HttpRequest) -> list[tuple[str, str, str]]:
        return self.feed_links_for(self, request)
