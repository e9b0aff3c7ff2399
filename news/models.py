"""Sections (categories) and the news articles filed under them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from rest_framework import serializers

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from discussion.threads import comment_count_annotation
from newsroom.pages import BasePage

from .blocks import RICH_TEXT_FEATURES, ArticleBodyBlock, ReferencesBlock

SOCIAL_IMAGE_FILTER = "fill-1200x630"
THUMBNAIL_FILTER = "fill-480x270"
# Wagtail's invisible root is depth 1 and the home page depth 2; sections start below.
SITE_ROOT_DEPTH = 2


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


def paginate_cards(request: HttpRequest, articles) -> PaginatorPage:
    """A page of article cards: paginated, each with its category and thumbnail loaded."""
    page = paginate(request, articles)
    attach_categories(page)
    attach_card_images(page, THUMBNAIL_FILTER)
    return page


def attach_sections(pages: Iterable[Page]) -> None:
    """Like `attach_categories`, for lists mixing any kind of page (related picks, search results).

    A page directly under the home page has no section: its parent is the home
    page, or the tree's invisible root for the home page itself.
    """
    pages = list(pages)
    attach_categories(pages)
    for page in pages:
        if page.category is not None and page.category.depth <= SITE_ROOT_DEPTH:
            page.category = None


def not_expired() -> models.Q:
    """Pages whose expiry time has not passed.

    Wagtail unpublishes expired pages only when its scheduled-publishing
    command runs; until then they are still `live`, so listings check the time
    themselves.
    """
    return models.Q(expire_at__isnull=True) | models.Q(expire_at__gt=timezone.now())


def unexpired_pages() -> models.Q:
    """`not_expired()` in a form search queries accept: `expire_at` is not in the search index."""
    return models.Q(pk__in=Page.objects.filter(not_expired()).values("pk"))


def attach_card_images(pages: Iterable[Page], *filter_specs: str) -> None:
    """Load the card images of `pages` with their renditions in two queries.

    Without this each thumbnail in a list costs its own rendition query.
    """
    pages = list(pages)
    image_ids = set()
    for page in pages:
        for field in ("listing_image_id", "lead_image_id"):
            if getattr(page, field, None):
                image_ids.add(getattr(page, field))
    if not image_ids:
        return
    images = get_image_model().objects.prefetch_renditions(*filter_specs).in_bulk(image_ids)
    for page in pages:
        for field in ("listing_image", "lead_image"):
            image_id = getattr(page, f"{field}_id", None)
            if image_id:
                setattr(page, field, images.get(image_id))


@register_setting(icon="link")
class DiscoverySettings(BaseSiteSetting):
    """How the site presents itself to readers moving on and to sites that link to it."""

    related_count = models.PositiveSmallIntegerField(
        "related items per article",
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
        help_text="Slots in the 'You may also like' panel: editors' picks, then automatic ones.",
    )
    publisher_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publisher's logo in structured data for search engines.",
    )
    twitter_handle = models.CharField(
        max_length=50, blank=True, help_text="The site's account on X/Twitter, e.g. @newsroom."
    )

    panels = [FieldPanel("related_count"), FieldPanel("publisher_logo"), FieldPanel("twitter_handle")]

    class Meta:
        verbose_name = "discovery and sharing"


class Author(index.Indexed, models.Model):
    """A person credited in article bylines."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, help_text="The author's address: /authors/<slug>/.")
    role = models.CharField(max_length=255, blank=True, help_text="e.g. Health correspondent")
    bio = models.TextField("short bio", blank=True, max_length=1000)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author_detail", kwargs={"slug": self.slug})

    def get_json_ld(self, request: HttpRequest) -> dict[str, Any]:
        url = request.build_absolute_uri(self.get_absolute_url())
        person: dict[str, Any] = {"@type": "Person", "name": self.name, "url": url}
        if self.role:
            person["jobTitle"] = self.role
        if self.bio:
            person["description"] = self.bio
        if self.photo is not None:
            person["image"] = absolute_url(request, self.photo.get_rendition("fill-240x240").url)
        return {"@context": "https://schema.org", "@type": "ProfilePage", "url": url, "mainEntity": person}


class CategoryIndexPage(RoutablePageMixin, BasePage):
    """A section of the site, such as Health; sections may nest (Health › Oncology)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage", "news.CategoryIndexPage"]
    subpage_types = ["news.CategoryIndexPage", "news.NewsArticlePage"]
    show_in_menus_default = True

    class Meta:
        verbose_name = "category"
        verbose_name_plural = "categories"

    @property
    def card_image(self):
        return self.listing_image

    def get_meta_description(self) -> str:
        return super().get_meta_description() or Truncator(strip_tags(self.intro)).words(40)

    def get_articles(self) -> models.QuerySet[NewsArticlePage]:
        """Published articles of this section and its sub-sections, newest first."""
        return NewsArticlePage.objects.descendant_of(self).listed()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate_cards(request, self.get_articles())
        context["subcategories"] = self.get_children().live().public().type(CategoryIndexPage)
        return context

    @path("feed/", name="rss_feed")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        from .feeds import ArticleFeed

        return ArticleFeed()(request, category=self)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        from .feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, category=self)

    def get_feed_urls(self, request: HttpRequest | None = None) -> dict[str, str]:
        url = self.get_url(request) or ""
        return {"rss": f"{url}feed/", "atom": f"{url}feed/atom/"}

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        url = self.get_full_url(request)
        return {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "@id": url,
            "url": url,
            "name": self.seo_title or self.title,
            "description": self.get_meta_description(),
            "isPartOf": {"@type": "WebSite", "name": site_name(request)},
        }


class NewsArticleQuerySet(PageQuerySet):
    def listed(self) -> NewsArticleQuerySet:
        """Live, public, unexpired articles ready for cards: newest first, no body loaded.

        Each carries `reader_comment_count`, counted within the same query.
        """
        return (
            self.live()
            .public()
            .filter(not_expired())
            .defer_streamfields()
            .select_related("lead_image", "listing_image")
            .annotate(reader_comment_count=comment_count_annotation(NewsArticlePage))
            .order_by(models.F("display_date").desc(nulls_last=True), "-pk")
        )


class NewsArticlePageManager(PageManager.from_queryset(NewsArticleQuerySet)):
    pass


class NewsArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    """One name in an article's byline; the order is the byline's order."""

    page = ParentalKey("news.NewsArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="article_links")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "author"], name="unique_author_per_article")]


class RelatedPage(Orderable):
    """An editor's pick for the 'You may also like' panel."""

    page = ParentalKey("news.NewsArticlePage", on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="page"
    )

    panels = [FieldPanel("related_page")]


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
    tags = ClusterTaggableManager(through=NewsArticleTag, blank=True)
    reader_comments = models.CharField(
        "reader comments",
        max_length=8,
        choices=ReaderCommentsMode.choices,
        default=ReaderCommentsMode.OPEN,
        help_text="Comments also close by themselves after publication (Settings › Reader comments).",
    )

    content_panels = BasePage.content_panels + [
        InlinePanel("article_authors", heading="Byline", label="Author"),
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
        FieldPanel("tags"),
        InlinePanel(
            "related_links",
            heading="Related",
            label="Related page",
            help_text="Shown first under 'You may also like'; the remaining slots fill automatically.",
        ),
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
            "social_image", serializer=ImageRenditionField(SOCIAL_IMAGE_FILTER, source="get_social_image")
        ),
        APIField("body"),
        APIField("references"),
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

    def get_social_image(self):
        return self.social_image or self.listing_image or self.lead_image

    def get_meta_description(self) -> str:
        return self.search_description or self.social_text or self.standfirst or self.listing_summary

    def get_category(self) -> Page | None:
        if not hasattr(self, "category"):
            attach_categories([self])
        return self.category

    def get_authors(self) -> list[Author]:
        """The byline's authors in the editor's order (works on unsaved previews too)."""
        if not hasattr(self, "_authors"):
            links = self.article_authors.all()
            prefetched = "article_authors" in getattr(self, "_prefetched_objects_cache", {})
            if not prefetched and hasattr(links, "select_related"):
                links = links.select_related("author")
            self._authors = [link.author for link in links]
        return self._authors

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
        """Citation blocks of the body and the references, in reading order."""
        return [
            block.value
            for stream in (self.body, self.references)
            for block in stream
            if block.block_type == "citation"
        ]

    def get_related_items(self, request: HttpRequest | None = None, limit: int | None = None) -> list[Page]:
        """The 'You may also like' panel: editors' picks, then the most relevant articles.

        Picks keep the editor's order; the remaining slots go to the articles
        sharing the most tags, then those of the same section, then the newest.
        Only live, public, unexpired pages appear. The cost is a fixed number of
        queries however many candidates there are.
        """
        if limit is None:
            limit = self._related_count(request)
        if limit <= 0:
            return []

        picked_ids = [link.related_page_id for link in self.related_links.all() if link.related_page_id]
        picked_ids = [pk for pk in dict.fromkeys(picked_ids) if pk != self.pk]
        picks: dict[int, Page] = {}
        if picked_ids:
            article_picks = NewsArticlePage.objects.listed().filter(pk__in=picked_ids)
            picks.update((page.pk, page) for page in article_picks)
            other_ids = [pk for pk in picked_ids if pk not in picks]
            if other_ids:
                other_picks = (
                    Page.objects.filter(pk__in=other_ids)
                    .live()
                    .public()
                    .filter(not_expired())
                    .not_type(NewsArticlePage)
                    .specific()
                )
                picks.update((page.pk, page) for page in other_picks)
        items = [picks[pk] for pk in picked_ids if pk in picks][:limit]

        remaining = limit - len(items)
        if remaining > 0:
            items += list(self._relevant_articles(exclude_ids=[self.pk, *picks])[:remaining])

        attach_sections(items)
        attach_card_images(items, THUMBNAIL_FILTER)
        return items

    def _related_count(self, request: HttpRequest | None) -> int:
        if request is not None:
            return DiscoverySettings.for_request(request).related_count
        site = Site.objects.filter(is_default_site=True).first()
        return DiscoverySettings.for_site(site).related_count if site else settings.NEWSROOM_RELATED_ARTICLES

    def _relevant_articles(self, exclude_ids: list[int]) -> NewsArticleQuerySet:
        tag_ids = [tag.pk for tag in self.get_tags()]
        shared_tags = (
            NewsArticleTag.objects.filter(content_object=models.OuterRef("pk"), tag_id__in=tag_ids)
            .order_by()
            .values("content_object")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        same_section = models.Case(
            models.When(path__startswith=self.path[: -self.steplen], depth=self.depth, then=1),
            default=0,
            output_field=models.IntegerField(),
        )
        return (
            NewsArticlePage.objects.listed()
            .exclude(pk__in=exclude_ids)
            .annotate(
                shared_tags=Coalesce(models.Subquery(shared_tags), 0) if tag_ids else models.Value(0),
                same_section=same_section,
            )
            .order_by(
                "-shared_tags",
                "-same_section",
                models.F("display_date").desc(nulls_last=True),
                "-pk",
            )
        )

    def get_json_ld(self, request: HttpRequest | None = None) -> dict[str, Any]:
        """schema.org NewsArticle for search engines and aggregators."""
        url = self.get_full_url(request)
        publisher_name = site_name(request)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.get_meta_description(),
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at or self.date).isoformat(),
            "publisher": self._publisher_json_ld(request, publisher_name),
        }
        category = self.get_category()
        if category is not None:
            data["articleSection"] = category.title
        image = self.get_social_image()
        if image is not None:
            data["image"] = [absolute_url(request, image.get_rendition(SOCIAL_IMAGE_FILTER).url)]
        authors = self.get_authors()
        data["author"] = (
            [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": absolute_url(request, author.get_absolute_url()),
                }
                for author in authors
            ]
            if authors
            else [{"@type": "Organization", "name": publisher_name}]
        )
        tags = self.get_tags()
        if tags:
            data["keywords"] = [tag.name for tag in tags]
        citations = [citation_json_ld(citation) for citation in self.get_citations()]
        if citations:
            data["citation"] = citations
        return data

    def _publisher_json_ld(self, request: HttpRequest | None, name: str) -> dict[str, Any]:
        publisher: dict[str, Any] = {"@type": "Organization", "name": name}
        logo = DiscoverySettings.for_request(request).publisher_logo if request is not None else None
        if logo is not None:
            rendition = logo.get_rendition("height-60")
            publisher["logo"] = {
                "@type": "ImageObject",
                "url": absolute_url(request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
        return publisher

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["related_items"] = self.get_related_items(request)
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


def byline_text(authors: Iterable[Author]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [author.name for author in authors]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def site_name(request: HttpRequest | None) -> str:
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def absolute_url(request: HttpRequest | None, url: str) -> str:
    if request is None or "://" in url:
        return url
    return request.build_absolute_uri(url)


def citation_json_ld(citation) -> dict[str, Any]:
    """A citation block as a schema.org ScholarlyArticle, named by its DOI when it has one."""
    data: dict[str, Any] = {"@type": "ScholarlyArticle", "name": citation.get("title", "")}
    if citation.get("authors"):
        data["author"] = citation["authors"]
    if citation.get("journal"):
        data["isPartOf"] = {"@type": "Periodical", "name": citation["journal"]}
    if citation.get("year"):
        data["datePublished"] = str(citation["year"])
    if citation.get("doi"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": citation["doi"]}
        data["sameAs"] = citation.doi_url
    return data
