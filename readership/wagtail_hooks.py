"""Readership in the admin: "Top stories now" on the dashboard and the chart on a story's edit screen."""

from __future__ import annotations

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from .admin_views import views_chart
from .stats import top_story_views

TOP_NOW_HOURS = 2
TOP_NOW_LENGTH = 10


class TopStoriesNowPanel(Component):
    name = "readership_top_now"
    template_name = "readership/admin/top_now_panel.html"
    order = 110

    def get_context_data(self, parent_context: dict) -> dict:
        context = super().get_context_data(parent_context)
        context["top"] = top_story_views(TOP_NOW_HOURS, TOP_NOW_LENGTH)
        context["hours"] = TOP_NOW_HOURS
        return context


@hooks.register("construct_homepage_panels")
def add_top_stories_now(request: HttpRequest, panels: list) -> None:
    """For those who work on pages; moderators of reader comments and others see no stories."""
    if PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change", "publish"]):
        panels.append(TopStoriesNowPanel())


@hooks.register("register_admin_urls")
def register_chart_url() -> list:
    return [path("readership/stories/<int:page_id>/views/", views_chart, name="readership_views_chart")]


@hooks.register("insert_editor_js")
def views_chart_in_editor() -> SafeString:
    """The chart goes into the Status side panel of a story's edit screen (other pages get a 404: none)."""
    return format_html(
        '<script src="{}" data-chart-url="{}" defer></script>',
        static("readership/edit-chart.js"),
        reverse("readership_views_chart", args=[0]),
    )
