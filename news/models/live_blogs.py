"""A live blog: one story made of timed entries, newest first, updated while it runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from core.listings import paginate

from .. import jsonld
from ..blocks import RICH_TEXT_FEATURES, ArticleBodyBlock, convert_streams
from .authors import Author
from .stories import StoryPage, stream_problems

# Entries on one page of the live blog; older ones are on ?page=2 and after.
ENTRIES_PER_PAGE = 30
# At most this many new entries in one poll; a reader further behind reloads.
MAX_ENTRIES_PER_POLL = 20
# Entry ids come from the query string; beyond the column's range is no id.
MAX_ENTRY_ID = 2**31 - 1


class LiveBlogStatus(models.TextChoices):
    LIVE = "live", "Live: new entries appear as they are published"
    ENDED = "ended", "Ended: coverage is over"


class LiveBlogEntry(Orderable):
    """One update of a live blog: a time, an optional headline, a block body and an author."""

    page = ParentalKey("news.LiveBlogPage", on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(
        null=True, blank=True, help_text="Shown with the entry; the time it is published when empty."
    )
    headline = models.CharField(max_length=255, blank=True)
    body = StreamField(ArticleBodyBlock())
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("posted_at"), FieldPanel("headline"), FieldPanel("body"), FieldPanel("author")]
    api_fields = [APIField("posted_at"), APIField("headline"), APIField("body"), APIField("author_name")]

    class Meta(Orderable.Meta):
        verbose_name = "live blog entry"
        verbose_name_plural = "live blog entries"

    def __str__(self) -> str:
        return self.headline or (
            f"Entry of {self.posted_at:%Y-%m-%d %H:%M}" if self.posted_at else "New entry"
        )

    def save(self, *args, **kwargs):
        # Entries are saved when the page is published: an entry written ahead
        # of time is dated when readers first see it.
        if self.posted_at is None:
            self.posted_at = timezone.now()
        return super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def author_name(self) -> str:
        return self.author.name if self.author is not None else ""


class LiveBlogPage(RoutablePageMixin, StoryPage):
    """Running coverage of an event: key points pinned on top, then entries, newest first.

    Readers' browsers ask `entries/?after=<id>` every few seconds for newer
    entries; the page itself holds nothing per reader, so caches can serve it.
    """

    status = models.CharField(max_length=8, choices=LiveBlogStatus.choices, default=LiveBlogStatus.LIVE)
    coverage_end = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the live blog was marked as ended."
    )
    key_points = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="A short summary pinned above the entries."
    )

    edit_handler = StoryPage.story_edit_handler(
        [
            MultiFieldPanel([FieldPanel("status"), FieldPanel("key_points")], heading="Coverage"),
            InlinePanel("entries", heading="Entries", label="Entry", min_num=0),
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
        APIField("entries"),
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

    def publication_problems(self) -> list[tuple[str, str]]:
        problems = super().publication_problems()
        for entry in self.entries.all():
            problems += stream_problems("entries", entry.body)
        return problems

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
        """Published entries, newest first."""
        return self.entries.select_related("author").order_by("-posted_at", "-pk")

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        entries = list(self.get_entries()[: jsonld.LIVE_BLOG_UPDATES_IN_JSON_LD])
        convert_streams(entries, "body")
        return jsonld.live_blog_json_ld(self, entries, request)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        entries = paginate(request, self.get_entries(), per_page=ENTRIES_PER_PAGE)
        entries.object_list = list(entries.object_list)
        convert_streams(entries.object_list, "body")
        context["entries"] = entries
        # Only the first page, while live, looks for newer entries.
        context["polls"] = self.is_live and entries.number == 1
        context["latest_entry_id"] = max((entry.pk for entry in entries), default=0)
        context["poll_url"] = (self.get_url(request) or "") + self.reverse_subpage("entries")
        context["poll_seconds"] = settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS
        return context

    @path("entries/", name="entries")
    def new_entries(self, request: HttpRequest) -> HttpResponse:
        """Entries published after the one named by `?after=`, as HTML ready to insert.

        Wagtail serves this route only for live pages the reader may see, like the page itself.
        """
        after = request.GET.get("after", "")
        if not (after.isascii() and after.isdecimal()) or len(after) > 10 or int(after) > MAX_ENTRY_ID:
            return JsonResponse({"error": "`after` must be the id of an entry (a whole number)."}, status=400)
        newer = list(self.get_entries().filter(pk__gt=int(after))[: MAX_ENTRIES_PER_POLL + 1])
        convert_streams(newer[:MAX_ENTRIES_PER_POLL], "body")
        response = JsonResponse(
            {
                "status": self.status,
                "reload": len(newer) > MAX_ENTRIES_PER_POLL,
                "entries": [
                    {
                        "id": entry.pk,
                        "html": render_to_string(
                            "news/includes/live_blog_entry.html", {"entry": entry, "page": self}, request
                        ),
                    }
                    for entry in newer[:MAX_ENTRIES_PER_POLL]
                ],
            }
        )
        # Every reader asks the same question: a shared cache may answer for a few seconds.
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS)
        return response
