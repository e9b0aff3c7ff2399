"""Which pages are private, looked up once per request.

Wagtail's `PageQuerySet.public()` queries the view restrictions each time a
queryset using it is evaluated; a page with several listings (the article, its
related panel, the navigation) asked the same question several times.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime

from django.core.signals import request_finished, request_started
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from . import fragments

# None outside a request: then every call asks the database, as Wagtail does.
_restricted_paths: ContextVar[list[str] | None] = ContextVar("restricted_paths", default=None)
_in_request: ContextVar[bool] = ContextVar("in_request", default=False)


def restricted_paths() -> list[str]:
    """Tree paths of the pages with a view restriction (their subtrees are private)."""
    paths = _restricted_paths.get()
    if paths is None:
        paths = _kept_restricted_paths()
        if _in_request.get():
            _restricted_paths.set(paths)
    return paths


def _kept_restricted_paths() -> list[str]:
    """The paths, kept in the fragment cache under the page version.

    A restriction saved or deleted, and a page moved or deleted, bump it (at
    the change and again at commit, so a reader in between cannot keep the old
    list under the new version). With the cache down, the database is asked.
    """
    key = fragments.versioned_key(None, "restricted-paths", [fragments.PAGES])

    def restricted_paths() -> list[str]:
        # Read from the restrictions, a handful of rows: SQLite joined the other
        # way round, reading every page to find the few with a restriction.
        restricted = PageViewRestriction.objects.values("page_id")
        return list(Page.objects.filter(pk__in=restricted).values_list("path", flat=True))

    return fragments.kept(key, restricted_paths, size=len)


def private_q() -> Q:
    """Pages in a private subtree; matches nothing when there is none.

    A page is in one when its path begins with a restricted page's path. Asked as
    "the page's path cut to that length is among the restricted paths of that
    length", one condition per depth of restricted pages (a handful), not one
    `LIKE` per restricted page as Wagtail's `private_q` does: with 3,000 private
    stories (an imported archive) that made every listing's SQL 3,000 clauses long
    and a section page 30 times slower.
    """
    q = Q()
    for depth in sorted({len(path) // Page.steplen for path in restricted_paths()}):
        restricted = Page.objects.filter(
            depth=depth, pk__in=PageViewRestriction.objects.values("page_id")
        ).values("path")
        q |= Q(In(Substr("path", 1, depth * Page.steplen), restricted))
    return q if q else Q(pk__in=[])


def public(queryset: QuerySet) -> QuerySet:
    """`queryset.public()` with the restrictions looked up once per request."""
    return queryset.exclude(private_q())


@receiver(request_started, dispatch_uid="core_privacy_request_started")
def _start(**kwargs) -> None:
    _in_request.set(True)
    _restricted_paths.set(None)


@receiver(request_finished, dispatch_uid="core_privacy_request_finished")
def _finish(**kwargs) -> None:
    _in_request.set(False)
    _restricted_paths.set(None)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="core_privacy_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="core_privacy_restriction_deleted")
def _forget(**kwargs) -> None:
    _restricted_paths.set(None)


def is_expired(page: Page, now: datetime | None = None) -> bool:
    """Whether the page's expiry time has passed.

    Wagtail unpublishes expired pages only when its scheduled-publishing
    command runs; until then they are still `live`.
    """
    expire_at = getattr(page, "expire_at", None)
    return expire_at is not None and expire_at <= (now or timezone.now())


def visible_to(request: HttpRequest, page: Page) -> bool:
    """Whether this visitor may read the page now: live, unexpired, every view restriction passed.

    The one rule for every channel that shows something of a page (its URL,
    its comments' side pages, the comment form), so none shows more than the
    page itself would.
    """
    if not page.live or is_expired(page):
        return False
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
