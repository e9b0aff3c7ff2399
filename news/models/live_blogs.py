"""A live blog: one story made of timed entries, newest first, updated while it runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework.fields import Field

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.embeds.blocks import EmbedValue
from wagtail.fields import RichTextField
from wagtail.models import Page, RevisionMixin
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from core.images import images_with_renditions
from core.listings import paginate

from .. import jsonld
from ..blocks import RICH_TEXT_FEATURES
from .authors import Author
from .stories import StoryPage

# Entries on one page of the live blog; older ones are on ?page=2 and after.
ENTRIES_PER_PAGE = 30
# At most this many new entries in one poll; a reader further behind reloads.
MAX_ENTRIES_PER_POLL = 20
# Change numbers come from the query string; beyond the column's range is no number.
MAX_ENTRY_ID = 2**31 - 1
# Pinned entries shown above the others; pinning more keeps the newest pinned on top.
MAX_PINNED = 5
# Entries the API lists with a live blog, newest first.
ENTRIES_IN_API = 50


def attach_entry_images(entries: list[LiveBlogEntry]) -> None:
    """Give every entry its image with renditions loaded: one query for all of them."""
    images = images_with_renditions(entry.image_id for entry in entries if entry.image_id)
    for entry in entries:
        if entry.image_id:
            entry.image = images[entry.image_id]


class LiveBlogEntriesField(Field):
    """A live blog's entries in the API: the newest ones readers see, never deleted ones."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page) -> list[dict[str, Any]]:
        return [
            {
                "id": entry.pk,
                "posted_at": entry.posted_at.isoformat(),
                "edited_at": entry.edited_at.isoformat() if entry.edited_at else None,
                "headline": entry.headline,
                "body": expand_db_html(entry.body),
                "pinned": entry.pinned,
                "image": entry.image_id,
                "embed_url": entry.embed_url,
                "author_name": entry.author_name,
            }
            for entry in page.get_entries()[:ENTRIES_IN_API]
        ]


class LiveBlogStatus(models.TextChoices):
    LIVE = "live", "Live: new entries appear as they are published"
    ENDED = "ended", "Ended: coverage is over"


class LiveBlogEntry(RevisionMixin, models.Model):
    """One update of a live blog, posted from the live desk: a row of its own, not part of the page.

    Posting, editing, pinning or deleting an entry saves a revision of the entry
    (who and when), never a revision of the page. A deleted entry stays as a
    tombstone so that open reader pages learn to remove it. The id of an entry's
    newest revision is its change number: readers poll for changes after one.
    """

    page = models.ForeignKey("news.LiveBlogPage", on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(default=timezone.now, help_text="Shown with the entry.")
    edited_at = models.DateTimeField(null=True, blank=True)
    headline = models.CharField(max_length=255, blank=True)
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    embed_url = models.URLField(
        "Embed URL", blank=True, help_text="A video or post URL from a supported provider."
    )
    pinned = models.BooleanField(default=False, help_text="Pinned entries stay on top of the live blog.")
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    api_fields = [APIField("posted_at"), APIField("headline"), APIField("body"), APIField("author_name")]

    class Meta:
        verbose_name = "live blog entry"
        verbose_name_plural = "live blog entries"
        indexes = [
            models.Index(fields=["page", "posted_at"], name="news_entry_page_posted"),
            models.Index(fields=["page", "latest_revision"], name="news_entry_page_change"),
        ]

    def __str__(self) -> str:
        return self.headline or f"Entry of {self.posted_at:%Y-%m-%d %H:%M}"

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def author_name(self) -> str:
        return self.author.name if self.author is not None else ""

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def save_change(self, user=None) -> None:
        """Save the entry and a revision of it: who changed it, when, and its new change number."""
        self.save()
        self.save_revision(user=user, clean=False)
        # What readers see of the page changed: its updated time (feeds, sitemaps, metadata) moves.
        Page.objects.filter(pk=self.page_id).update(last_published_at=timezone.now())

    @property
    def embed(self) -> EmbedValue | None:
        return EmbedValue(self.embed_url) if self.embed_url else None

    @property
    def change_id(self) -> int:
        return self.latest_revision_id or 0


class LiveBlogPage(RoutablePageMixin, StoryPage):
    """Running coverage of an event: key points pinned on top, then entries, newest first.

    Entries are posted from the live desk (livedesk app), not the page form.
    Readers' browsers ask `entries/?after=<change>` every few seconds for what
    changed since; the page itself holds nothing per reader, so caches can serve it.
    """

    status = models.CharField(max_length=8, choices=LiveBlogStatus.choices, default=LiveBlogStatus.LIVE)
    coverage_end = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the live blog was marked as ended."
    )
    key_points = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="A short summary pinned above the entries."
    )
    writers_may_post = models.BooleanField(
        "Writers may post entries",
        default=False,
        help_text="Let writers post to this live blog's live desk; editors always may.",
    )

    edit_handler = StoryPage.story_edit_handler(
        [
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("key_points"), FieldPanel("writers_may_post")],
                heading="Coverage",
                help_text="Entries are posted from the live desk (the page's More menu).",
            ),
        ]
    )
    search_fields = StoryPage.search_fields + [
        index.SearchField("key_points"),
        index.RelatedFields("entries", [index.SearchField("headline"), index.SearchField("body")]),
    ]
    api_fields = StoryPage.api_fields + [
        APIField("status"),
        APIField("coverage_end"),
        APIField("key_points"),
        APIField("entries", serializer=LiveBlogEntriesField(read_only=True)),
    ]

    parent_page_types = ["news.CategoryIndexPage"]
    subpage_types: list[str] = []

    json_ld_type = "LiveBlogPosting"

    class Meta:
        verbose_name = "live blog"

    def save(self, *args, **kwargs):
        # The end of coverage is when an editor marks the blog as ended.
        if self.status == LiveBlogStatus.ENDED and self.coverage_end is None:
            self.coverage_end = timezone.now()
        elif self.status == LiveBlogStatus.LIVE:
            self.coverage_end = None
        return super().save(*args, **kwargs)

    def get_cached_paths(self) -> list[str]:
        # The polling answers are cached too; a purge of the path covers every `?after=`.
        return ["/", "/" + self.reverse_subpage("entries")]

    @classmethod
    def card_badges(cls) -> list[tuple[models.Expression, str]]:
        # Blogs whose coverage ended show no badge.
        open_blogs = LiveBlogPage.objects.filter(pk=models.OuterRef("pk"), status=LiveBlogStatus.LIVE)
        return [(models.Exists(open_blogs), "Live")]

    @property
    def is_live(self) -> bool:
        return self.status == LiveBlogStatus.LIVE

    @property
    def coverage_start(self) -> datetime:
        return self.date

    def get_entries(self) -> models.QuerySet[LiveBlogEntry]:
        """Entries readers see (not deleted), newest first."""
        return self.entries.filter(deleted_at=None).select_related("author").order_by("-posted_at", "-pk")

    def latest_change(self) -> int:
        """The change number of the newest post, edit, pin or deletion: where polling starts."""
        return self.entries.aggregate(latest=models.Max("latest_revision_id"))["latest"] or 0

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        entries = list(self.get_entries()[: jsonld.LIVE_BLOG_UPDATES_IN_JSON_LD])
        return jsonld.live_blog_json_ld(self, entries, request)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        entries = paginate(request, self.get_entries().filter(pinned=False), per_page=ENTRIES_PER_PAGE)
        pinned = list(self.get_entries().filter(pinned=True)[:MAX_PINNED]) if entries.number == 1 else []
        entries.object_list = list(entries.object_list)
        attach_entry_images([*pinned, *entries.object_list])
        context["entries"] = entries
        context["pinned_entries"] = pinned
        # Only the first page, while live, looks for changes.
        context["polls"] = self.is_live and entries.number == 1
        context["latest_change"] = self.latest_change() if context["polls"] else 0
        context["poll_url"] = (self.get_url(request) or "") + self.reverse_subpage("entries")
        context["poll_seconds"] = settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS
        return context

    @path("entries/", name="entries")
    def entry_changes(self, request: HttpRequest) -> HttpResponse:
        """What changed after the change numbered `?after=`: entries posted, edited, pinned
        or unpinned (as HTML ready to insert) and the ids of deleted ones.

        Wagtail serves this route only for live pages the reader may see, like the page itself.
        """
        after = request.GET.get("after", "")
        if not (after.isascii() and after.isdecimal()) or len(after) > 10 or int(after) > MAX_ENTRY_ID:
            return JsonResponse({"error": "`after` must be a change number (a whole number)."}, status=400)
        changed = list(
            self.entries.filter(latest_revision_id__gt=int(after))
            .select_related("author")
            .order_by("-latest_revision_id")[: MAX_ENTRIES_PER_POLL + 1]
        )
        reload = len(changed) > MAX_ENTRIES_PER_POLL
        changed = changed[:MAX_ENTRIES_PER_POLL]
        shown = [entry for entry in changed if not entry.is_deleted]
        attach_entry_images(shown)
        response = JsonResponse(
            {
                "status": self.status,
                "reload": reload,
                "latest": max((entry.change_id for entry in changed), default=int(after)),
                "entries": [
                    {
                        "id": entry.pk,
                        "pinned": entry.pinned,
                        "posted_at": entry.posted_at.isoformat(),
                        "html": render_to_string(
                            "news/includes/live_blog_entry.html", {"entry": entry, "page": self}, request
                        ),
                    }
                    for entry in shown
                ],
                "deleted": [entry.pk for entry in changed if entry.is_deleted],
            }
        )
        # Every reader asks the same question: a shared cache may answer for a few seconds.
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS)
        return response
