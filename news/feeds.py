"""RSS 2.0 and Atom feeds of the newest articles, for the site and for each section."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from wagtail.models import Page, Site

from .models import CategoryIndexPage, NewsArticlePage, byline_text, site_name

FEED_LENGTH = 20


class ArticleFeed(Feed):
    """The newest articles below a page: the site's home page or a section.

    Links are the pages' canonical URLs (the Wagtail site's hostname), so a
    reader following an item lands where search engines do.
    """

    feed_type = Rss201rev2Feed
    feed_path = "feed/"

    def __call__(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, category: CategoryIndexPage | None = None) -> Page:
        if category is not None:
            return category
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site is configured for this host.")
        return site.root_page

    def title(self, obj: Page) -> str:
        name = site_name(self.request)
        return name if obj.depth <= 2 else f"{obj.title} | {name}"

    def link(self, obj: Page) -> str:
        return obj.get_full_url(self.request) or self.request.build_absolute_uri("/")

    def feed_url(self, obj: Page) -> str:
        return f"{self.link(obj)}{self.feed_path}"

    def description(self, obj: Page) -> str:
        specific = obj.specific
        describe = getattr(specific, "get_meta_description", None)
        return (describe() if describe else "") or f"The latest articles from {self.title(obj)}."

    def items(self, obj: Page) -> list[NewsArticlePage]:
        return list(
            NewsArticlePage.objects.descendant_of(obj)
            .listed()
            .prefetch_related("article_authors__author")[:FEED_LENGTH]
        )

    def item_title(self, item: NewsArticlePage) -> str:
        return item.title

    def item_description(self, item: NewsArticlePage) -> str:
        return item.get_meta_description()

    def item_link(self, item: NewsArticlePage) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: NewsArticlePage) -> str:
        return item.get_full_url(self.request)

    def item_author_name(self, item: NewsArticlePage) -> str | None:
        return byline_text(item.get_authors()) or None

    def item_pubdate(self, item: NewsArticlePage):
        return item.date

    def item_updateddate(self, item: NewsArticlePage):
        return item.last_published_at or item.date


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    feed_path = "feed/atom/"
    subtitle = ArticleFeed.description
