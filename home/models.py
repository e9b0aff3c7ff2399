"""The site's home page: the front page of the newsroom."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.images import attach_renditions, card_renditions
from core.jsonld import website_json_ld
from core.listings import attach_parents
from core.models import BasePage, UrlPathRoutingMixin
from core.sites import site_description, site_name
from discussion.models import ReaderCommentsMode
from discussion.threads import most_discussed
from news.models import CategoryIndexPage, StoryPage
from news.related import NEWEST_FIRST

LATEST_PER_CATEGORY = 4
MOST_DISCUSSED = 5
# The front page ranks the newest stories this many deep to fill its sections.
FRONT_PAGE_WINDOW = 200


class HomePage(UrlPathRoutingMixin, BasePage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    lead_story = models.ForeignKey(
        "news.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor's pick for the top of the front page; the newest article when empty.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("lead_story")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.CategoryIndexPage", "pages.ContentPage"]
    max_count = 1

    def get_lead_story(self) -> StoryPage | None:
        """The editor's pick while it is published and public, else the newest story."""
        articles = StoryPage.objects.descendant_of(self).listed()
        if self.lead_story_id:
            pick = articles.filter(pk=self.lead_story_id).first()
            if pick is not None:
                return pick
        return articles.first()

    def get_sections(
        self, per_section: int = LATEST_PER_CATEGORY, exclude_ids: Iterable[int] = ()
    ) -> list[CategoryIndexPage]:
        """Top-level sections, each with `latest`: its newest articles (sub-sections included),
        leaving out `exclude_ids` (the lead story, already at the top of the page).

        One query for the sections, one for the ids of the newest stories and
        one for the stories shown, however many sections or stories there are.
        """
        sections = list(CategoryIndexPage.sections_below(self))
        if not sections:
            return []
        stories = StoryPage.objects.descendant_of(self).listed().exclude(pk__in=list(exclude_ids))
        # The newest stories, ids and paths only, fill the sections: the cost
        # stays flat as the archive grows. A section without enough of them is
        # looked up on its own, only when older stories exist at all.
        newest = list(stories.order_by(*NEWEST_FIRST).values_list("pk", "path")[:FRONT_PAGE_WINDOW])
        section_path_length = (self.depth + 1) * Page.steplen
        ids_by_section: dict[str, list[int]] = {section.path: [] for section in sections}
        for pk, path in newest:
            ids = ids_by_section.get(path[:section_path_length])
            if ids is not None and len(ids) < per_section:
                ids.append(pk)
        if len(newest) == FRONT_PAGE_WINDOW:
            for section in sections:
                ids = ids_by_section[section.path]
                if len(ids) < per_section:
                    ids[:] = stories.descendant_of(section).values_list("pk", flat=True)[:per_section]
        loaded = {
            story.pk: story
            for story in stories.filter(pk__in=[pk for ids in ids_by_section.values() for pk in ids])
        }
        for section in sections:
            section.latest = [loaded[pk] for pk in ids_by_section[section.path] if pk in loaded]
        return sections

    def get_most_discussed(self, limit: int = MOST_DISCUSSED) -> list[StoryPage]:
        """Published articles with the most public reader comments, in two queries."""
        candidates = (
            StoryPage.objects.descendant_of(self).listed().exclude(reader_comments=ReaderCommentsMode.HIDDEN)
        )
        return most_discussed(candidates, limit)

    def update_page_meta(self, meta, request: HttpRequest) -> None:
        # The front page stands for the whole site: its name and description, not "Home".
        meta.title = self.seo_title or site_name(request)
        meta.description = meta.description or site_description(request)

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        """The site itself, with the search box search engines may offer under its name."""
        search_url = request.build_absolute_uri(reverse("search")) if request is not None else None
        return website_json_ld(site_name(request), self.get_full_url(request) or "", search_url)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["lead_story"] = lead = self.get_lead_story()
        # Sections with nothing new beyond the lead story are left off the front page.
        sections = self.get_sections(exclude_ids=[lead.pk] if lead else [])
        context["sections"] = sections = [section for section in sections if section.latest]
        cards = ([lead] if lead else []) + [article for section in sections for article in section.latest]
        attach_parents(cards)
        # The lead card shows the wide crop, the others thumbnails; the page's
        # own sharing image comes in the same query.
        attach_renditions(
            [
                *card_renditions(cards[:1] if lead else [], "card_wide"),
                *card_renditions(cards[1:] if lead else cards, "card"),
                *self.get_image_renditions(),
            ]
        )
        context["most_discussed"] = self.get_most_discussed()
        return context
