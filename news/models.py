"""Sections (categories) and the news articles filed under them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from discussion.threads import comment_count_annotation
from newsroom.pages import BasePage

from .blocks import RICH_TEXT_FEATURES, ArticleBodyBlock, ReferencesBlock


def paginate(request: HttpRequest, items, per_page: int | None = None) -> PaginatorPage:
    """The page of `items` named by `?page=`; a number that is not a page is a 404.

    A 404 rather than a silent fallback keeps one URL per listing page, which
    matters to caches and search engines.
    """
    paginator = Paginator(items, per_page or settings.NEWSROOM_ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page of results.") from exc


def attach_categories(articles: Iterable[NewsArticlePage]) -> None:
    """Give each article its `category` (parent page) with one query for all of them."""
    articles = list(articles)
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    parents = {
        page.path: page
        for page in Page.objects.filter(path__in=parent_paths).only(
            "id", "path", "depth", "title", "url_path", "slug"
        )
    }
    for article in articles:
        article.category = parents.get(article.path[: -Page.steplen])


class CategoryIndexPage(BasePage):
    """A section of the site, such as Health; sections may nest (Health › Oncology)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "news.CategoryIndexPage"]
    subpage_types = ["news.CategoryIndexPage", "news.NewsArticlePage"]

    class Meta:
        verbose_name = "category"
        verbose_name_plural = "categories"

    def get_articles(self) -> models.QuerySet[NewsArticlePage]:
        """Published articles of this section and its sub-sections, newest first."""
        return NewsArticlePage.objects.descendant_of(self).listed()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        articles = paginate(request, self.get_articles())
        attach_categories(articles)
        context["articles"] = articles
        context["subcategories"] = self.get_children().live().public().type(CategoryIndexPage)
        return context


class NewsArticleQuerySet(PageQuerySet):
    def listed(self) -> NewsArticleQuerySet:
        """Live, public articles ready for cards: newest first, no body loaded.

        Each carries `reader_comment_count`, counted within the same query.
        """
        return (
            self.live()
            .public()
            .defer_streamfields()
            .select_related("lead_image", "listing_image")
            .annotate(reader_comment_count=comment_count_annotation(NewsArticlePage))
            .order_by(models.F("display_date").desc(nulls_last=True), "-pk")
        )


class NewsArticlePageManager(PageManager.from_queryset(NewsArticleQuerySet)):
    pass


class ReaderCommentsMode(models.TextChoices):
    OPEN = "open", "Open: readers may comment"
    CLOSED = "closed", "Closed: comments stay readable, no new ones"
    HIDDEN = "hidden", "Hidden: no comments shown"


class NewsArticlePage(BasePage):
    """A news story: headline (the page title), subheadline, standfirst and a block body."""

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
    body = StreamField(ArticleBodyBlock())
    references = StreamField(ReferencesBlock(), blank=True)
    reader_comments = models.CharField(
        "reader comments",
        max_length=8,
        choices=ReaderCommentsMode.choices,
        default=ReaderCommentsMode.OPEN,
        help_text="Comments also close by themselves after publication (Settings › Reader comments).",
    )

    content_panels = BasePage.content_panels + [
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
        FieldPanel("body"),
        FieldPanel("references"),
    ]
    settings_panels = (
        [FieldPanel("display_date")]
        + BasePage.settings_panels
        + [MultiFieldPanel([FieldPanel("reader_comments")], heading="Reader comments")]
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("subheadline"),
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("display_date"),
    ]

    parent_page_types = ["news.CategoryIndexPage"]
    subpage_types: list[str] = []

    objects = NewsArticlePageManager()

    class Meta:
        verbose_name = "news article"

    def save(self, *args, **kwargs):
        # The display date defaults to the first publication, once there is one.
        if self.display_date is None and self.first_published_at is not None:
            self.display_date = self.first_published_at
        return super().save(*args, **kwargs)

    @property
    def date(self):
        return (
            self.display_date or self.first_published_at or self.latest_revision_created_at or timezone.now()
        )

    @property
    def card_image(self):
        return self.listing_image or self.lead_image

    def get_meta_description(self) -> str:
        return self.search_description or self.social_text or self.standfirst or self.listing_summary

    def get_category(self) -> Page | None:
        if not hasattr(self, "category"):
            attach_categories([self])
        return self.category

    def get_related_articles(self, limit: int | None = None) -> list[NewsArticlePage]:
        """Newest other published articles of the same section."""
        limit = limit or settings.NEWSROOM_RELATED_ARTICLES
        parent_path = self.path[: -self.steplen]
        related = list(
            NewsArticlePage.objects.listed()
            .filter(path__startswith=parent_path, depth=self.depth)
            .exclude(pk=self.pk)[:limit]
        )
        attach_categories(related)
        return related

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = self.get_related_articles()
        return context

    def get_absolute_url(self) -> str:
        """The page's path; django-comments-xtd redirects and emails build on it."""
        url_parts = self.get_url_parts()
        return url_parts[2] if url_parts else ""

    @property
    def reader_comments_shown(self) -> bool:
        return self.reader_comments != ReaderCommentsMode.HIDDEN

    def reader_comments_close_at(self, close_after_days: int) -> datetime | None:
        """When comments close by themselves; None when they never do."""
        published = self.first_published_at or self.display_date
        if not close_after_days or published is None:
            return None
        return published + timedelta(days=close_after_days)

    def reader_comments_open(self, close_after_days: int, now: datetime | None = None) -> bool:
        """Whether readers may post now: switched on and not past the automatic close."""
        if self.reader_comments != ReaderCommentsMode.OPEN or not self.live:
            return False
        close_at = self.reader_comments_close_at(close_after_days)
        return close_at is None or (now or timezone.now()) < close_at
