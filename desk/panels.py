"""Dashboard panels for the desk: a writer's drafts and the stories scheduled to go live.

Wagtail's own dashboard already shows what waits for the user's review and
their pages in a workflow; these add the two lists a newsroom also asks for.
Both list only pages the viewer may edit or publish: an embargoed headline is
news until it goes live, and a dashboard is no reason to see it.
"""

from __future__ import annotations

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.models import StoryPage

PANEL_LENGTH = 10
PAGE_RIGHTS = ["add", "change", "publish"]


def works_on_pages(user) -> bool:
    """Whether the user has any right on pages at all (moderators of reader comments have none)."""
    return PagePermissionPolicy().user_has_any_permission(user, PAGE_RIGHTS)


def editable_pages(user) -> QuerySet[Page]:
    """Pages the user may edit or publish (a writer's own pages, an editor's whole site)."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change", "publish"])


def stories_visible_to(user) -> QuerySet[StoryPage]:
    return StoryPage.objects.filter(pk__in=editable_pages(user).values("pk"))


def review_statuses(pages: list[Page]) -> dict[int, str]:
    """Each page's active workflow status (in review, changes requested), in one query."""
    states = WorkflowState.objects.active().filter(
        base_content_type=get_default_page_content_type(), object_id__in=[str(page.pk) for page in pages]
    )
    return {int(object_id): status for object_id, status in states.values_list("object_id", "status")}


def status_label(page: Page, workflow_status: str | None) -> str:
    if workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return "In review"
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "Changes requested"
    return "Live, with unpublished changes" if page.live else "Draft"


def drafts_of(user) -> list[Page]:
    """Stories the user created or last edited that have changes not yet published, newest first."""
    drafts = list(
        stories_visible_to(user)
        .filter(Q(owner=user) | Q(latest_revision__user=user))
        .filter(has_unpublished_changes=True)
        .order_by("-latest_revision_created_at")[:PANEL_LENGTH]
    )
    statuses = review_statuses(drafts)
    for draft in drafts:
        draft.desk_status = status_label(draft, statuses.get(draft.pk))
    return drafts


def scheduled_stories(user) -> list[Page]:
    """Stories the user may edit with a revision approved to go live later, soonest first."""
    go_live = (
        Revision.page_revisions.filter(
            approved_go_live_at__isnull=False, object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by("approved_go_live_at")
        .values("approved_go_live_at")[:1]
    )
    return list(
        stories_visible_to(user)
        .annotate(goes_live_at=Subquery(go_live))
        .filter(goes_live_at__isnull=False)
        .order_by("goes_live_at", "pk")[:PANEL_LENGTH]
    )


class DraftsPanel(Component):
    name = "desk_drafts"
    template_name = "desk/panels/drafts.html"
    order = 120

    def get_context_data(self, parent_context: dict) -> dict:
        context = super().get_context_data(parent_context)
        context["drafts"] = drafts_of(parent_context["request"].user)
        return context


class ScheduledPanel(Component):
    name = "desk_scheduled"
    template_name = "desk/panels/scheduled.html"
    order = 130

    def get_context_data(self, parent_context: dict) -> dict:
        context = super().get_context_data(parent_context)
        context["scheduled"] = scheduled_stories(parent_context["request"].user)
        return context
