"""Pieces of pages kept across requests, each keyed by everything it shows.

When Varnish or the page cache is purged (a publish, a correction, a new
comment), the next reader's page is rendered by Django again. The parts of it
that did not change (the site's header, a story's body, its related ranking)
come from here instead of being built again.

Nothing is ever deleted to invalidate a fragment: its key names the versions
it depends on, and a change bumps a version so the old key is never asked for
again (it expires on its own). The versions are small counters in the cache:

- ``pages``: any page published, unpublished, moved, renamed or deleted, or a
  privacy restriction changed (related rankings, links to pages in bodies);
- ``menu``: the same for the home page and sections, or a change of site
  identity or of a Wagtail site (the header and footer);
- ``media``: an image or document saved or deleted (pictures, logos, links to
  documents);
- ``comments``: any reader comment on the site saved, deleted or moderated
  (the front page's lists ranked by comments).

One more counter per commented object: its reader comments, bumped when one is
saved or deleted, and by the moderation and account paths that update comments
in bulk (core.purging.purge_comments_pages, discussion.moderation).

With the cache down every lookup misses and nothing is stored: pages render
from the database, slower, never stale. A counter starts at a random value, so
a cache that lost its counters (a restarted Redis) never matches a fragment
stored before. Every fragment also expires after FRAGMENT_CACHE_TIMEOUT
seconds, which bounds how long a lost bump (a write Redis dropped while it was
unreachable, though it kept its data) could matter. A fragment larger than
FRAGMENT_CACHE_MAX_BYTES is served but never stored (docs/fragment-cache.md).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .tree import SITE_ROOT_DEPTH

logger = logging.getLogger(__name__)

PAGES, MENU, MEDIA, COMMENTS = "pages", "menu", "media", "comments"
VERSION_NAMES = (PAGES, MENU, MEDIA, COMMENTS)
_VERSION_KEY = "fragments:version:{}"
_COMMENTS_VERSION_KEY = "fragments:version:comments:{}:{}"
_REQUEST_ATTRIBUTE = "_fragment_versions"

T = TypeVar("T")


def timeout() -> int:
    return settings.FRAGMENT_CACHE_TIMEOUT


def max_bytes() -> int:
    return settings.FRAGMENT_CACHE_MAX_BYTES


def _start_version(key: str, timeout: int | None) -> int | None:
    """A version counter that is not set yet, started at a random value (a counter lost
    with the cache never meets an old key); None when the cache keeps nothing."""
    cache.add(key, secrets.randbelow(2**31), timeout=timeout)
    return cache.get(key)


def _read_versions() -> dict[str, int] | None:
    keys = {name: _VERSION_KEY.format(name) for name in VERSION_NAMES}
    found = cache.get_many(keys.values())
    versions = {}
    for name, key in keys.items():
        value = found.get(key)
        if value is None:
            value = _start_version(key, timeout=None)
        if value is None:
            # The cache is down (or refuses writes): no fragment can be trusted.
            return None
        versions[name] = value
    return versions


def current_versions(request: HttpRequest | None = None) -> dict[str, int] | None:
    """The versions, read once per request; None when the cache cannot keep them."""
    if request is not None and hasattr(request, _REQUEST_ATTRIBUTE):
        return getattr(request, _REQUEST_ATTRIBUTE)
    try:
        versions = _read_versions()
    except Exception:
        # A backend that raises while down (Django's own RedisCache): render without fragments.
        logger.warning("Fragment cache unavailable; rendering without it", exc_info=True)
        versions = None
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, versions)
    return versions


def _bump_key(key: str) -> None:
    try:
        if cache.incr(key) is not None:
            return
    except ValueError:
        # Not set: the next reader starts it at a random value.
        return
    except Exception:
        logger.warning("Fragment version %s not bumped: cache unavailable", key, exc_info=True)
    # The increment failed (a cache that ignores or raises its errors): try removing it.
    try:
        cache.delete(key)
    except Exception:
        logger.warning("Fragment version %s not removed: cache unavailable", key, exc_info=True)


def _bump_now_and_at_commit(keys: set[str]) -> None:
    """Bump now, and again once the transaction commits: a reader rendering in between
    (seeing the data before the change) kept what it rendered under the new version."""

    def bump_all() -> None:
        for key in keys:
            _bump_key(key)

    bump_all()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_all)


def bump(*names: str) -> None:
    """A change: fragments keyed by the old value of each version are never read again."""
    _bump_now_and_at_commit({_VERSION_KEY.format(name) for name in names})


def comments_version(content_type_id: int, object_pk: Any) -> int | None:
    """The version of the reader comments on one object; None when the cache cannot keep it.

    It lives as long as the fragments keyed by it: one that expired restarts at
    a random value, which no fragment stored before will match.
    """
    key = _COMMENTS_VERSION_KEY.format(content_type_id, object_pk)
    try:
        value = cache.get(key)
        if value is None:
            value = _start_version(key, timeout=timeout())
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)
        return None
    return value


def bump_comments(commented: Iterable[tuple[int, Any]]) -> None:
    """Comments changed on each (content type id, object pk): their fragments, and those
    keyed by the site's comments version, are never read again."""
    keys = {_COMMENTS_VERSION_KEY.format(type_id, object_pk) for type_id, object_pk in commented}
    if keys:
        _bump_now_and_at_commit({*keys, _VERSION_KEY.format(COMMENTS)})


def fragment_key(kind: str, *parts: Any) -> str:
    """A short cache key for a fragment of `kind` depending on `parts`."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"fragments:{kind}:{digest}"


def get(key: str) -> Any:
    """The fragment under `key`; None when missing or the cache is down."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)
        return None


def put(key: str, value: Any, size: int) -> bool:
    """Keep `value` unless its `size` (bytes or items' worth) exceeds the cap; whether it was kept."""
    if size > max_bytes():
        return False
    try:
        cache.set(key, value, timeout=timeout())
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)
        return False
    return True


def kept(
    key: str | None,
    compute: Callable[[], T],
    size: Callable[[T], int] = lambda value: 1,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """The fragment under `key`, or `compute()`'s value, then kept under `key`.

    `size` measures the value against FRAGMENT_CACHE_MAX_BYTES (bytes, or items'
    worth). A value is not kept when the key is None (the cache is down), when
    it is None (it would read as a miss), or when `keep(value)` says not to
    (an address that matches no page: anyone can ask for any number of them).
    """
    if key is not None:
        found = get(key)
        if found is not None:
            return found
    value = compute()
    if key is not None and value is not None and (keep is None or keep(value)):
        put(key, value, size=size(value))
    return value


def versioned_key(
    request: HttpRequest | None, kind: str, depends_on: Iterable[str], *parts: Any
) -> str | None:
    """The key of a fragment that depends on the versions `depends_on`; None with the cache down."""
    versions = current_versions(request)
    if versions is None:
        return None
    return fragment_key(kind, *[versions[name] for name in depends_on], *parts)


# -- what bumps the versions ----------------------------------------------------


def _is_menu_page(page: Page) -> bool:
    # The home page (the site's name and logo link) and its children, the sections.
    return page.depth is not None and page.depth <= SITE_ROOT_DEPTH + 1


@receiver(page_published, dispatch_uid="core_fragments_published")
@receiver(page_unpublished, dispatch_uid="core_fragments_unpublished")
@receiver(post_page_move, dispatch_uid="core_fragments_moved")
@receiver(page_slug_changed, dispatch_uid="core_fragments_renamed")
def page_changed(sender, instance: Page, **kwargs) -> None:
    # A move names the parents before and after: a section moved down out of
    # the menu (or up into it) changes the menu whatever its depth is now.
    parents = [kwargs.get("parent_page_before"), kwargs.get("parent_page_after")]
    moved_in_menu = any(parent is not None and parent.depth <= SITE_ROOT_DEPTH for parent in parents)
    if moved_in_menu or _is_menu_page(instance):
        bump(PAGES, MENU)
    else:
        bump(PAGES)


@receiver(post_delete, dispatch_uid="core_fragments_deleted")
def page_deleted(sender, instance, **kwargs) -> None:
    # Sent for each table of a deleted page; the Page row is the one to act on.
    if type(instance) is Page:
        page_changed(sender, instance)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="core_fragments_restricted")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="core_fragments_unrestricted")
def restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    bump(PAGES, MENU)


@receiver(post_save, sender=Site, dispatch_uid="core_fragments_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="core_fragments_site_deleted")
def site_changed(sender, instance, **kwargs) -> None:
    bump(MENU)


def connect_setting_receivers(setting_models: Iterable[type]) -> None:
    """Site settings (identity, discovery, comments...), which the header, footer and pages show."""
    for model in setting_models:
        label = model._meta.label
        post_save.connect(site_changed, sender=model, dispatch_uid=f"core_fragments_setting_{label}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"core_fragments_setting_gone_{label}")


def connect_media_receivers() -> None:
    """Images and documents, whichever models the site uses for them."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    for model in (get_image_model(), get_document_model()):
        post_save.connect(
            media_changed, sender=model, dispatch_uid=f"core_fragments_saved_{model._meta.label}"
        )
        post_delete.connect(
            media_changed, sender=model, dispatch_uid=f"core_fragments_deleted_{model._meta.label}"
        )


def media_changed(sender, instance, **kwargs) -> None:
    bump(MEDIA, MENU)


def connect_comment_receivers(comment_models: Iterable[type]) -> None:
    """Reader comments saved or deleted, whichever models hold them (the discussion app saves a proxy)."""
    for model in comment_models:
        post_save.connect(comment_changed, sender=model, dispatch_uid=f"core_fragments_comment_{model}")
        post_delete.connect(
            comment_changed, sender=model, dispatch_uid=f"core_fragments_comment_gone_{model}"
        )


def comment_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump_comments([(instance.content_type_id, instance.object_pk)])
