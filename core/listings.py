"""Helpers for pages that list other pages: pagination, parents, expiry."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from wagtail.models import Page, Site

from . import fragments
from .images import Wanted, attach_card_images, attach_renditions, card_renditions
from .models import LIGHT_PAGE_FIELDS, SITE_ROOT_DEPTH
from .privacy import private_q, restricted_paths

# The site's own pages the footer links to (core/templatetags/brand_tags.py), by slug
# under the home page, in this order; each when it exists, is live, unexpired and public.
FOOTER_PAGE_SLUGS = ("about", "contact", "privacy")


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


def attach_parents(
    pages: Iterable[Page], ancestors_of: Page | None = None, request: HttpRequest | None = None
) -> None:
    """Give each page its `category` (parent page) with one query for all of them.

    The same query can bring the ancestors of `ancestors_of` (its breadcrumbs
    and section) and, with a `request`, the top-level sections the site's
    navigation lists and the site's own pages its footer links to, so a page
    showing them all pays once.
    """
    pages = list(pages)
    paths = {page.path[: -Page.steplen] for page in pages}
    if ancestors_of is not None:
        paths.update(
            ancestors_of.path[:end]
            for end in range(SITE_ROOT_DEPTH * Page.steplen, len(ancestors_of.path), Page.steplen)
        )
    # Unordered: a compound query takes no ORDER BY in its parts. The expiry
    # date tells the footer's pages that expired (and are not unpublished yet).
    fields = (*LIGHT_PAGE_FIELDS, "expire_at")
    wanted = Page.objects.filter(path__in=paths).order_by().only(*fields)
    root = nav_root(request)
    if root is not None:
        # A union, not an OR: each part has its own index (the path; the pages
        # in menus; the slugs), where an OR of them read every page on SQLite.
        children = Page.objects.filter(path__startswith=root.path, depth=root.depth + 1, live=True)
        in_menus = children.filter(show_in_menus=True).order_by().only(*fields)
        footer = children.filter(slug__in=FOOTER_PAGE_SLUGS).order_by().only(*fields)
        wanted = wanted.union(in_menus, footer)
    loaded = _kept_pages(wanted, request, sorted(paths), root.path if root is not None else None)
    by_path = {page.path: page for page in loaded}
    for page in pages:
        page.category = by_path.get(page.path[: -Page.steplen])
    if ancestors_of is not None:
        ancestors_of._ancestor_pages = sorted(
            (page for page in loaded if page.path in paths and ancestors_of.path.startswith(page.path)),
            key=lambda page: page.path,
        )
    if root is not None:
        private = restricted_paths()
        request.newsroom_nav_sections = sorted(
            (
                page
                for page in loaded
                if page.depth == root.depth + 1
                and page.path.startswith(root.path)
                and page.live
                and page.show_in_menus
                and not any(page.path.startswith(path) for path in private)
            ),
            key=lambda page: page.path,
        )
        now = timezone.now()
        request.newsroom_footer_pages = sorted(
            (
                page
                for page in loaded
                if page.depth == root.depth + 1
                and page.path.startswith(root.path)
                and page.live
                and page.slug in FOOTER_PAGE_SLUGS
                and (page.expire_at is None or page.expire_at > now)
                and not any(page.path.startswith(path) for path in private)
            ),
            key=lambda page: FOOTER_PAGE_SLUGS.index(page.slug),
        )


def _kept_pages(wanted: models.QuerySet, request: HttpRequest | None, *key_parts) -> list[Page]:
    """`wanted` (parents, ancestors, the menu's sections: titles and addresses), kept under
    the page version, which every publish, unpublish, move and deletion bumps. Which of
    them are private is checked on each use (`restricted_paths`)."""
    key = fragments.versioned_key(request, "parents", [fragments.PAGES], *key_parts)
    return fragments.kept(key, lambda: list(wanted), size=len)


def nav_root(request: HttpRequest | None) -> Page | None:
    """The page whose children the site's navigation lists: the request's site root."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page if site is not None else None


def nav_sections(request: HttpRequest | None) -> list[Page]:
    """Top-level sections of the request's site in the editors' tree order: one query,
    or none when `attach_parents` loaded them with other pages of the request."""
    if request is None:
        return []
    if not hasattr(request, "newsroom_nav_sections"):
        root = nav_root(request)
        request.newsroom_nav_sections = (
            list(
                Page.objects.child_of(root)
                .live()
                .in_menu()
                .filter(not_expired())
                .exclude(private_q())
                .only(*LIGHT_PAGE_FIELDS)
                .order_by("path")
            )
            if root is not None
            else []
        )
    return request.newsroom_nav_sections


def attach_sections(pages: Iterable[Page], loaded: bool = False) -> None:
    """Like `attach_parents`, leaving out parents that are no section.

    A page directly under the home page has no section: its parent is the home
    page, or the tree's invisible root for the home page itself. With `loaded`,
    `attach_parents` has already run.
    """
    pages = list(pages)
    if not loaded:
        attach_parents(pages)
    for page in pages:
        if page.category is not None and page.category.depth <= SITE_ROOT_DEPTH:
            page.category = None


def paginate_cards(
    request: HttpRequest,
    pages: models.QuerySet,
    also_images: Iterable[Wanted] = (),
    pictures: Callable[[int, int], tuple[str, ...]] | None = None,
) -> PaginatorPage:
    """A page of cards: paginated, each with its section and thumbnail loaded, and
    the images `also_images` asks for (the listing page's own) in the same query.

    `pictures(page number, position)` names the renditions of the card at that
    position (none: a card without picture); a "card" thumbnail each without it.

    The page's ids are found first, then only those rows are loaded with their
    annotations (comment counts) and images. Counting comments or joining
    images for every row an OFFSET skips made page 200 of a section cost far
    more than page 1; the id query alone walks the listing's index.
    """
    page = paginate(request, pages.values_list("pk", flat=True))
    ids = list(page.object_list)
    rows = {row.pk: row for row in pages.filter(pk__in=ids).order_by()} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    attach_parents(page.object_list)
    if pictures is None:
        attach_card_images(page.object_list, "card", also=also_images)
    else:
        wanted = [
            request
            for position, item in enumerate(page.object_list)
            if (names := pictures(page.number, position))
            for request in card_renditions([item], *names)
        ]
        attach_renditions([*wanted, *also_images])
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
