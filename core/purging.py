"""Purge what a change makes stale, from Varnish (or a CDN) and the origin page cache.

Pages are cached for minutes (s-maxage) in front of the app; a publish must not
wait for that. Each event purges the page and every listing that shows it: its
ancestors up to the home page, the feeds of each section above it and of the
site, the sitemaps, and whatever the page itself names through an optional
`get_cache_purge_urls()` (tag and author pages, for instance). URLs are sent once
the transaction commits, so a cache refilled at once gets the new content:
the origin page cache at once, Varnish by a background task (`send_purges`),
which tries again while Varnish does not answer.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from datetime import timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import urlopen

from django_comments_xtd.models import XtdComment
from django_tasks.base import TASK_MAX_PRIORITY

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_init, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import fragments, page_cache
from .tasks import enqueue_or_run, retried_task

logger = logging.getLogger(__name__)

# Site-wide listings every story can appear in (news/urls: feeds and sitemaps).
SITE_LISTING_PATHS = ("/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-news.xml")
# Each section's own feeds, below its URL.
SECTION_FEED_PATHS = ("feed/", "feed/atom/")


def _page_url(page: Page, url_path: str | None = None) -> str | None:
    """The page's full URL; at `url_path` instead of its current one when given (before a move)."""
    if url_path is not None:
        page = copy.copy(page)
        page.url_path = url_path
    return page.get_full_url()


def _absolute(site: Site, url: str) -> str:
    return urljoin(f"{site.root_url}/", url)


def _is_section(page: Page, site: Site) -> bool:
    """A page below the home page that can hold others; its feeds list what it holds."""
    return page.depth > site.root_page.depth and bool(page.specific_class.allowed_subpage_models())


def _listing_urls(site: Site, ancestors: Iterable[Page], *, feeds: bool) -> list[str]:
    """The ancestors' URLs (home page included) and, with `feeds`, each section's feeds."""
    urls = []
    for ancestor in ancestors:
        if ancestor.depth < site.root_page.depth:
            continue
        url = ancestor.get_full_url()
        if url is None:
            continue
        urls.append(url)
        if feeds and _is_section(ancestor, site):
            urls.extend(url + path for path in SECTION_FEED_PATHS)
    return urls


def page_purge_urls(
    page: Page,
    *,
    url_path: str | None = None,
    parent: Page | None = None,
    feeds: bool = True,
) -> list[str]:
    """Every URL that shows `page` (at `url_path` under `parent`, when they are given).

    `feeds=False` leaves out feeds and sitemaps, for changes they do not show
    (reader comments).
    """
    site = page.get_site()
    if site is None:
        return []
    specific = page.specific_deferred
    urls: list[str] = []
    page_url = _page_url(page, url_path)
    if page_url is not None:
        urls.extend(page_url + path.lstrip("/") for path in specific.get_cached_paths())
        if feeds and _is_section(page, site):
            urls.extend(page_url + path for path in SECTION_FEED_PATHS)
    ancestors = parent.get_ancestors(inclusive=True) if parent is not None else page.get_ancestors()
    urls.extend(_listing_urls(site, ancestors, feeds=feeds))
    if feeds:
        urls.extend(_absolute(site, path) for path in SITE_LISTING_PATHS)
        # The headless API lists pages and shows each at its own address.
        urls.append(_absolute(site, reverse("wagtailapi:pages:listing")))
        urls.append(_absolute(site, reverse("wagtailapi:pages:detail", args=[page.pk])))
    extra = getattr(specific, "get_cache_purge_urls", None)
    if extra is not None:
        urls.extend(_absolute(site, url) for url in extra())
    return list(dict.fromkeys(urls))


def purging_enabled() -> bool:
    """Whether anything keeps pages to purge: a frontend cache or the origin page cache."""
    return bool(settings.WAGTAILFRONTENDCACHE) or settings.PAGE_CACHE


def purge(urls: Iterable[str]) -> None:
    """Purge `urls` from Varnish/CDN and the page cache once the current transaction commits."""
    urls = list(dict.fromkeys(urls))
    if urls:
        transaction.on_commit(lambda: _send(urls))


def _send(urls: list[str]) -> None:
    """Forget the origin's copies now; Varnish's are purged by a task (a dead Varnish slows no publish)."""
    if settings.PAGE_CACHE:
        page_cache.invalidate(urls)
    if settings.WAGTAILFRONTENDCACHE:
        enqueue_or_run(send_purges, urls)


class PurgeFailed(Exception):
    """Some cache did not take a purge; the task tries again later."""


# The highest priority: until it runs, readers get the old page from Varnish.
@retried_task(
    attempts=6,
    first_wait=timedelta(seconds=10),
    longest_wait=timedelta(minutes=10),
    priority=TASK_MAX_PRIORITY,
)
def send_purges(urls: list[str], prefix: str = "") -> None:
    """Send `urls` (or, with `prefix`, one purge of everything below it) to each frontend cache."""
    failed: list[str] = []
    for name, backend in get_backends().items():
        if isinstance(backend, TimeoutHTTPBackend):
            if prefix:
                sent = [backend.purge_prefix(prefix)]
            else:
                sent = [backend.purge(url) for url in urls]
            if not all(sent):
                failed.append(name)
        else:
            backend.purge_batch(urls)
    if failed:
        raise PurgeFailed(f"Purges not taken by {', '.join(failed)} ({len(urls) or 1} URLs)")


def _old_addresses_below(page: Page, old_url: str) -> list[str]:
    """Where the live pages below `page` were before it moved from `old_url` (its url_path is the new one)."""
    new_prefix = page.url_path
    old_urls = []
    below = Page.objects.descendant_of(page).live().values_list("url_path", "numchild")
    for url_path, numchild in below.iterator():
        old = old_url + url_path[len(new_prefix) :]
        old_urls.append(old)
        if numchild:
            old_urls.extend(old + path for path in SECTION_FEED_PATHS)
    return old_urls


def purge_below(old_url: str, urls: list[str]) -> None:
    """Purge everything that was below `old_url`: listed in `urls`, and by prefix where a cache can.

    A section with thousands of stories would otherwise send thousands of
    purges while the editor waits; Varnish takes one prefix purge
    (site/varnish/default.vcl). The origin page cache forgets each address.
    """
    if not urls:
        return

    def send() -> None:
        if settings.PAGE_CACHE:
            page_cache.invalidate(urls)
        if settings.WAGTAILFRONTENDCACHE:
            enqueue_or_run(send_purges, urls, prefix=old_url)

    transaction.on_commit(send)


class TimeoutHTTPBackend(HTTPBackend):
    """Wagtail's HTTP (Varnish) backend with a timeout and Varnish's purge secret.

    Wagtail's waits for ever; purges are sent while an editor waits for the
    publish to finish, so a hung Varnish must not hang the admin. Varnish takes
    a PURGE only with the secret (`PURGE_SECRET`, from VARNISH_PURGE_SECRET):
    the address alone cannot tell the app from a reader behind a TLS proxy on
    the same machine. Every purge, single or by prefix, goes through `_send`.
    """

    timeout = 5

    def __init__(self, params: dict) -> None:
        params = dict(params)
        self.purge_secret = params.pop("PURGE_SECRET", "")
        super().__init__(params)

    def purge(self, url: str) -> bool:
        return self._send(url)

    def purge_prefix(self, url: str) -> bool:
        """Everything whose path starts with `url`'s (site/varnish/default.vcl bans them together)."""
        return self._send(url, {"X-Purge-Scope": "prefix"})

    def _send(self, url: str, headers: dict[str, str] | None = None) -> bool:
        """Whether Varnish took the purge."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        headers = {"Host": host, "User-Agent": "Newsroom-purge", **(headers or {})}
        if self.purge_secret:
            headers["X-Purge-Secret"] = self.purge_secret
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers=headers,
        )
        try:
            # The scheme and address come from the VARNISH_URL setting, not from readers.
            urlopen(request, timeout=self.timeout).close()  # noqa: S310
        except HTTPError as exc:
            logger.error("Could not purge %s: HTTP %s %s", url, exc.code, exc.reason)
        except (URLError, OSError) as exc:
            logger.error("Could not purge %s: %s", url, exc)
        else:
            return True
        return False


@receiver(page_published, dispatch_uid="core_purge_published")
@receiver(page_unpublished, dispatch_uid="core_purge_unpublished")
def purge_changed_page(sender, instance: Page, **kwargs) -> None:
    if purging_enabled():
        purge(page_purge_urls(instance))


@receiver(post_page_move, dispatch_uid="core_purge_moved")
def purge_moved_page(
    sender, instance: Page, parent_page_before: Page, url_path_before: str, **kwargs
) -> None:
    """The page at its new address and at its old one, and the listings of both places."""
    if not purging_enabled():
        return
    before = page_purge_urls(instance, url_path=url_path_before, parent=parent_page_before)
    purge([*before, *page_purge_urls(instance)])
    old_url = _page_url(instance, url_path_before)
    if old_url is not None:
        purge_below(old_url, _old_addresses_below(instance, old_url))


@receiver(page_slug_changed, dispatch_uid="core_purge_renamed")
def purge_renamed_page(sender, instance: Page, instance_before: Page, **kwargs) -> None:
    """A new slug moves the page and everything below it: its old addresses go too.

    Sent once the rename has committed; publishing purges the new address.
    """
    if not purging_enabled():
        return
    old_url = _page_url(instance, instance_before.url_path)
    if old_url is None:
        return
    purge([old_url])
    purge_below(old_url, _old_addresses_below(instance, old_url))


@receiver(pre_delete, sender=Page, dispatch_uid="core_purge_deleted")
def purge_deleted_page(sender, instance: Page, **kwargs) -> None:
    """Every deleted page once (Page is the concrete base of all page types).

    Wagtail also unpublishes a live page before deleting it; the purge is the same.
    """
    if not purging_enabled():
        return
    purge(page_purge_urls(instance))


def _is_visible(comment: XtdComment) -> bool:
    return bool(comment.is_public and not comment.is_removed)


def remember_comment_visibility(sender, instance: XtdComment, **kwargs) -> None:
    """Note whether a loaded comment is visible, to tell a change of it on save.

    Read from the loaded values only: touching a deferred field here would load
    it, which creates another instance and comes back here. None: not known.
    """
    loaded = instance.__dict__
    if instance.pk is None:
        instance._was_visible = False
    elif "is_public" in loaded and "is_removed" in loaded:
        instance._was_visible = bool(loaded["is_public"] and not loaded["is_removed"])
    else:
        instance._was_visible = None


def purge_commented_page(sender, instance: XtdComment, raw: bool = False, **kwargs) -> None:
    """A reader comment that appears or disappears changes its article and its cards.

    Only a change of visibility counts: a held comment changes nothing a reader
    sees, and django-comments-xtd saves each new comment twice.
    """
    if raw:
        return
    visible = _is_visible(instance)
    if visible == getattr(instance, "_was_visible", None):
        return
    instance._was_visible = visible
    if purging_enabled():
        purge_comments_pages([instance])


def comment_models() -> list[type[XtdComment]]:
    """Every reader comment model (the discussion app saves through a proxy of XtdComment)."""
    return [model for model in apps.get_models() if issubclass(model, XtdComment)]


def connect_comment_receivers(models: Iterable[type[XtdComment]]) -> None:
    """Watch saves of the reader comment `models`.

    Receivers per model rather than for every sender: post_init runs for each
    object loaded anywhere.
    """
    for model in models:
        post_init.connect(remember_comment_visibility, sender=model, dispatch_uid=f"core_comment_{model}")
        post_save.connect(purge_commented_page, sender=model, dispatch_uid=f"core_purge_{model}")


def purge_comments_pages(comments: Iterable[XtdComment]) -> None:
    """Purge the pages under `comments` (an article and the listings showing its comment count).

    Bulk updates of comments send no signal: their cached fragments are
    invalidated here too (core.fragments), whether or not a frontend cache is set.
    """
    comments = list(comments)
    fragments.bump_comments((comment.content_type_id, comment.object_pk) for comment in comments)
    if not purging_enabled():
        return
    pages = {comment.content_object for comment in comments}
    urls = [url for page in pages if isinstance(page, Page) for url in page_purge_urls(page, feeds=False)]
    purge(urls)
