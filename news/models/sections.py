from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, get_page_models
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.jsonld import collection_page_json_ld
from core.listings import not_expired, paginate_cards
from core.models import BasePage
from core.privacy import public
from core.sites import site_name

from ..blocks import RICH_TEXT_FEATURES
from ..feeds import FeedRoutesMixin
from .stories import StoryPage, StoryQuerySet

# A section's first page: its newest story large, the next ones in a grid of
# pictures, the rest in a compact list of headlines.
SECTION_GRID = 6


def section_pictures(page_number: int, position: int) -> tuple[str, ...]:
    """The renditions of the card at `position` of a section's page `page_number`."""
    if page_number > 1:
        return ("card",)
    if position == 0:
        return ("card_wide",)
    return ("card",) if position <= SECTION_GRID else ()


class CategoryIndexPage(FeedRoutesMixin, BasePage):
    """A section of the site, such as Health; sections may nest (Health › Oncology).

    Sections take sub-sections and every story type (see `clean_subpage_models`).
    """

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage", "news.CategoryIndexPage"]
    show_in_menus_default = True

    class Meta:
        verbose_name = "category"
        verbose_name_plural = "categories"

    @classmethod
    def clean_subpage_models(cls) -> list[type]:
        """Sub-sections and every creatable story type: a new story type needs no edit here."""
        if cls._clean_subpage_models is None:
            stories = [
                model for model in get_page_models() if issubclass(model, StoryPage) and model.is_creatable
            ]
            cls._clean_subpage_models = [cls, *stories]
        return cls._clean_subpage_models

    @classmethod
    def as_pages(cls) -> PageQuerySet:
        """Every section as a plain page, found from the sections' own table.

        A few rows: a filter on the page type or the tree alone let SQLite read
        every page, stories included, when the tables had no statistics.
        """
        return Page.objects.filter(pk__in=cls.objects.values("pk"))

    @classmethod
    def sections_below(cls, page: Page) -> PageQuerySet:
        """Published, public sections directly below `page`, in the editors' order, as plain pages."""
        return public(cls.as_pages().child_of(page).live().filter(not_expired()))

    def get_meta_description(self) -> str:
        return super().get_meta_description() or Truncator(strip_tags(self.intro)).words(40)

    def describe(self, request: HttpRequest | None) -> str:
        """The section's description, or a plain one naming the section and the site."""
        return self.get_meta_description() or f"The latest {self.title} stories from {site_name(request)}."

    def update_page_meta(self, meta, request: HttpRequest) -> None:
        meta.description = meta.description or self.describe(request)

    def get_stories(self) -> StoryQuerySet:
        """Published stories of this section and its sub-sections, newest first."""
        return StoryPage.objects.descendant_of(self).listed()

    def get_feed_stories(self) -> models.QuerySet:
        return self.get_stories()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = articles = paginate_cards(
            request, self.get_stories().with_bylines(), self.get_image_renditions(), pictures=section_pictures
        )
        if articles.number == 1 and articles.object_list:
            stories = articles.object_list
            context["lead_story"] = stories[0]
            context["grid_stories"] = stories[1 : SECTION_GRID + 1]
            context["more_stories"] = stories[SECTION_GRID + 1 :]
        context["subcategories"] = CategoryIndexPage.sections_below(self)
        return context

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        return collection_page_json_ld(
            name=self.seo_title or self.title,
            url=self.get_full_url(request),
            description=self.describe(request),
            site=site_name(request),
        )
