"""The stories listing in the admin: every story type in one table, filtered as a desk needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from core.listings import not_expired
from core.models import SITE_ROOT_DEPTH
from news.models import Author, CategoryIndexPage, StoryPage
from readership.stats import with_views


class StoryStatus:
    LIVE = "live"
    DRAFT = "draft"
    CHANGES = "changes"
    IN_REVIEW = "in_review"
    SCHEDULED = "scheduled"
    EXPIRED = "expired"

    choices = [
        (LIVE, "Live"),
        (DRAFT, "Draft (not live)"),
        (CHANGES, "Live, with unpublished changes"),
        (IN_REVIEW, "In review"),
        (SCHEDULED, "Scheduled"),
        (EXPIRED, "Expired"),
    ]


def filter_status(queryset: QuerySet, name: str, value: str) -> QuerySet:
    if value == StoryStatus.LIVE:
        return queryset.filter(not_expired(), live=True)
    if value == StoryStatus.DRAFT:
        return queryset.filter(live=False, expired=False)
    if value == StoryStatus.CHANGES:
        return queryset.filter(live=True, has_unpublished_changes=True)
    if value == StoryStatus.IN_REVIEW:
        in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        return queryset.filter(pk__in=[int(pk) for pk in in_review.values_list("object_id", flat=True)])
    if value == StoryStatus.SCHEDULED:
        return queryset.annotate_approved_schedule().filter(_approved_schedule=True)
    if value == StoryStatus.EXPIRED:
        # Unpublished on expiry, or past its expiry and awaiting the scheduled command.
        return queryset.filter(Q(expired=True) | ~not_expired())
    return queryset


class StoryFilterSet(PageFilterSet):
    section = django_filters.ModelChoiceFilter(
        label="Section",
        queryset=lambda request: CategoryIndexPage.objects.order_by("path"),
        method="filter_section",
    )
    status = django_filters.ChoiceFilter(label="Status", choices=StoryStatus.choices, method=filter_status)
    author = django_filters.ModelChoiceFilter(
        label="Author", queryset=Author.objects.all(), field_name="story_authors__author"
    )
    display_date = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = StoryPage
        fields = []

    def filter_section(self, queryset: QuerySet, name: str, value: Page | None) -> QuerySet:
        return queryset.descendant_of(value) if value is not None else queryset


class StoryIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet:
        return with_views(super().get_base_queryset().select_related("owner"))

    add_item_label = "Add story"


@dataclass
class StoryChoice:
    label: str
    url: str


@dataclass
class SectionChoice:
    section: Page
    trail: str
    story_types: list[StoryChoice]


def sections_to_file_stories_in(user) -> list[SectionChoice]:
    """Each section the user may add a story to, with the story types creatable there.

    Three queries however many sections: the user's page permissions, the sections,
    and the titles of their ancestors for the trail.
    """
    policy = policy_registry.get_by_type(Page)
    candidates = (
        CategoryIndexPage.as_pages()
        .filter(pk__in=policy.instances_user_has_permission_for(user, "add").values("pk"))
        .order_by("path")
    )
    choices = []
    for section in candidates:
        if not section.permissions_for_user(user).can_add_subpage():
            continue
        story_types = [
            StoryChoice(
                label=model.get_verbose_name(),
                url=reverse(
                    "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, section.pk]
                ),
            )
            for model in section.specific_class.creatable_subpage_models()
            if issubclass(model, StoryPage) and model.can_create_at(section)
        ]
        if story_types:
            choices.append(SectionChoice(section=section, trail="", story_types=story_types))
    _add_trails(choices)
    return choices


def _add_trails(choices: list[SectionChoice]) -> None:
    """ "Health › Oncology": the section's ancestors below the site's home page, in one query."""
    steplen = Page.steplen
    wanted = {
        choice.section.path[: steplen * depth]
        for choice in choices
        for depth in range(SITE_ROOT_DEPTH + 1, choice.section.depth)
    }
    titles = dict(Page.objects.filter(path__in=wanted).values_list("path", "title")) if wanted else {}
    for choice in choices:
        ancestors = [
            titles.get(choice.section.path[: steplen * depth], "…")
            for depth in range(SITE_ROOT_DEPTH + 1, choice.section.depth)
        ]
        choice.trail = " › ".join([*ancestors, choice.section.title])


class AddStoryView(WagtailAdminTemplateMixin, TemplateView):
    """ "Add story": every section the user may file a story in, with a button per story type.

    Wagtail's parent chooser asks for a parent of `StoryPage`, which is not creatable, and
    its create view then refuses; each button here opens a creatable type's form instead.
    """

    template_name = "desk/add_story.html"
    page_title = "Add story"
    header_icon = "doc-full"
    index_url_name: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy_registry.get_by_type(Page).user_has_permission(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        items = [{"url": reverse(self.index_url_name), "label": "Stories"}] if self.index_url_name else []
        return [*self.breadcrumbs_items, *items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sections"] = sections_to_file_stories_in(self.request.user)
        return context


class StoryListingViewSet(PageListingViewSet):
    """Stories of every type, newest first, with section, status, author and date filters."""

    model = StoryPage
    index_view_class = StoryIndexView
    choose_parent_view_class = AddStoryView
    icon = "doc-full"
    menu_label = "Stories"
    menu_order = 150
    add_to_admin_menu = True
    name = "stories"
    filterset_class = StoryFilterSet
    columns = [
        *PageListingViewSet.columns,
        Column("section", label="Section", accessor="get_parent"),
        Column("byline", label="Byline", accessor="byline_text"),
        DateColumn("display_date", label="Date", sort_key="display_date"),
        Column("views_today", label="Views today", sort_key="views_today"),
        Column("views_7_days", label="Views, 7 days", sort_key="views_7_days"),
    ]
