"""The base every story type inherits, and what a story links to: byline, tags, related picks.

`StoryPage` is concrete but not creatable: its table holds what every story
has, so a listing of all stories of every type is one query on one table,
ordered and paginated by the database, whatever the number of story types.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework import serializers

from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.blocks import StreamValue
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import privacy
from core.api_fields import SiteImageRenditionField
from core.image_credits import attach_credits, credit_text
from core.images import (
    SHARE_RENDITIONS,
    Wanted,
    attach_card_images,
    images_at_hand,
    rendition_spec,
    with_credits,
)
from core.listings import attach_parents, attach_sections, not_expired
from core.models import SITE_ROOT_DEPTH, BasePage
from discussion.models import ReaderCommentsMixin
from discussion.threads import comment_count_annotation

from .. import jsonld, related
from ..blocks import MISSING_ALT_TEXT, NOT_A_DOI, image_ids_in, is_doi
from ..feeds import FeedRoutesMixin
from .authors import Author
from .corrections import StoryCorrection
from .settings import DiscoverySettings

# House rules a story must meet to be published (a draft may break them).
HEADLINE_MAX_LENGTH = 110
MISSING_STANDFIRST = (
    "Write a standfirst, the one- or two-sentence summary under the headline: needed to publish."
)
MISSING_LEAD_IMAGE_ALT_TEXT = "Describe the lead image for readers who cannot see it: needed to publish."


def headline_too_long(length: int) -> str:
    return f"Headlines are at most {HEADLINE_MAX_LENGTH} characters to publish; this one has {length}."


class StoryQuerySet(PageQuerySet):
    def private_q(self) -> models.Q:
        # The view restrictions, looked up once per request however many listings use them.
        return privacy.private_q()

    def listed(self) -> StoryQuerySet:
        """Live, public, unexpired stories ready for cards: newest first, no body loaded.

        Each carries `reader_comment_count` and `card_badge`, found within the same query.
        """
        return (
            self.with_card_badges()
            .live()
            .public()
            .filter(not_expired())
            .defer_streamfields()
            .select_related("lead_image", "listing_image")
            .annotate(reader_comment_count=comment_count_annotation())
            .order_by(models.F("display_date").desc(nulls_last=True), "-pk")
        )

    def with_bylines(self) -> StoryQuerySet:
        """Each story with its byline's authors, in one more query for all of them."""
        return self.prefetch_related(
            models.Prefetch(
                "story_authors", queryset=StoryAuthor.objects.select_related("author").order_by("sort_order")
            )
        )

    def with_card_badges(self) -> StoryQuerySet:
        """Each story with `card_badge`: the word its card shows above the headline, or "".

        Story types declare theirs (`StoryPage.card_badges`), so a card listing
        stories of every type learns each one's in its own query.
        """
        whens = [
            models.When(condition, then=models.Value(word))
            for model in apps.get_models()
            if issubclass(model, self.model) and "card_badges" in vars(model)
            for condition, word in model.card_badges()
        ]
        badge = models.Case(*whens, default=models.Value(""), output_field=models.CharField())
        return self.annotate(card_badge=badge if whens else models.Value(""))


class StoryPageManager(PageManager.from_queryset(StoryQuerySet)):
    pass


class StoryTag(TaggedItemBase):
    content_object = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="tagged_items")


class StoryAuthor(Orderable):
    """One name in a story's byline; the order is the byline's order."""

    page = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="story_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="story_links")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "author"], name="unique_author_per_article")]


class RelatedPage(Orderable):
    """An editor's pick for the 'You may also like' panel."""

    page = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="page"
    )

    panels = [FieldPanel("related_page")]


class StoryPageForm(WagtailAdminPageForm):
    """The story editor: a draft may be incomplete; publishing or submitting for review
    needs the house rules met (`StoryPage.publication_problems`), like Wagtail's required fields.

    One more rule only warns: publishing a picture without a credit asks the
    editor to add one or to tick "Publish without picture credits" and publish again.
    """

    publish_without_credit = forms.BooleanField(
        required=False,
        label="Publish without picture credits",
        help_text="Tick to publish although a picture has no credit.",
    )

    def _post_clean(self) -> None:
        super()._post_clean()
        # Wagtail defers validation only when saving a draft.
        if self.is_deferred_validation:
            return
        for field, message in self.instance.publication_problems():
            if field not in self.fields:
                self.add_error(None, message)
            elif field not in self.errors:
                # A block-level error already points at the exact block.
                self.add_error(field, message)
        if self.publishes() and not self.cleaned_data.get("publish_without_credit"):
            uncredited = self.instance.pictures_without_credit()
            if uncredited:
                self.add_error("publish_without_credit", uncredited_pictures_warning(uncredited))

    def publishes(self) -> bool:
        """True when this submission publishes: Publish (with or without an alert, now or
        scheduled), or approving the review from the editor."""
        data = self.data
        return bool(data.get("action-publish")) or (
            bool(data.get("action-workflow-action")) and data.get("workflow-action-name") == "approve"
        )


def uncredited_pictures_warning(pictures: list[str]) -> str:
    named = pictures[0] if len(pictures) == 1 else f"{', '.join(pictures[:-1])} and {pictures[-1]}"
    return (
        f"No credit for {named}. Add the credit here or on the image in the image library, "
        "or tick “Publish without picture credits” and publish again."
    )


class PublishAnywayPanel(FieldPanel):
    """The "publish anyway" checkbox, shown once the editor has been warned (or has ticked it)."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            field = self.bound_field
            return super().is_shown() and field is not None and bool(field.errors or field.value())


def stream_problems(field: str, stream) -> list[tuple[str, str]]:
    """House rules inside a block body: alt text on images, DOIs that are DOIs."""
    problems = []
    for block in stream or []:
        value = block.value
        if block.block_type == "image" and value.get("image") and not value.get("alt_text"):
            problems.append((field, MISSING_ALT_TEXT))
        elif block.block_type == "citation" and value.get("doi") and not is_doi(value["doi"]):
            problems.append((field, NOT_A_DOI))
    return problems


class StoryPage(ReaderCommentsMixin, BasePage):
    """What every story has: headline (the title), standfirst, byline, date, lead image, tags.

    Story types (news articles, live blogs) inherit it and add their own body.
    """

    subheadline = models.CharField(max_length=255, blank=True)
    standfirst = models.TextField(
        blank=True, help_text="The one- or two-sentence summary under the headline."
    )
    display_date = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Date shown to readers; the first publication date when empty.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt_text = models.CharField(
        max_length=255, blank=True, help_text="Describe the lead image for readers who cannot see it."
    )
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=255, blank=True)
    tags = ClusterTaggableManager(through=StoryTag, blank=True)
    latest_note_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The date of the newest correction or update."
    )

    # Panels a story type composes into its own `content_panels`, around its body.
    headline_panels = [
        TitleFieldPanel(
            "title",
            heading="Headline",
            help_text=f"At most {HEADLINE_MAX_LENGTH} characters; shown on the story, cards and feeds.",
        )
    ]
    header_panels = [
        InlinePanel("story_authors", heading="Byline", label="Author"),
        FieldPanel("subheadline"),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt_text"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
    ]
    # Shown at the end of the body only when publishing warned of a picture without a credit.
    publishing_check_panels = [PublishAnywayPanel("publish_without_credit")]
    discovery_panels = [
        FieldPanel("tags"),
        InlinePanel(
            "related_links",
            heading="Related",
            label="Related page",
            help_text="Shown first under 'You may also like'; the remaining slots fill automatically.",
        ),
    ]
    corrections_panels = [
        InlinePanel(
            "corrections",
            heading="Corrections and updates",
            label="Note",
            help_text="Dated notes shown on the story, newest first. A correction says what was wrong "
            "and is listed on the corrections page; an update adds new facts.",
        )
    ]
    content_panels = BasePage.content_panels + header_panels + discovery_panels
    settings_panels = (
        [
            FieldPanel(
                "display_date",
                help_text="The date readers see; the first publication date when empty. To publish "
                "later or take the story down at a set time, choose “Schedule…” in the menu beside "
                "Publish, or “Set schedule” in the Status panel.",
            )
        ]
        + BasePage.settings_panels
        + ReaderCommentsMixin.reader_comments_panels
    )
    base_form_class = StoryPageForm

    @classmethod
    def story_edit_handler(cls, body_panels: list) -> TabbedInterface:
        """The story editor's tabs, with a story type's own body in the first."""
        return TabbedInterface(
            [
                ObjectList(
                    cls.headline_panels + cls.header_panels + body_panels + cls.publishing_check_panels,
                    heading="Content",
                ),
                ObjectList(cls.discovery_panels, heading="Tags and related"),
                ObjectList(cls.corrections_panels, heading="Corrections"),
                ObjectList(cls.promote_panels, heading="Promote"),
                ObjectList(cls.settings_panels, heading="Settings"),
            ],
            base_form_class=cls.base_form_class,
        )

    search_fields = BasePage.search_fields + [
        index.SearchField("subheadline"),
        index.SearchField("standfirst"),
        index.FilterField("display_date"),
    ]

    api_fields = [
        APIField("subheadline"),
        APIField("standfirst"),
        APIField("display_date"),
        APIField("authors"),
        APIField("tags", serializer=serializers.ListField(source="tag_names", read_only=True)),
        APIField("lead_image"),
        APIField("lead_image_alt_text"),
        APIField("lead_image_caption"),
        APIField("lead_image_credit"),
        APIField(
            "social_image",
            serializer=SiteImageRenditionField(rendition_spec("share"), source="get_social_image"),
        ),
    ]
    # Loaded with each page of API results, so the byline and tags cost no query per story.
    api_prefetch_related = ("story_authors__author", "tagged_items__tag")

    parent_page_types = ["news.CategoryIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False

    objects = StoryPageManager()

    # The schema.org type of the story; story types refine it.
    json_ld_type = "NewsArticle"

    # Shared links show the lead image when no other is set, and structured
    # data shows the same image in three more crops.
    social_image_fields = ("social_image", "listing_image", "lead_image")
    social_image_renditions = SHARE_RENDITIONS

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"

    def save(self, *args, **kwargs):
        # The display date defaults to the first publication, once there is one.
        if self.display_date is None and self.first_published_at is not None:
            self.display_date = self.first_published_at
        # Kept on the row, so a story without notes needs no query to say so.
        self.latest_note_at = max((note.date for note in self.corrections.all()), default=None)
        return super().save(*args, **kwargs)

    @property
    def date(self) -> datetime:
        return (
            self.display_date or self.first_published_at or self.latest_revision_created_at or timezone.now()
        )

    @property
    def updated(self) -> datetime:
        """When what readers see last changed: the last publication or the newest note, if later."""
        published = self.last_published_at or self.date
        note = self.latest_note_date
        return max(published, note) if note is not None else published

    def get_corrections(self) -> list[StoryCorrection]:
        """Corrections and updates, newest first (works on unsaved previews and prefetched stories)."""
        if not hasattr(self, "_corrections"):
            loaded = "corrections" in getattr(self, "_cluster_related_objects", {}) or (
                "corrections" in getattr(self, "_prefetched_objects_cache", {})
            )
            if self.latest_note_at is None and self.pk and not loaded:
                # Saved without notes, and none added in memory (a preview would have them).
                self._corrections = []
            else:
                self._corrections = sorted(
                    self.corrections.all(), key=lambda note: (note.date, note.pk or 0), reverse=True
                )
        return self._corrections

    @property
    def latest_note_date(self) -> datetime | None:
        """The date of the newest correction or update; None without any."""
        notes = self.get_corrections()
        return notes[0].date if notes else None

    def pictures_without_credit(self) -> list[str]:
        """The pictures the story shows with no credit at all, neither its own nor the image's:
        "the lead image", "image 2 in the body". One query for all of them."""
        pictures: list[tuple[str, Any, str]] = []
        if self.lead_image_id and self.lead_image is not None:
            pictures.append(("the lead image", self.lead_image, self.lead_image_credit))
        body = getattr(self, "body", None)
        if isinstance(body, StreamValue):
            images = [
                block.value for block in body if block.block_type == "image" and block.value.get("image")
            ]
            for number, value in enumerate(images, start=1):
                pictures.append((f"image {number} in the body", value["image"], value.get("credit") or ""))
        attach_credits(image for _, image, _ in pictures)
        return [label for label, image, own in pictures if not credit_text(image, own)]

    def publication_problems(self) -> list[tuple[str, str]]:
        """(field, message) for each house rule the story breaks; empty when it may be published."""
        problems = []
        if len(self.title or "") > HEADLINE_MAX_LENGTH:
            problems.append(("title", headline_too_long(len(self.title))))
        if not (self.standfirst or "").strip():
            problems.append(("standfirst", MISSING_STANDFIRST))
        if self.lead_image_id and not self.lead_image_alt_text.strip():
            problems.append(("lead_image_alt_text", MISSING_LEAD_IMAGE_ALT_TEXT))
        return problems

    def publish(self, revision, user=None, **kwargs):
        """Refuse a person publishing a revision that breaks the house rules, by any route.

        The editor's form shows the reasons on the fields; this catches the routes
        without a form (bulk publishing, approving from the dashboard). Scheduled
        publishing (no user) publishes what was checked when it was scheduled.
        """
        if user is not None:
            problems = revision.as_object().publication_problems()
            if problems:
                reasons = " ".join(dict.fromkeys(message for _, message in problems))
                raise PublishPermissionError(f"“{self.title}” cannot be published yet. {reasons}")
        return super().publish(revision, user=user, **kwargs)

    @classmethod
    def card_badges(cls) -> list[tuple[models.Expression, str]]:
        """Conditions on a story's row under which its card shows a word, with the word.

        A story type declares its own on itself (an open live blog: "Live").
        """
        return []

    @property
    def card_image(self):
        return self.listing_image or self.lead_image

    def get_meta_description(self) -> str:
        return self.search_description or self.social_text or self.standfirst or self.listing_summary

    def reader_comments_published_at(self) -> datetime | None:
        return self.first_published_at or self.display_date

    @classmethod
    def get_serve_queryset(cls) -> models.QuerySet:
        """The story with its images (and their credits) and whether editors picked related
        pages, in one query."""
        return (
            super()
            .get_serve_queryset()
            .select_related(
                *with_credits("lead_image"), *with_credits("listing_image"), *with_credits("social_image")
            )
            .annotate(has_related_picks=models.Exists(RelatedPage.objects.filter(page=models.OuterRef("pk"))))
        )

    def get_category(self) -> Page | None:
        if not hasattr(self, "category"):
            ancestors = self.get_ancestor_pages()
            self.category = ancestors[-1] if ancestors else None
        return self.category

    def get_authors(self) -> list[Author]:
        """The byline's authors in the editor's order (works on unsaved previews too)."""
        if not hasattr(self, "_authors"):
            links = self.story_authors.all()
            prefetched = "story_authors" in getattr(self, "_prefetched_objects_cache", {})
            if not prefetched and hasattr(links, "select_related"):
                links = links.select_related("author")
            self._authors = [link.author for link in links]
        return self._authors

    def byline_text(self) -> str:
        """'A', 'A and B', 'A, B and C'."""
        names = [author.name for author in self.get_authors()]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def authors(self) -> list[dict[str, str]]:
        """The byline as plain data, for the API."""
        return [
            {"name": author.name, "slug": author.slug, "role": author.role, "url": author.get_absolute_url()}
            for author in self.get_authors()
        ]

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.get_tags()]

    def get_tags(self) -> list:
        if not hasattr(self, "_tags"):
            # Through the tagged items, so a prefetch of "tagged_items__tag" serves it.
            items = self.tagged_items.all()
            prefetched = "tagged_items" in getattr(self, "_prefetched_objects_cache", {})
            if not prefetched and hasattr(items, "select_related"):
                items = items.select_related("tag")
            self._tags = sorted((item.tag for item in items), key=lambda tag: tag.name.lower())
        return self._tags

    def get_citations(self) -> list:
        """Citation blocks of the story, in reading order; story types with citations override it."""
        return []

    def get_cache_purge_urls(self) -> list[str]:
        """Pages outside the tree that list this story: its tags' and its authors' pages."""
        return [reverse("tag_index", args=[tag.slug]) for tag in self.get_tags()] + [
            author.get_absolute_url() for author in self.get_authors()
        ]

    def get_related_items(self, request: HttpRequest | None = None, limit: int | None = None) -> list[Page]:
        """The 'You may also like' panel: editors' picks, then the most relevant stories."""
        if limit is None:
            limit = self._related_count(request)
        items = related.related_items(
            self,
            candidates=StoryPage.objects.listed(),
            tag_links=StoryTag.objects,
            limit=limit,
            request=request,
        )
        # The story's own ancestors (breadcrumbs, section) and the site's
        # navigation come in the same query as the cards' sections.
        attach_parents(items, ancestors_of=self, request=request)
        attach_sections(items, loaded=True)
        self.get_category()
        return items

    def _related_count(self, request: HttpRequest | None) -> int:
        if request is not None:
            return DiscoverySettings.for_request(request).related_count
        site = Site.objects.filter(is_default_site=True).first()
        return DiscoverySettings.for_site(site).related_count if site else settings.NEWSROOM_RELATED_ARTICLES

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        return jsonld.story_json_ld(self, request)

    def get_feed_links(self, request: HttpRequest) -> list[tuple[str, str, str]]:
        """The feeds of the story's section."""
        category = self.get_category()
        if category is None or category.depth <= SITE_ROOT_DEPTH:
            return []
        return FeedRoutesMixin.feed_links_for(category, request)

    def update_page_meta(self, meta, request: HttpRequest) -> None:
        category = self.get_category()
        meta.type = "article"
        meta.published = self.date.isoformat()
        meta.modified = self.updated.isoformat()
        meta.section = category.title if category else ""
        meta.tags = self.tag_names
        image = self.get_social_image()
        if image is not None and image == self.lead_image:
            meta.image_alt = self.lead_image_alt_text

    def get_image_renditions(self) -> list[Wanted]:
        return [(self, "lead_image", ("lead",)), *super().get_image_renditions()]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["related_items"] = items = self.get_related_items(request)
        # The cards' pictures, the story's own images (lead image, shared links,
        # structured data) in every size and format the page shows, and the
        # pictures in its body: one query.
        body = getattr(self, "body", None)
        body_image_ids = image_ids_in(body) if isinstance(body, StreamValue) else []
        images = attach_card_images(
            items, "card", also=self.get_image_renditions(), every_rendition_of=body_image_ids
        )
        if body_image_ids:
            with images_at_hand(images):
                for _block in body:  # converts the body now, taking the images loaded above
                    pass
        return context
