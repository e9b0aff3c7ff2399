"""The stories listing in the admin: every story type in one table, filtered as a desk needs."""

from __future__ import annotations

import django_filters

from django.db.models import Q, QuerySet

from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, WorkflowState

from core.listings import not_expired
from news.models import Author, CategoryIndexPage, StoryPage


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
        return super().get_base_queryset().select_related("owner")


class StoryListingViewSet(PageListingViewSet):
    """Stories of every type, newest first, with section, status, author and date filters."""

    model = StoryPage
    index_view_class = StoryIndexView
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
    ]
