"""Review from the dashboard, with word of what happened, and the editor's request on the writer's screen.

Wagtail's "Awaiting your review" panel approves or requests changes and
returns to the dashboard in silence: the story just leaves the list. The panel
here posts to a view that does the same and then says what was done.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page, TaskState, WorkflowState

REVIEW_ACTION_URL_NAME = "desk_review_action"


class ReviewActionView(WorkflowActionView):
    """Wagtail's workflow action on a page, followed by a message saying what it did."""

    submit_url_name = REVIEW_ACTION_URL_NAME

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db()
        title = get_latest_str(self.object)
        if self.task_state.status == TaskState.STATUS_APPROVED:
            self.object.refresh_from_db()
            done = "approved and published" if self.object.live else "approved"
            messages.success(request, f"“{title}” {done}.")
        elif self.task_state.status == TaskState.STATUS_REJECTED:
            messages.success(request, f"Changes requested on “{title}”: the writer has been told.")
        return response


class ReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", its buttons posting to ReviewActionView."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            if isinstance(state["obj"], Page):
                state["workflow_action_url_name"] = REVIEW_ACTION_URL_NAME
        return context


def requested_changes(page: Page) -> str | None:
    """The editor's request, when the page's review sent it back for changes, with their comment."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None:
        return None
    editor = task_state.finished_by
    by = f" by {editor.get_full_name() or editor.get_username()}" if editor else ""
    comment = f": “{task_state.comment}”" if task_state.comment else "."
    return f"Changes requested{by}{comment}"
