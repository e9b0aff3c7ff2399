"""Moderation of reader comments in the Wagtail admin.

A "Reader comments" menu item lists them with status filters, search, a
one-click decision on each row and bulk decisions; the dashboard shows how many
wait for a moderator and the latest of them. Wagtail's own comments (notes
between editors) are untouched.
"""

from __future__ import annotations

import django_filters

from django.contrib import messages
from django.db import models
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import ngettext
from django.views import View

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from . import moderation
from .models import CommentStatus, ReaderComment, commentable_content_types

HELD_ON_DASHBOARD = 5


def on_commentable_pages() -> dict:
    """Comments on the page types that take them: the ones the admin lists."""
    return {"content_type__in": commentable_content_types()}


def with_article_title(comments: models.QuerySet) -> models.QuerySet:
    """Each comment with its article's title, in the query that lists them."""
    article_title = Page.objects.filter(pk=Cast(models.OuterRef("object_pk"), models.IntegerField())).values(
        "title"
    )[:1]
    return comments.annotate(article_title=models.Subquery(article_title))


def count_of_comments(count: int) -> str:
    """The count with the model's own name in the right number: 1 reader comment, 2 reader comments."""
    opts = ReaderComment._meta
    return f"{count} {ngettext(opts.verbose_name, opts.verbose_name_plural, count)}"


# A moderator's decision on one comment: the function that applies it, its button and what was done.
DECISIONS = {
    "approve": (moderation.approve, "Approve", "approved and published"),
    "remove": (moderation.remove, "Remove", "removed"),
    "spam": (moderation.mark_spam, "Spam", "marked as spam"),
    "not-spam": (moderation.mark_not_spam, "Not spam", "marked as not spam and published"),
}
DECISIONS_BY_STATUS = {
    CommentStatus.HELD: ["approve", "remove", "spam"],
    CommentStatus.PUBLIC: ["remove", "spam"],
    CommentStatus.REMOVED: ["approve", "spam"],
    CommentStatus.SPAM: ["not-spam"],
}


def listing_url(query: str = "") -> str:
    url = reverse(ReaderComment.snippet_viewset.get_url_name("list"))
    return f"{url}?{query}" if query else url


def decision_buttons(request: HttpRequest, comment: ReaderComment, next_url: str) -> dict:
    """What the one-click forms of a comment need: one POST form per decision open to it."""
    url_name = ReaderComment.snippet_viewset.get_url_name("moderate")
    return {
        "comment": comment,
        "csrf_token": get_token(request),
        "next_url": next_url,
        "decisions": [
            {"url": reverse(url_name, args=[comment.pk, decision]), "label": DECISIONS[decision][1]}
            for decision in DECISIONS_BY_STATUS[comment.status]
        ],
    }


class ModerateCommentView(View):
    """One decision on one comment, in one POST: no confirmation page for a single comment.

    A GET is refused (405), so a link or a prefetch never decides anything; the
    CSRF middleware refuses a POST without its token.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        if decision not in DECISIONS:
            raise Http404("No such decision")
        comment = get_object_or_404(
            ReaderComment.objects.filter(**on_commentable_pages()).select_related("screening"), pk=pk
        )
        policy = policy_registry.get_by_type(ReaderComment)
        if not policy.user_has_permission_for_instance(request.user, "change", comment):
            # A plain 403: Wagtail's usual redirect to the dashboard would read as success to a script.
            return HttpResponseForbidden("You may not moderate reader comments.")
        decide, _label, done = DECISIONS[decision]
        decide([comment])
        messages.success(request, f"Reader comment by {comment.user_name} {done}.")
        return HttpResponseRedirect(get_valid_next_url_from_request(request) or listing_url())


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


class DecisionsColumn(Column):
    """Approve, remove or mark as spam from the row, one click each."""

    cell_template_name = "discussion/admin/decisions_cell.html"

    def get_value(self, instance: ReaderComment) -> str:
        return ""

    def get_cell_context_data(self, instance: ReaderComment, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        # Back to the listing as filtered, also when the rows came from its results view.
        context.update(decision_buttons(request, instance, listing_url(request.GET.urlencode())))
        return context


class ReaderCommentIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's bulk actions bar would count "1 snippet selected".
        names = ReaderComment._meta.verbose_name_plural
        context["bulk_strings"] = {
            "SINGULAR": f"{count_of_comments(1)} selected",
            "PLURAL": f"%(objects)s {names} selected",
            "ALL": f"All %(objects)s {names} on this screen selected",
            "ALL_IN_LISTING": f"All {names} in listing selected",
        }
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
    index_view_class = ReaderCommentIndexView
    index_template_name = "discussion/admin/index.html"
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
        DecisionsColumn("decide", label="Decide"),
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
        return with_article_title(
            ReaderComment.objects.filter(**on_commentable_pages()).select_related("screening")
        ).annotate(flag_count=models.Count("reader_flags"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/<slug:decision>/", ModerateCommentView.as_view(), name="moderate"),
        ]


register_snippet(ReaderCommentViewSet)


class ModerationBulkAction(SnippetBulkAction):
    """One moderator decision applied to the selected comments, after a confirmation page."""

    template_name = "discussion/admin/confirm_bulk_moderation.html"
    decision = None
    done_message = ""
    question = ""

    models = [ReaderComment]

    def check_perm(self, comment: ReaderComment) -> bool:
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return cls.decision(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return f"{count_of_comments(num_parent_objects)} {self.done_message}."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        context["question"] = self.question.format(comments=count_of_comments(len(context["items"])))
        return context


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerationBulkAction):
    display_name = "Approve"
    action_type = "approve_reader_comments"
    aria_label = "Approve the selected reader comments"
    action_priority = 10
    decision = staticmethod(moderation.approve)
    done_message = "approved and published"
    question = "Approve {comments}?"


@hooks.register("register_bulk_action")
class RemoveBulkAction(ModerationBulkAction):
    display_name = "Remove"
    action_type = "remove_reader_comments"
    aria_label = "Remove the selected reader comments from the site"
    action_priority = 20
    decision = staticmethod(moderation.remove)
    done_message = "removed"
    question = "Remove {comments} from the site?"


@hooks.register("register_bulk_action")
class MarkSpamBulkAction(ModerationBulkAction):
    display_name = "Mark as spam"
    action_type = "mark_reader_comments_spam"
    aria_label = "Mark the selected reader comments as spam"
    action_priority = 30
    decision = staticmethod(moderation.mark_spam)
    done_message = "marked as spam"
    question = "Mark {comments} as spam?"


@hooks.register("register_bulk_action")
class NotSpamBulkAction(ModerationBulkAction):
    display_name = "Not spam"
    action_type = "not_spam_reader_comments"
    aria_label = "Mark the selected reader comments as not spam and publish them"
    action_priority = 40
    decision = staticmethod(moderation.mark_not_spam)
    done_message = "marked as not spam and published"
    question = "Mark {comments} as not spam and publish?"


class HeldCommentsPanel(Component):
    """Dashboard count of reader comments waiting for a moderator, and the latest of them to decide on."""

    name = "held_reader_comments"
    template_name = "discussion/admin/held_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        held = ReaderComment.objects.held().filter(**on_commentable_pages())
        context["held_count"] = held.count()
        latest = with_article_title(held.select_related("screening")).order_by("-submit_date", "-pk")
        context["latest"] = [
            decision_buttons(request, comment, reverse("wagtailadmin_home"))
            for comment in latest[:HELD_ON_DASHBOARD]
        ]
        context["held_count_text"] = count_of_comments(context["held_count"])
        context["list_url"] = listing_url("status=held")
        return context


@hooks.register("construct_homepage_panels")
def add_held_comments_panel(request, panels: list) -> None:
    if request.user.has_perm("discussion.change_readercomment"):
        panels.append(HeldCommentsPanel())
