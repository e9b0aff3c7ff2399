"""Helpers for pages that list other pages: pagination, parents, expiry."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from wagtail.models import Page

from .images import attach_card_images
from .models import SITE_ROOT_DEPTH


def paginate(request: HttpRequest, items, per_page: int | None = None) -> PaginatorPage:
    """The page of `items` named by `?page=`; a number that is not a page is a 404.

    A 404 rather than a silent fallback keeps one URL per listing page, which
    matters to caches and search engines.
    """
    paginator = Paginator(items, per_page or settings.NEWSROOM_ARTICLES_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page of results.") from exc
    # Each page of a sequence is its own document: the <head> gives it its own
    # canonical URL and title (see core.metadata.listing_page_number).
    request.listing_page_number = page.number
    return page


def attach_parents(pages: Iterable[Page]) -> None:
    """Give each page its `category` (parent page) with one query for all of them."""
    pages = list(pages)
    parent_paths = {page.path[: -Page.steplen] for page in pages}
    parents = {
        parent.path: parent
        for parent in Page.objects.filter(path__in=parent_paths).only(
            "id", "path", "depth", "title", "url_path", "slug"
        )
    }
    for page in pages:
        page.category = parents.get(page.path[: -Page.steplen])


def attach_sections(pages: Iterable[Page]) -> None:
    """Like `attach_parents`, leaving out parents that are no section.

    A page directly under the home page has no section: its parent is the home
    page, or the tree's invisible root for the home page itself.
    """
    pages = list(pages)
    attach_parents(pages)
    for page in pages:
        if page.category is not None and page.category.depth <= SITE_ROOT_DEPTH:
            page.category = None


def paginate_cards(request: HttpRequest, pages) -> PaginatorPage:
    """A page of cards: paginated, each with its section and thumbnail loaded."""
    page = paginate(request, pages)
    attach_parents(page)
    attach_card_images(page, "card")
    return page


def make_specific(pages: Iterable[Page]) -> list[Page]:
    """The same pages as their specific types, in the same order, bodies left unloaded.

    One query per page type present, however many pages.
    """
    pks = [page.pk for page in pages]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=pks).specific().defer_streamfields()}
    return [specific[pk] for pk in pks if pk in specific]


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
