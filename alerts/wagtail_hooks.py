"""Editors send an alert as they publish: "Publish with alert…" beside Publish."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

from news.models import CategoryIndexPage, LiveBlogPage, NewsArticlePage, StoryPage

from .delivery import queue_alert, story_is_public
from .models import Alert
from .push import push_is_configured
from .topics import BREAKING, Topic, section_topic, topics_of_story

# The value the dialog's button sends as `action-publish`: Wagtail publishes, and this hook sends.
PUBLISH_WITH_ALERT = "with-alert"
ALERT_TEXT_MAX_LENGTH = Alert._meta.get_field("text").max_length


def _is_story(page_class: type[Page] | None) -> bool:
    return page_class is not None and issubclass(page_class, StoryPage)


class PublishWithAlertMenuItem(ActionMenuItem):
    label = "Publish with alert…"
    name = "action-publish-with-alert"
    icon_name = "warning"
    template_name = "alerts/publish_with_alert_menu_item.html"

    def is_shown(self, context: dict[str, Any]) -> bool:
        if not push_is_configured():
            return False
        user = context["request"].user
        if context["view"] == "create":
            parent = context["parent_page"]
            return parent.permissions_for_user(user).can_publish_subpage() and _is_story(
                _created_class(context)
            )
        if context["view"] == "edit":
            return (
                not context["locked_for_user"]
                and self.get_user_page_permissions_tester(context).can_publish()
                and _is_story(context["page"].specific_class)
            )
        return False

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        if parent_context["view"] == "edit":
            topics = topics_of_story(parent_context["page"].specific)
            headline = parent_context["page"].title
        else:
            topics = [Topic(BREAKING, "Breaking news")]
            parent = parent_context["parent_page"]
            if issubclass(parent.specific_class or Page, CategoryIndexPage):
                topics.append(section_topic(parent))
            headline = ""
        context["topics_json"] = json.dumps([{"key": t.key, "label": t.label} for t in topics])
        context["headline"] = headline
        context["text_max_length"] = ALERT_TEXT_MAX_LENGTH
        return context


def _created_class(context: dict[str, Any]) -> type[Page] | None:
    match = context["request"].resolver_match
    model = match.kwargs.get("content_type_model_name") if match else None
    return {"newsarticlepage": NewsArticlePage, "liveblogpage": LiveBlogPage}.get(model or "")


@hooks.register("register_page_action_menu_item")
def publish_with_alert() -> PublishWithAlertMenuItem:
    return PublishWithAlertMenuItem(order=32)


@hooks.register("insert_editor_js")
def publish_with_alert_dialog() -> SafeString:
    return format_html('<script src="{}" defer></script>', static("alerts/js/publish-with-alert.js"))


@hooks.register("after_publish_page")
def send_alert_when_asked(request: HttpRequest, page: Page) -> None:
    if request.POST.get("action-publish") != PUBLISH_WITH_ALERT or not push_is_configured():
        return
    story = page.specific
    text = " ".join(request.POST.get("alert_text", "").split())[:ALERT_TEXT_MAX_LENGTH] or story.title
    offered = {topic.key for topic in topics_of_story(story)}
    chosen = [key for key in request.POST.getlist("alert_topics") if key in offered] or [BREAKING]
    alert = Alert.objects.create(page=page, text=text, topics=chosen, created_by=request.user)
    if not story_is_public(page):
        messages.warning(
            request, "No alert was sent: the story is not public yet. Send one when it goes live."
        )
        alert.delete()
        return
    queue_alert(alert)
    messages.success(request, f"Alert “{text}” is on its way.")


@hooks.register("reader_account_sections")
def alerts_on_the_account_page(request: HttpRequest, reader) -> str | None:
    """What this browser follows (alerts belong to browsers, not accounts), read by the page's script."""
    if not push_is_configured():
        return None
    return render_to_string("alerts/account_section.html", request=request)
