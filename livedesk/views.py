"""The live desk: one live blog's entries, newest first, with a box on top to post the next one.

Every change saves the entry and a revision of it (never a revision of the
page) and purges the live blog's cached pages; open reader pages learn of it
through their polling (LiveBlogPage.entry_changes).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wagtail.models import Revision

from alerts.delivery import alert_live_blog_followers
from alerts.push import push_is_configured
from core.purging import page_purge_urls, purge
from news.models import LiveBlogEntry, LiveBlogPage

from .forms import EntryForm, NewEntryForm
from .permissions import may_change, may_manage, may_post

ENTRIES_PER_DESK_PAGE = 20
# Revisions listed under an entry being edited, newest first.
HISTORY_LENGTH = 20


def refused_with_403(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A clear 403 page, where Wagtail's admin would redirect to the dashboard with a message."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "livedesk/refused.html", status=403)

    return wrapper


def _live_blog(request: HttpRequest, page_id: int) -> LiveBlogPage:
    page = get_object_or_404(LiveBlogPage, pk=page_id)
    if not may_post(request.user, page):
        raise PermissionDenied
    return page


def _entry(request: HttpRequest, page: LiveBlogPage, entry_id: int) -> LiveBlogEntry:
    entry = get_object_or_404(page.entries.filter(deleted_at=None), pk=entry_id)
    if not may_change(request.user, page, entry):
        raise PermissionDenied
    return entry


def _record(request: HttpRequest, page: LiveBlogPage, entry: LiveBlogEntry) -> None:
    """Save the entry with its revision and purge what readers see, after the commit."""
    with transaction.atomic():
        entry.save_change(user=request.user)
        purge(page_purge_urls(page, feeds=False))


def desk_url(page: LiveBlogPage) -> str:
    return reverse("livedesk:desk", args=[page.pk])


@refused_with_403
def live_desk(request: HttpRequest, page_id: int) -> HttpResponse:
    """The desk (GET) and posting an entry to it (POST)."""
    page = _live_blog(request, page_id)
    form = NewEntryForm(
        request.POST or None, alerts_available=push_is_configured(), live_blog_title=page.title
    )
    if request.method == "POST":
        if form.is_valid():
            entry = form.save(commit=False)
            entry.page, entry.posted_by, entry.posted_at = page, request.user, timezone.now()
            _record(request, page, entry)
            messages.success(request, "Entry posted: readers see it within one poll.")
            if form.cleaned_data.get("send_alert"):
                _send_alert(request, page, entry, form.alert_text_for(entry))
            return redirect(desk_url(page))
        messages.error(request, "The entry was not posted: see below.")
    entries = Paginator(
        page.get_entries().select_related("posted_by", "image"), ENTRIES_PER_DESK_PAGE
    ).get_page(request.GET.get("p"))
    manage = may_manage(request.user, page)
    for entry in entries:
        entry.may_change = manage or entry.posted_by_id == request.user.pk
    return render(
        request,
        "livedesk/live_desk.html",
        {
            "page": page,
            "form": form,
            "entries": entries,
            "may_pin": manage,
            "reader_url": page.url if page.live else None,
        },
        status=400 if form.errors else 200,
    )


def _send_alert(request: HttpRequest, page: LiveBlogPage, entry: LiveBlogEntry, text: str) -> None:
    """Alert the live blog's followers about the entry just posted, if readers can see the blog."""
    alert = alert_live_blog_followers(page, text, request.user, anchor=entry.anchor)
    if alert is None:
        messages.warning(
            request,
            "No alert was sent: the live blog is not public (a draft, scheduled, private or expired). "
            "The entry is saved; send an alert with a later entry once the blog is live.",
        )
        return
    messages.success(request, f"Alert “{text}” is on its way to the live blog's followers.")


@refused_with_403
def edit_entry(request: HttpRequest, page_id: int, entry_id: int) -> HttpResponse:
    page = _live_blog(request, page_id)
    entry = _entry(request, page, entry_id)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST":
        if form.is_valid():
            entry = form.save(commit=False)
            entry.edited_at = timezone.now()
            _record(request, page, entry)
            messages.success(request, "Entry updated: readers see the change within one poll.")
            return redirect(desk_url(page))
        messages.error(request, "The entry was not saved: see below.")
    revisions = Revision.objects.for_instance(entry).select_related("user")
    history = revisions.order_by("-created_at", "-pk")[:HISTORY_LENGTH]
    return render(
        request,
        "livedesk/edit_entry.html",
        {"page": page, "entry": entry, "form": form, "history": history},
        status=400 if form.errors else 200,
    )


@require_POST
@refused_with_403
def delete_entry(request: HttpRequest, page_id: int, entry_id: int) -> HttpResponse:
    """The entry leaves readers' pages; its row stays as a tombstone so open pages remove it too."""
    page = _live_blog(request, page_id)
    entry = _entry(request, page, entry_id)
    entry.deleted_at = timezone.now()
    entry.pinned = False
    _record(request, page, entry)
    messages.success(request, "Entry deleted: it leaves readers' pages within one poll.")
    return redirect(desk_url(page))


@require_POST
@refused_with_403
def pin_entry(request: HttpRequest, page_id: int, entry_id: int) -> HttpResponse:
    """Pin or unpin (`pinned=1` or `0`): pinned entries stay on top of the live blog."""
    page = _live_blog(request, page_id)
    if not may_manage(request.user, page):
        raise PermissionDenied
    entry = _entry(request, page, entry_id)
    if request.POST.get("pinned") not in ("0", "1"):
        return HttpResponse("Say pinned=1 or pinned=0.", status=400, content_type="text/plain")
    entry.pinned = request.POST["pinned"] == "1"
    _record(request, page, entry)
    messages.success(request, "Entry pinned on top." if entry.pinned else "Entry unpinned.")
    return redirect(desk_url(page))
