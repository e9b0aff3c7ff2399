"""Reader-facing views that are not pages of the tree: tags, authors, search, feeds and crawler files."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from taggit.models import Tag
from wagtail.models import Page, Site

from core.images import attach_card_images
from core.listings import (
    attach_sections,
    make_specific,
    not_expired,
    paginate,
    paginate_cards,
)
from core.privacy import public
from core.search import NewestMatches, clean_search_query, matching_entries, search_terms
from core.sites import site_name

from .feeds import StoryAtomFeed, StoryFeed
from .jsonld import author_profile_json_ld
from .models import Author, CategoryIndexPage, CorrectionKind, StoryCorrection, StoryPage

NEWS_SITEMAP_WINDOW = timedelta(hours=48)
# Google News reads at most this many URLs from one news sitemap.
NEWS_SITEMAP_MAX_URLS = 1000


def tag_index(request: HttpRequest, slug: str) -> HttpResponse:
    """Published stories carrying a tag; a tag no published story carries is a 404."""
    tag = get_object_or_404(Tag, slug=slug)
    articles = paginate_cards(request, StoryPage.objects.listed().filter(tagged_items__tag=tag))
    if not articles.paginator.count:
        raise Http404("No published article has this tag.")
    return render(
        request,
        "news/tag_index.html",
        {
            "tag": tag,
            "articles": articles,
            "meta": {
                "title": f"Articles tagged “{tag.name}”",
                "description": f"Articles about {tag.name}.",
                "canonical": request.build_absolute_uri(request.path),
            },
        },
    )


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    # The photo (on the page, in the link preview and the structured data) comes with the cards' pictures.
    articles = paginate_cards(
        request,
        StoryPage.objects.listed().filter(story_authors__author=author),
        also_images=[(author, "photo", ("portrait", "share"))],
    )
    return render(
        request,
        "news/author_page.html",
        {
            "author": author,
            "articles": articles,
            "meta": {
                "title": author.name,
                "description": author.bio or author.role,
                "canonical": request.build_absolute_uri(author.get_absolute_url()),
                "image": author.photo,
                "type": "profile",
                "json_ld": author_profile_json_ld(author, request),
            },
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over published stories and sections, newest first, optionally within one section."""
    query = clean_search_query(request.GET.get("q", ""))
    categories = list(
        public(CategoryIndexPage.as_pages().live())
        .filter(not_expired())
        .order_by("path")
        .only("id", "title", "depth", "path")
    )
    category = None
    category_param = request.GET.get("category", "")
    if category_param.isdecimal():
        category = next((c for c in categories if c.pk == int(category_param)), None)

    results = None
    terms = search_terms(query)
    if terms:
        pages = public(Page.objects.live()).filter(not_expired())
        if category is not None:
            pages = pages.descendant_of(category)
        # Newest first, not by relevance: ranking scores every match (on SQLite
        # with a full-text match per result), so its cost grew with the archive.
        # Readers page through the newest NEWSROOM_SEARCH_MAX_RESULTS: counting
        # or ordering every match of a common word grew with it too. Who wants
        # an older story adds a word or picks a section.
        entries = matching_entries(terms, page_types=(StoryPage, CategoryIndexPage))
        matches = NewestMatches(pages, entries, limit=settings.NEWSROOM_SEARCH_MAX_RESULTS)
        results = paginate(request, matches)
        results.object_list = _as_cards(results.object_list)
        attach_sections(results.object_list)
        attach_card_images(results.object_list, "card")

    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "more_results": results is not None and results.paginator.object_list.more,
            "categories": categories,
            "selected_category": category,
            "meta": {
                "title": f"Search: {query}" if query else "Search",
                "canonical": request.build_absolute_uri(request.path),
                "robots": "noindex, follow",
            },
        },
    )


def _as_cards(pks: list[int]) -> list[Page]:
    """Search hits as pages that can show a card, in the same order.

    Stories of every type come from the story table in one query; other pages
    (sections) as their specific types. The cost does not grow with the number
    of story types.
    """
    loaded = {story.pk: story for story in StoryPage.objects.with_card_badges().filter(pk__in=pks)}
    others = make_specific([Page(pk=pk) for pk in pks if pk not in loaded])
    loaded.update((page.pk, page) for page in others)
    return [loaded[pk] for pk in pks if pk in loaded]


def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction on the site's published stories, newest first: the public record."""
    stories = StoryPage.objects.descendant_of(_site_root(request)).live().public().filter(not_expired())
    notes = paginate(
        request,
        StoryCorrection.objects.filter(kind=CorrectionKind.CORRECTION, page__in=stories.values("pk"))
        .select_related("page")
        .order_by("-date", "-pk"),
    )
    return render(
        request,
        "news/corrections.html",
        {
            "notes": notes,
            "meta": {
                "title": "Corrections",
                "description": f"Every correction {site_name(request)} has made to its stories.",
                "canonical": request.build_absolute_uri(request.path),
            },
        },
    )


def _site_root(request: HttpRequest) -> Page:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host.")
    return site.root_page


def site_rss_feed(request: HttpRequest) -> HttpResponse:
    root = _site_root(request)
    return StoryFeed()(request, scope=root, stories=StoryPage.objects.descendant_of(root).listed())


def site_atom_feed(request: HttpRequest) -> HttpResponse:
    root = _site_root(request)
    return StoryAtomFeed()(request, scope=root, stories=StoryPage.objects.descendant_of(root).listed())


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Stories of the last 48 hours in the Google News sitemap format."""
    since = timezone.now() - NEWS_SITEMAP_WINDOW
    stories = list(
        StoryPage.objects.descendant_of(_site_root(request))
        .listed()
        .filter(display_date__gte=since)[:NEWS_SITEMAP_MAX_URLS]
    )
    entries = [
        {"loc": story.get_full_url(request), "date": story.date, "title": story.title} for story in stories
    ]
    return render(
        request,
        "news/sitemap_news.xml",
        {
            "entries": entries,
            "publication_name": site_name(request),
            "language": settings.LANGUAGE_CODE.split("-")[0],
        },
        content_type="application/xml; charset=utf-8",
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {
            "sitemaps": [
                request.build_absolute_uri(reverse("sitemap")),
                request.build_absolute_uri(reverse("news_sitemap")),
            ]
        },
        content_type="text/plain; charset=utf-8",
    )
