"""Which stories fill the front page's packages, found for all packages at once.

A package shows its editor's picks first, skipping any that is no longer
published, public and unexpired, then fills its remaining places with the
newest stories of its scope (the site, a section, the open live blogs, opinion
pieces) or a ranking. Packages are filled in page order and a story shown by
one is not shown again further down.

The layout is read from the StreamField's raw data, not its blocks: turning
blocks into values loads each chosen page and image with its own query. Here
the ids are collected from every package and each kind of look-up runs once,
so the front page costs the same number of queries with 3 packages or 8,
with 10 stories or 10,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.http import HttpRequest

from wagtail.models import Page

from core import fragments
from core.images import Wanted, card_renditions
from core.listings import not_expired
from core.privacy import public
from news.models import CategoryIndexPage, LiveBlogPage, LiveBlogStatus, StoryPage, StoryTag
from news.related import NEWEST_FIRST

from .rankings import RANKINGS

# The newest stories, ids and paths only, that auto-filled packages are filled
# from; a section with too few among them is looked up on its own.
NEWEST_WINDOW = 200
# Candidates looked up for live blogs and opinion pieces, beyond the picks.
EXTRAS_WINDOW = 100

# The stories each package shows, by the package's index: (story id, the
# editor's pick for it, or {} for a story the package filled itself with).
Chosen = dict[int, list[tuple[int, dict[str, Any]]]]


@dataclass
class Package:
    """One block of the layout with the stories it shows."""

    kind: str
    value: dict[str, Any]
    index: int
    picks: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    # The chosen section's or the promo's linked page's id, and that page once loaded.
    page_id: int | None = None
    section: Page | None = None
    link_page: Page | None = None
    # The stories shown, each dressed with the editor's headline and picture
    # for this page (set on the loaded story: a story is shown once a page).
    cards: list[StoryPage] = field(default_factory=list)

    @property
    def template(self) -> str:
        from .blocks import FrontPageBlock

        return FrontPageBlock.base_blocks[self.kind].meta.template

    @property
    def heading(self) -> str:
        if self.kind == "section":
            return self.section.title if self.section is not None else ""
        if self.kind == "ranked_list":
            ranking = RANKINGS.get(self.value.get("ranking") or "")
            return self.value.get("heading") or (ranking.label if ranking else "")
        return self.value.get("heading") or ""

    @property
    def visible(self) -> bool:
        return self.kind in STORYLESS_KINDS or bool(self.cards)

    @property
    def lead(self) -> StoryPage | None:
        return self.cards[0] if self.cards else None

    @property
    def secondary(self) -> list[StoryPage]:
        return self.cards[1:]

    @property
    def link_url(self) -> str:
        """The promo's link: its page's address, else the URL typed."""
        if self.link_page is not None:
            return self.link_page.url or ""
        return self.value.get("link_url") or ""


def _as_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _list_items(raw: Any) -> Iterator[dict[str, Any]]:
    """A ListBlock's raw items, in either of Wagtail's storage formats."""
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            item = item["value"]
        if isinstance(item, dict):
            yield item


def _clamp(value: Any, low: int, high: int, default: int) -> int:
    number = _as_int(value)
    return default if number is None else max(low, min(high, number))


COUNT_LIMITS = {
    "top_stories": (1, 5, 4),
    "live_now": (1, 6, 3),
    "section": (3, 6, 4),
    "opinion": (3, 6, 4),
    "ranked_list": (3, 10, 5),
    "promo": (0, 0, 0),
    "newsletter_signup": (0, 0, 0),
}
# Packages that show no stories: always shown, never filled.
STORYLESS_KINDS = ("promo", "newsletter_signup")


def read_layout(raw_layout: Iterable[dict[str, Any]]) -> list[Package]:
    """The packages of a layout's raw data, each with its picks (ids) and size."""
    packages = []
    for index, block in enumerate(raw_layout, start=1):
        kind = block.get("type")
        if kind not in COUNT_LIMITS or not isinstance(block.get("value"), dict):
            continue
        value = dict(block["value"])
        picks = []
        for pick in _list_items(value.get("stories")):
            story_id = _as_int(pick.get("story"))
            if story_id is not None:
                headline, image = pick.get("headline") or "", _as_int(pick.get("image"))
                picks.append({"story": story_id, "headline": headline, "image": image})
        count = _clamp(value.get("count"), *COUNT_LIMITS[kind])
        packages.append(Package(kind=kind, value=value, index=index, picks=picks, count=count))
    return packages


class FrontPagePlanner:
    """Fills the packages of one front page (see the module's docstring)."""

    def __init__(self, home: Page, packages: list[Package]):
        self.home = home
        self.packages = packages
        self.stories = StoryPage.objects.descendant_of(home).live().public().filter(not_expired())

    def plan(self, request: HttpRequest | None = None) -> list[Package]:
        """The packages with their cards.

        Which stories each package shows (ids) is kept in the fragment cache
        (see `_choose_kept`); the cards themselves are loaded afresh each time.
        """
        self._load_cards(self._choose_kept(request))
        return self.packages

    def _choose_kept(self, request: HttpRequest | None) -> Chosen:
        """`_choose`, kept under the site's page version, this page and its layout.

        Every publish, unpublish, move or deletion of a page, and every change
        of a privacy restriction, bumps the page version: the stories a package
        would fill itself with, its sections and the picks' visibility can only
        change then. A list ranked by comments also depends on the site's
        comments version, bumped by every comment saved, deleted or moderated.
        A story that expires in between drops out when the cards are loaded.
        Previews are never kept.
        """
        if request is not None and getattr(request, "is_preview", False):
            return self._choose()
        depends_on = [fragments.PAGES]
        if any(package.kind == "ranked_list" for package in self.packages):
            depends_on.append(fragments.COMMENTS)
        layout = [(package.kind, package.value) for package in self.packages]
        key = fragments.versioned_key(request, "front-page", depends_on, self.home.pk, self.home.path, layout)

        def choose() -> tuple[list[Package], Chosen]:
            chosen = self._choose()  # attaches the packages' sections: kept with them
            return self.packages, chosen

        self.packages, chosen = fragments.kept(
            key, choose, size=lambda kept: sum(len(picked) for picked in kept[1].values())
        )
        return chosen

    def _choose(self) -> Chosen:
        """The stories of each package (by index): ids with the editor's pick, if any."""
        self._attach_sections()
        newest = self._newest()
        extras = self._extras()
        rankings = self._rankings()
        short_sections = self._short_sections(newest)
        shown: set[int] = set()
        chosen: Chosen = {}
        for package in self.packages:
            chosen[package.index] = picked = []
            if package.kind in STORYLESS_KINDS or (package.kind == "section" and package.section is None):
                continue
            include_shown = package.kind == "ranked_list" and package.value.get("include_shown")
            for pick in package.picks:
                if len(picked) < package.count and pick["story"] in extras["public_picks"]:
                    if pick["story"] not in shown and all(pick["story"] != pk for pk, _ in picked):
                        picked.append((pick["story"], pick))
            for pk in self._candidates(package, newest, extras, rankings, short_sections):
                if len(picked) >= package.count:
                    break
                if (include_shown or pk not in shown) and all(pk != other for other, _ in picked):
                    picked.append((pk, {}))
            shown.update(pk for pk, _ in picked)
        return chosen

    # Look-ups, each once for the whole page.

    def _attach_sections(self) -> None:
        """The packages' sections and the promos' linked pages, published and public, in one
        query; a section package without a section becomes one package per top-level section
        (one more query)."""
        wanted: set[int] = set()
        for package in self.packages:
            if package.kind in ("section", "promo"):
                page_id = _as_int(package.value.get("section" if package.kind == "section" else "link_page"))
                if page_id is not None:
                    package.page_id = page_id
                    wanted.add(page_id)
        found: dict[int, Page] = {}
        if wanted:
            pages = Page.objects.filter(pk__in=wanted).live().filter(not_expired())
            found = {page.pk: page for page in public(pages)}
        every_section = any(
            package.kind == "section" and package.page_id is None for package in self.packages
        )
        top_sections = list(CategoryIndexPage.sections_below(self.home)) if every_section else []
        packages = []
        for package in self.packages:
            if package.kind == "section" and package.page_id is None:
                packages.extend(replace(package, section=section, picks=[]) for section in top_sections)
                continue
            page = found.get(package.page_id) if package.page_id is not None else None
            if package.kind == "section":
                # Only a section of this site is a package's scope.
                if (
                    page is not None
                    and issubclass(page.specific_class or Page, CategoryIndexPage)
                    and page.path.startswith(self.home.path)
                ):
                    package.section = page
            elif package.kind == "promo":
                package.link_page = page
            packages.append(package)
        for index, package in enumerate(packages, start=1):
            package.index = index
        self.packages = packages

    def _newest(self) -> list[tuple[int, str]]:
        if not any(package.kind in ("top_stories", "section") for package in self.packages):
            return []
        return list(self.stories.order_by(*NEWEST_FIRST).values_list("pk", "path")[:NEWEST_WINDOW])

    def _extras(self) -> dict[str, Any]:
        """Public picks, open live blogs and opinion pieces, in one query, newest first."""
        pick_ids = {pick["story"] for package in self.packages for pick in package.picks}
        conditions = models.Q(pk__in=pick_ids) if pick_ids else models.Q(pk__in=[])
        live = any(package.kind == "live_now" for package in self.packages)
        opinion_conditions: dict[int, models.Q] = {}
        open_blogs = LiveBlogPage.objects.filter(status=LiveBlogStatus.LIVE).values("pk")
        if live:
            conditions |= models.Q(pk__in=open_blogs)
        for package in self.packages:
            if package.kind == "opinion":
                opinion_conditions[package.index] = condition = self._opinion_q(package.value)
                conditions |= condition
        found: dict[str, Any] = {"public_picks": set(), "live": [], "opinion": {}}
        if not pick_ids and not live and not opinion_conditions:
            return found
        annotations = {
            "is_pick": models.Case(models.When(pk__in=pick_ids, then=1), default=0),
            "is_live": models.Case(
                models.When(pk__in=open_blogs, then=1),
                default=0,
            )
            if live
            else models.Value(0),
        }
        for index, condition in opinion_conditions.items():
            annotations[f"opinion_{index}"] = models.Case(models.When(condition, then=1), default=0)
        rows = (
            self.stories.filter(conditions)
            .annotate(**annotations)
            .order_by("-is_pick", *NEWEST_FIRST)
            .values("pk", *annotations)[: len(pick_ids) + EXTRAS_WINDOW]
        )
        for row in rows:
            if row["is_pick"]:
                found["public_picks"].add(row["pk"])
            if row["is_live"]:
                found["live"].append(row["pk"])
            for index in opinion_conditions:
                if row[f"opinion_{index}"]:
                    found["opinion"].setdefault(index, []).append(row["pk"])
        return found

    @staticmethod
    def _opinion_q(value: dict[str, Any]) -> models.Q:
        condition = models.Q(pk__in=[])
        for kind in (value.get("kinds") or "").split(","):
            if kind.strip():
                condition |= models.Q(subheadline__iexact=kind.strip())
        tag = (value.get("tag") or "").strip()
        if tag:
            condition |= models.Q(
                pk__in=StoryTag.objects.filter(tag__name__iexact=tag).values("content_object_id")
            )
        return condition

    def _rankings(self) -> dict[str, list[int]]:
        slots = sum(package.count for package in self.packages)
        ranked: dict[str, list[int]] = {}
        for package in self.packages:
            name = package.value.get("ranking")
            if package.kind == "ranked_list" and name in RANKINGS and name not in ranked:
                # Enough to fill the list after leaving out every story shown above it.
                ranked[name] = RANKINGS[name].rank(self.stories, slots)
        return ranked

    def _short_sections(self, newest: list[tuple[int, str]]) -> dict[int, list[int]]:
        """Stories of sections the newest window holds too few of (only when the window is full)."""
        if len(newest) < NEWEST_WINDOW:
            return {}
        extra: dict[int, list[int]] = {}
        for package in self.packages:
            section = package.section
            if section is None or section.pk in extra:
                continue
            if sum(path.startswith(section.path) for _, path in newest) < package.count * 3:
                extra[section.pk] = list(
                    self.stories.descendant_of(section)
                    .order_by(*NEWEST_FIRST)
                    .values_list("pk", flat=True)[: package.count * 3]
                )
        return extra

    def _candidates(
        self,
        package: Package,
        newest: list[tuple[int, str]],
        extras: dict[str, Any],
        rankings: dict[str, list[int]],
        short_sections: dict[int, list[int]],
    ) -> Iterable[int]:
        if package.kind == "top_stories":
            return (pk for pk, _ in newest)
        if package.kind == "section":
            section = package.section
            in_window = [pk for pk, path in newest if path.startswith(section.path)]
            return dict.fromkeys(in_window + short_sections.get(section.pk, []))
        if package.kind == "live_now":
            return extras["live"]
        if package.kind == "opinion":
            return extras["opinion"].get(package.index, [])
        if package.kind == "ranked_list":
            return rankings.get(package.value.get("ranking"), [])
        return []

    def _load_cards(self, chosen: Chosen) -> None:
        """Every card's story with its badge, comment count and byline, in two queries."""
        ids = {pk for picked in chosen.values() for pk, _ in picked}
        if not ids:
            return
        loaded = {story.pk: story for story in StoryPage.objects.listed().with_bylines().filter(pk__in=ids)}
        for package in self.packages:
            package.cards = []
            for pk, pick in chosen[package.index]:
                story = loaded.get(pk)
                if story is None:
                    continue
                if pick.get("headline"):
                    story.listing_title = pick["headline"]
                if pick.get("image"):
                    # Kept aside until the picture is known to exist (see `card_pictures`).
                    story.front_page_image_id = pick["image"]
                package.cards.append(story)


def card_pictures(packages: list[Package]) -> list[Wanted]:
    """The renditions the packages' cards show: the wide crop for each lead, thumbnails for the rest.

    An editor's picture for this page stands in for the story's listing image;
    `keep_existing_pictures` undoes it if that image has since been deleted.
    """
    wanted: list[Wanted] = []
    for package in packages:
        if package.kind == "ranked_list":
            continue  # a list of headlines
        for position, story in enumerate(package.cards):
            override = getattr(story, "front_page_image_id", None)
            if override:
                story.original_listing_image_id = story.listing_image_id
                story.listing_image_id = override
            name = "card_wide" if package.kind == "top_stories" and position == 0 else "card"
            wanted.extend(card_renditions([story], name))
    return wanted


def keep_existing_pictures(packages: list[Package], images: dict[int, Any]) -> None:
    """A picture picked for this page that no longer exists gives way to the story's own."""
    for package in packages:
        for story in package.cards:
            if getattr(story, "front_page_image_id", None) and story.front_page_image_id not in images:
                story.listing_image_id = story.original_listing_image_id
