"""The site's home page: the front page of the newsroom."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField

from core.images import attach_renditions
from core.jsonld import website_json_ld
from core.listings import attach_parents, attach_sections
from core.models import BasePage, UrlPathRoutingMixin
from core.sites import site_description, site_name
from news.models import StoryPage

from .blocks import FrontPageBlock
from .packages import FrontPagePlanner, Package, card_pictures, keep_existing_pictures, read_layout

# An unarranged front page: stories per section, stories in the most discussed list.
LATEST_PER_CATEGORY = 4
MOST_DISCUSSED = 5


def default_layout(lead_story_id: int | None = None) -> list[dict[str, Any]]:
    """The layout of a front page nobody has arranged: the lead story, each top-level
    section's newest stories, then the most discussed (the page as it always was).

    Raw StreamField data, as the layout's migration stores it.
    """
    lead = [{"story": lead_story_id, "headline": "", "image": None}]
    return [
        {"type": "top_stories", "value": {"stories": lead if lead_story_id else [], "count": 1}},
        {"type": "section", "value": {"section": None, "stories": [], "count": LATEST_PER_CATEGORY}},
        {
            "type": "ranked_list",
            "value": {
                "ranking": "most_discussed",
                "heading": "",
                "count": MOST_DISCUSSED,
                "include_shown": True,
            },
        },
    ]


class HomePage(UrlPathRoutingMixin, BasePage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    layout = StreamField(
        FrontPageBlock(),
        blank=True,
        help_text="The packages of the front page, top to bottom. A package without picks fills "
        "itself with the newest stories of its kind; no story is shown twice. Empty: the lead "
        "story, then each section's newest stories, then the most discussed.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("layout")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.CategoryIndexPage", "pages.ContentPage"]
    max_count = 1

    def get_packages(self, request: HttpRequest | None = None) -> list[Package]:
        """The layout's packages, each filled with the stories it shows (home.packages)."""
        raw = list(self.layout.raw_data) or default_layout()
        return FrontPagePlanner(self, read_layout(raw)).plan(request)

    def picked_lead_story(self) -> StoryPage | None:
        """The story an editor picked to lead the first "Top stories" package, if any."""
        for block in self.layout:
            if block.block_type == "top_stories":
                picks = block.value["stories"]
                return picks[0]["story"].specific if picks and picks[0]["story"] else None
        return None

    def make_lead_story(self, story: StoryPage) -> bool:
        """Pick `story` to lead the first "Top stories" package (one is added at the top
        when the layout has none, the rest of the page as before); False when it already leads."""
        raw = list(self.layout.raw_data) or default_layout()
        top = next((block for block in raw if block.get("type") == "top_stories"), None)
        if top is None:
            top = {"type": "top_stories", "value": {"stories": [], "count": 1}}
            raw.insert(0, top)
        picks = list(top["value"].get("stories") or [])
        first = picks[0].get("value", picks[0]) if picks else {}
        if first.get("story") == story.pk:
            return False
        top["value"]["stories"] = [
            {"story": story.pk, "headline": "", "image": None},
            *(item for item in picks if item.get("value", item).get("story") != story.pk),
        ][:5]
        self.layout = raw
        return True

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
        packages = [package for package in self.get_packages(request) if package.visible]
        context["packages"] = packages
        # The layout's own sign-up box replaces the one at the page's foot.
        context["newsletter_in_layout"] = any(package.kind == "newsletter_signup" for package in packages)
        cards = [story for package in packages for story in package.cards]
        # Every card's section, and the site's navigation, in one query.
        attach_parents(cards, request=request)
        attach_sections(cards, loaded=True)
        # Every card's picture and the page's own sharing image in one query.
        images = attach_renditions([*card_pictures(packages), *self.get_image_renditions()])
        keep_existing_pictures(packages, images)
        top = [package for package in packages if package.kind == "top_stories"]
        context["lead_story"] = top[0].lead if top else None
        return context
