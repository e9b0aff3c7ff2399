"""The page editor's additions: rich text that is in the form before any save, and
"Schedule…" beside Publish."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

# The dialog Wagtail's status side panel opens with "Set schedule".
SCHEDULE_DIALOG_ID = "schedule-publishing-dialog"


@hooks.register("insert_global_admin_js")
def commit_rich_text_before_saving() -> SafeString:
    """Every admin page, as rich text is also edited in snippets and settings, not only pages."""
    return format_html('<script src="{}" defer></script>', static("desk/js/commit-rich-text.js"))


def has_publishing_schedule(page_class: type[Page]) -> bool:
    """Whether the page type's editor holds the go-live and expiry fields (Wagtail's PublishingPanel)."""
    return "go_live_at" in page_class.get_edit_handler().get_form_options().get("fields", [])


class ScheduleMenuItem(ActionMenuItem):
    """Opens the publishing schedule dialog from the action menu, where editors look for it.

    Shown to those who may publish, as Publish is: a writer's schedule takes effect
    only once an editor publishes.
    """

    label = "Schedule…"
    name = "action-schedule"
    icon_name = "calendar-alt"
    template_name = "desk/schedule_menu_item.html"

    def is_shown(self, context: dict[str, Any]) -> bool:
        user = context["request"].user
        if context["view"] == "create":
            page_class = _page_class_being_created(context)
            may_publish = context["parent_page"].permissions_for_user(user).can_publish_subpage()
        elif context["view"] == "edit":
            page_class = context["page"].specific_class
            may_publish = (
                not context["locked_for_user"]
                and self.get_user_page_permissions_tester(context).can_publish()
            )
        else:
            return False
        return may_publish and page_class is not None and has_publishing_schedule(page_class)

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context["dialog_id"] = SCHEDULE_DIALOG_ID
        return context


def _page_class_being_created(context: dict[str, Any]) -> type[Page] | None:
    """The create view names the page type only in its URL."""
    match = context["request"].resolver_match
    kwargs = match.kwargs if match else {}
    try:
        content_type = ContentType.objects.get_by_natural_key(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
    except (KeyError, ContentType.DoesNotExist):
        return None
    page_class = content_type.model_class()
    return page_class if page_class is not None and issubclass(page_class, Page) else None


@hooks.register("register_page_action_menu_item")
def schedule_beside_publish() -> ScheduleMenuItem:
    # Publish is 30 in Wagtail's menu.
    return ScheduleMenuItem(order=31)
