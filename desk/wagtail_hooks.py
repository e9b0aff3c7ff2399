"""The desk in the admin: the stories listing, dashboard panels and refusals of what a role may not do."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from . import editor_hooks  # noqa: F401 (registers the page editor's hooks)
from .listing import StoryListingViewSet
from .panels import DraftsPanel, ScheduledPanel

PUBLISH_REFUSED = "You may not publish this page: use “Submit for review” and an editor will publish it."


@hooks.register("register_admin_viewset")
def register_stories_listing() -> StoryListingViewSet:
    return StoryListingViewSet()


@hooks.register("construct_homepage_panels")
def add_desk_panels(request: HttpRequest, panels: list) -> None:
    panels.extend([DraftsPanel(), ScheduledPanel()])


def _refuse_publishing(request: HttpRequest, redirect_to: str) -> HttpResponse:
    messages.error(request, PUBLISH_REFUSED)
    return HttpResponseRedirect(redirect_to)


@hooks.register("before_create_page")
def refuse_publishing_new_page(request: HttpRequest, parent_page: Page, page_class) -> HttpResponse | None:
    """A crafted "publish" from someone who may not publish is refused, not saved as a draft.

    Wagtail would quietly save the draft instead; the writer would believe it published.
    """
    if request.method == "POST" and request.POST.get("action-publish"):
        if not parent_page.permissions_for_user(request.user).can_publish_subpage():
            return _refuse_publishing(request, reverse("wagtailadmin_explore", args=[parent_page.pk]))
    return None


@hooks.register("before_edit_page")
def refuse_publishing_page(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.method == "POST" and request.POST.get("action-publish"):
        if not page.permissions_for_user(request.user).can_publish():
            return _refuse_publishing(request, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_bulk_action")
def refuse_publishing_what_breaks_house_rules(request: HttpRequest, action_type: str, objects, action_class):
    """Bulk publishing skips the editor's form: check each page's latest revision here."""
    if action_type != "publish":
        return None
    refused = []
    for page in objects:
        revision = page.get_latest_revision()
        content = revision.as_object() if revision is not None else page.specific
        problems = getattr(content, "publication_problems", None)
        if problems is not None and problems():
            refused.append(page.get_admin_display_title())
    if not refused:
        return None
    messages.error(
        request,
        "Nothing was published: these pages do not meet the house rules yet (open each to see why): "
        + ", ".join(refused),
    )
    return HttpResponseRedirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))
