"""Moderation of reader comments in the Wagtail admin.

A "Reader comments" menu item lists them with status filters, search and bulk
decisions; the dashboard shows how many wait for a moderator. Wagtail's own
comments (notes between editors) are untouched.
"""

from __future__ import annotations

import django_filters

from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import Truncator

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import moderation
from .models import CommentStatus, ReaderComment, commentable_content_types


def on_commentable_pages() -> dict:
    """Comments on the page types that take them: the ones the admin lists."""
    return {"content_type__in": commentable_content_types()}


class ReaderCommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers on the site, never from the admin's "Add" button."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


register_permission_policy(ReaderComment, ReaderCommentPermissionPolicy(ReaderComment), exact_class=True)


class ReaderCommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=CommentStatus.choices, method="filter_status", empty_label="Any status"
    )

    class Meta:
        model = ReaderComment
        fields: list[str] = []

    def filter_status(self, queryset, name: str, value: str):
        return queryset.with_status(value) if value else queryset


class ExcerptColumn(Column):
    def get_value(self, instance: ReaderComment) -> str:
        return Truncator(" ".join(instance.comment.split())).chars(100)


class OnSiteColumn(Column):
    """Links to the comment in its thread on the article."""

    cell_template_name = "discussion/admin/on_site_cell.html"

    def get_cell_context_data(self, instance: ReaderComment, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("reader-comments-permalink", args=[instance.pk])
        context["article_title"] = getattr(instance, "article_title", "") or "(article deleted)"
        return context


class ReaderCommentViewSet(SnippetViewSet):
    model = ReaderComment
    icon = "comment"
    menu_label = "Reader comments"
    menu_name = "reader-comments"
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = ReaderCommentFilterSet
    search_fields = ["comment", "user_name", "user_email", "article_title"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        ExcerptColumn("comment", label="Comment"),
        Column("user_name", label="Author"),
        OnSiteColumn("article_title", label="Article"),
        StatusTagColumn(
            "status_label", label="Status", primary=lambda comment: comment.status == CommentStatus.HELD
        ),
        Column("flag_count", label="Reports"),
        Column("screening.reasons", label="Held because"),
        DateColumn("submit_date", label="Posted"),
    ]
    inspect_view_fields = [
        "comment",
        "user_name",
        "user_email",
        "user_url",
        "ip_address",
        "submit_date",
        "is_public",
        "is_removed",
    ]
    # Moderators decide visibility; what the reader wrote is theirs and stays as written.
    panels = [
        FieldPanel("user_name", read_only=True),
        FieldPanel("comment", read_only=True),
        FieldPanel("is_public"),
        FieldPanel("is_removed"),
    ]

    def get_queryset(self, request):
        article_title = Page.objects.filter(
            pk=Cast(models.OuterRef("object_pk"), models.IntegerField())
        ).values("title")[:1]
        return (
            ReaderComment.objects.filter(**on_commentable_pages())
            .select_related("screening")
            .annotate(
                article_title=models.Subquery(article_title),
                flag_count=models.Count("reader_flags"),
            )
        )


register_snippet(ReaderCommentViewSet)


class ModerationBulkAction(SnippetBulkAction):
    """One moderator decision applied to the selected comments, after a confirmation page."""

    template_name = "discussion/admin/confirm_bulk_moderation.html"
    decision = None
    done_message = ""

    models = [ReaderComment]

    def check_perm(self, comment: ReaderComment) -> bool:
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return cls.decision(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        plural = "s" if num_parent_objects != 1 else ""
        return f"{num_parent_objects} reader comment{plural} {self.done_message}."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerationBulkAction):
    display_name = "Approve"
    action_type = "approve_reader_comments"
    aria_label = "Approve the selected reader comments"
    action_priority = 10
    decision = staticmethod(moderation.approve)
    done_message = "approved and published"


@hooks.register("register_bulk_action")
class RemoveBulkAction(ModerationBulkAction):
    display_name = "Remove"
    action_type = "remove_reader_comments"
    aria_label = "Remove the selected reader comments from the site"
    action_priority = 20
    decision = staticmethod(moderation.remove)
    done_message = "removed"


@hooks.register("register_bulk_action")
class MarkSpamBulkAction(ModerationBulkAction):
    display_name = "Mark as spam"
    action_type = "mark_reader_comments_spam"
    aria_label = "Mark the selected reader comments as spam"
    action_priority = 30
    decision = staticmethod(moderation.mark_spam)
    done_message = "marked as spam"


@hooks.register("register_bulk_action")
class NotSpamBulkAction(ModerationBulkAction):
    display_name = "Not spam"
    action_type = "not_spam_reader_comments"
    aria_label = "Mark the selected reader comments as not spam and publish them"
    action_priority = 40
    decision = staticmethod(moderation.mark_not_spam)
    done_message = "marked as not spam and published"


class HeldCommentsPanel(Component):
    """Dashboard count of reader comments waiting for a moderator."""

    name = "held_reader_comments"
    template_name = "discussion/admin/held_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["held_count"] = ReaderComment.objects.held().filter(**on_commentable_pages()).count()
        context["list_url"] = reverse(ReaderComment.snippet_viewset.get_url_name("list")) + "?status=held"
        return context


@hooks.register("construct_homepage_panels")
def add_held_comments_panel(request, panels: list) -> None:
    if request.user.has_perm("discussion.change_readercomment"):
        panels.append(HeldCommentsPanel())
