"""Dashboard panels for the desk: a writer's drafts and the stories scheduled to go live.

Wagtail's own dashboard already shows what waits for the user's review and
their pages in a workflow; these add the two lists a newsroom also asks for.
"""

from __future__ import annotations

from django.db.models import Q

from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision

from news.models import StoryPage

PANEL_LENGTH = 10


def drafts_of(user) -> list[Page]:
    """Stories the user created or last edited that have changes not yet published, newest first."""
    return list(
        StoryPage.objects.filter(Q(owner=user) | Q(latest_revision__user=user))
        .filter(has_unpublished_changes=True)
        .order_by("-latest_revision_created_at")[:PANEL_LENGTH]
    )


def scheduled_stories() -> list[Page]:
    """Stories with a revision approved to go live later, soonest first."""
    go_live = dict(
        Revision.page_revisions.filter(approved_go_live_at__isnull=False).values_list(
            "object_id", "approved_go_live_at"
        )
    )
    stories = list(StoryPage.objects.filter(pk__in=[int(pk) for pk in go_live]))
    for story in stories:
        story.goes_live_at = go_live[str(story.pk)]
    stories.sort(key=lambda story: story.goes_live_at)
    return stories[:PANEL_LENGTH]


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
        context["scheduled"] = scheduled_stories()
        return context
