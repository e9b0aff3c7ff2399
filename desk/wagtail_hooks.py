"""The desk in the admin: the stories listing, dashboard panels and refusals of what a role may not do."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from . import editor_hooks  # noqa: F401 (registers the page editor's hooks)
from .listing import StoryListingViewSet
from .panels import DraftsPanel, ScheduledPanel, works_on_pages
from .review import REVIEW_ACTION_URL_NAME, ReviewActionView, ReviewPanel, requested_changes

# Wagtail's own dashboard panels about the user's pages: empty words for someone with no page rights.
PAGE_PANELS = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
    "locked_pages",
}

PUBLISH_REFUSED = "You may not publish this page: use “Submit for review” and an editor will publish it."


@hooks.register("register_admin_viewset")
def register_stories_listing() -> StoryListingViewSet:
    return StoryListingViewSet()


@hooks.register("register_admin_urls")
def register_review_action_url() -> list:
    return [
        path(
            "desk/review/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
            ReviewActionView.as_view(),
            name=REVIEW_ACTION_URL_NAME,
        )
    ]


@hooks.register("construct_homepage_panels")
def add_desk_panels(request: HttpRequest, panels: list) -> None:
    """The desk's panels for those who work on pages; nothing about pages for anyone else."""
    if works_on_pages(request.user):
        panels[:] = [
            ReviewPanel() if getattr(panel, "name", None) == ReviewPanel.name else panel for panel in panels
        ]
        panels.extend([DraftsPanel(), ScheduledPanel()])
    else:
        panels[:] = [panel for panel in panels if getattr(panel, "name", None) not in PAGE_PANELS]


@hooks.register("before_edit_page")
def show_requested_changes(request: HttpRequest, page: Page) -> None:
    """The editor's request and comment at the top of the writer's screen.

    Wagtail keeps them in the status panel's workflow history, a dialog away.
    """
    if request.method == "GET" and (text := requested_changes(page)):
        messages.warning(request, text)


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
