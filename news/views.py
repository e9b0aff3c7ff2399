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

from .feeds import ArticleAtomFeed, ArticleFeed
from .models import (
    THUMBNAIL_FILTER,
    Author,
    CategoryIndexPage,
    NewsArticlePage,
    attach_card_images,
    attach_sections,
    not_expired,
    paginate,
    paginate_cards,
    site_name,
    unexpired_pages,
)
from .search import clean_search_query, search_terms

NEWS_SITEMAP_WINDOW = timedelta(hours=48)
# Google News reads at most this many URLs from one news sitemap.
NEWS_SITEMAP_MAX_URLS = 1000


def tag_index(request: HttpRequest, slug: str) -> HttpResponse:
    """Published articles carrying a tag; a tag no published article carries is a 404."""
    tag = get_object_or_404(Tag, slug=slug)
    articles = paginate_cards(request, NewsArticlePage.objects.listed().filter(tagged_items__tag=tag))
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
    articles = paginate_cards(
        request, NewsArticlePage.objects.listed().filter(article_authors__author=author)
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
                "json_ld": author.get_json_ld(request),
            },
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over published articles and sections, optionally within one section."""
    query = clean_search_query(request.GET.get("q", ""))
    categories = list(
        CategoryIndexPage.objects.live()
        .public()
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
        pages = (
            Page.objects.live().public().type(NewsArticlePage, CategoryIndexPage).filter(unexpired_pages())
        )
        if category is not None:
            pages = pages.descendant_of(category)
        results = paginate(request, pages.search(terms))
        _make_specific(results)

    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "categories": categories,
            "selected_category": category,
            "meta": {
                "title": f"Search: {query}" if query else "Search",
                "canonical": request.build_absolute_uri(request.path),
                "robots": "noindex, follow",
            },
        },
    )


def _make_specific(results) -> None:
    """Swap the generic pages of one results page for their specific types, in a few queries."""
    pks = [page.pk for page in results.object_list]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=pks).specific().defer_streamfields()}
    pages = [specific[pk] for pk in pks if pk in specific]
    attach_sections(pages)
    attach_card_images(pages, THUMBNAIL_FILTER)
    results.object_list = pages


def site_rss_feed(request: HttpRequest) -> HttpResponse:
    return ArticleFeed()(request)


def site_atom_feed(request: HttpRequest) -> HttpResponse:
    return ArticleAtomFeed()(request)


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Articles of the last 48 hours in the Google News sitemap format."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host.")
    since = timezone.now() - NEWS_SITEMAP_WINDOW
    articles = list(
        NewsArticlePage.objects.descendant_of(site.root_page)
        .listed()
        .filter(display_date__gte=since)[:NEWS_SITEMAP_MAX_URLS]
    )
    entries = [
        {"loc": article.get_full_url(request), "date": article.date, "title": article.title}
        for article in articles
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
