"""Newsletters in the admin: lists, issues (compose, reorder, preview, test, hold, send) and subscribers."""

from __future__ import annotations

from django.urls import include, path

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import account_views, admin_views, reader_lists
from .models import Issue, Newsletter, Subscriber
from .panels import IssueActionsPanel
from .sitemaps import IssueArchiveSitemap


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Lists"
    url_prefix = "newsletters/lists"
    url_namespace = "newsletters_list"
    list_display = ["name", "kind", "is_active", "send_time"]
    list_filter = ["kind", "is_active"]


class IssueViewSet(ModelViewSet):
    model = Issue
    icon = "doc-full"
    menu_label = "Issues"
    url_prefix = "newsletters/issues"
    url_namespace = "newsletters_issue"
    list_display = ["subject", "newsletter", "status", "send_at", "recipients"]
    list_filter = ["newsletter", "status"]
    search_fields = ["subject"]
    edit_handler = ObjectList(
        [
            IssueActionsPanel(),
            FieldPanel("newsletter"),
            FieldPanel("subject"),
            FieldPanel("intro"),
            InlinePanel("stories", heading="Stories", label="Story"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("send_at")], heading="Sending"),
        ]
    )


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    url_prefix = "newsletters/subscribers"
    url_namespace = "newsletters_subscriber"
    list_display = ["email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["email"]
    # Sign-ups come through the double opt-in, never typed in by staff.
    add_to_admin_menu = False
    exclude_form_fields = ["last_confirmation_sent_at", "signup_network"]


class NewslettersGroup(ViewSetGroup):
    menu_label = "Newsletters"
    menu_icon = "mail"
    menu_order = 250
    items = (IssueViewSet, NewsletterViewSet, SubscriberViewSet)


@hooks.register("register_admin_viewset")
def register_newsletters() -> NewslettersGroup:
    return NewslettersGroup()


@hooks.register("register_admin_urls")
def register_issue_actions() -> list:
    urls = [
        path("<int:pk>/preview/", admin_views.preview, name="preview"),
        path("<int:pk>/test/", admin_views.send_test, name="send_test"),
        path("<int:pk>/send/", admin_views.send_now, name="send_now"),
    ]
    return [path("newsletters/issue-actions/", include((urls, "newsletters_admin")))]


@hooks.register("register_sitemap")
def register_archive_sitemap() -> tuple[str, type]:
    return ("newsletters", IssueArchiveSitemap)


# Signed-in readers (readers.accounts' hooks): the account page's lists, the sign-up box's
# one click under /account/, what /account/me.json tells the box, export and erasure.
@hooks.register("reader_account_sections")
def reader_newsletters_section(request, reader) -> str:
    return account_views.account_section(request, reader)


@hooks.register("reader_account_urls")
def reader_newsletters_urls() -> list:
    urls = [
        path("", account_views.account_lists, name="lists"),
        path("subscribe/", account_views.subscribe, name="subscribe"),
    ]
    return [path("newsletters/", include((urls, "newsletters_account")))]


@hooks.register("reader_me_json")
def reader_newsletters_me(request, reader) -> dict:
    return account_views.me_json(request, reader)


@hooks.register("reader_data_export")
def reader_newsletters_export(reader) -> dict:
    return reader_lists.export(reader.email)


@hooks.register("reader_account_deleted")
def reader_newsletters_erase(reader) -> None:
    reader_lists.erase(reader.email)
