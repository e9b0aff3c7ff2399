"""The live desk in the admin: its URLs, and a "Live desk" action on every live blog."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from news.models import LiveBlogPage

from . import views

LIVE_DESK_LABEL = "Live desk"

urlpatterns = [
    path("<int:page_id>/", views.live_desk, name="desk"),
    path("<int:page_id>/entries/<int:entry_id>/edit/", views.edit_entry, name="edit"),
    path("<int:page_id>/entries/<int:entry_id>/delete/", views.delete_entry, name="delete"),
    path("<int:page_id>/entries/<int:entry_id>/pin/", views.pin_entry, name="pin"),
]


@hooks.register("register_admin_urls")
def register_live_desk_urls() -> list:
    return [path("live-desk/", include((urlpatterns, "livedesk"), namespace="livedesk"))]


def _live_desk_button(page: Page, priority: int) -> Iterator[Button]:
    # The content type says it is a live blog without loading the specific page; the desk itself
    # decides who may post.
    if page.specific_class is LiveBlogPage:
        yield Button(
            LIVE_DESK_LABEL,
            reverse("livedesk:desk", args=[page.pk]),
            icon_name="edit",
            priority=priority,
            attrs={"aria-label": f"Live desk of '{page.get_admin_display_title()}'"},
        )


@hooks.register("register_page_listing_more_buttons")
def live_desk_in_listings(page: Page, user, next_url: str | None = None) -> Iterator[Button]:
    yield from _live_desk_button(page, priority=3)


@hooks.register("register_page_header_buttons")
def live_desk_on_the_edit_screen(
    page: Page, user, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from _live_desk_button(page, priority=11)
