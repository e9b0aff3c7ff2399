"""The issue editor's actions: preview, a test to oneself, send now."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from .models import IssueStatus


class IssueActionsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletters/admin/issue_actions_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["issue"] = self.instance
            context["can_send"] = self.instance.status in (IssueStatus.SCHEDULED, IssueStatus.HELD)
            context["user_email"] = getattr(self.request.user, "email", "")
            return context
