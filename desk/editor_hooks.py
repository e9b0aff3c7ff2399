"""The page editor's additions: rich text that is in the form before any save,
"Schedule…" beside Publish, and a free address for a new page whose headline is taken."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

from .new_page_saves import remember_created_page

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


SLUG_MAX_LENGTH = Page._meta.get_field("slug").max_length
ALLOW_UNICODE_SLUGS = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)


def free_slug(parent: Page, slug: str) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`… no child of `parent` uses (Wagtail's own
    pattern for slugs it makes from titles), in one query."""
    stem = slug[: SLUG_MAX_LENGTH - 10]  # every candidate begins with it, even shortened to fit
    taken = set(parent.get_children().filter(slug__startswith=stem).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = slug[: SLUG_MAX_LENGTH - len(suffix)] + suffix
    return candidate


def _replace_posted_slug(request: HttpRequest, slug: str) -> None:
    request.POST = request.POST.copy()
    request.POST["slug"] = slug


# After the refusals in wagtail_hooks.py: nothing changes for a request they turn away.
@hooks.register("before_create_page", order=100)
def give_a_new_page_a_free_slug(request: HttpRequest, parent_page: Page, page_class: type[Page]) -> None:
    """A new page whose address is taken by a sibling (often an abandoned draft with the same
    headline, left by autosave) gets the next free one, and a message leads to the other page.

    Wagtail would refuse the form ("The slug … is already in use") and pause autosave. The same
    form sent twice (autosave and "Save draft" racing) never reaches here twice: see new_page_saves.py.
    """
    if request.method != "POST":
        return
    slug = request.POST.get("slug", "").strip()
    if not slug:
        # The editor fills the address from the headline as it is typed; a save sent before
        # that (a pasted headline, a quick Ctrl+S) would be refused for an empty address.
        slug = slugify(request.POST.get("title", ""), allow_unicode=ALLOW_UNICODE_SLUGS)
        if not slug:
            return
        _replace_posted_slug(request, slug)
    existing = parent_page.get_children().filter(slug=slug).first()
    if existing is None:
        return
    new_slug = free_slug(parent_page, slug)
    _replace_posted_slug(request, new_slug)
    state = "a draft" if not existing.live else "published"
    messages.warning(
        request,
        f"“{existing.get_admin_display_title()}” ({state}) already uses the address “{slug}” in "
        f"{parent_page.get_admin_display_title()}, so this one is “{new_slug}”. "
        "If you meant to carry on with the other one, open it.",
        buttons=[messages.button(reverse("wagtailadmin_pages:edit", args=[existing.pk]), "Open it")],
    )


@hooks.register("after_create_page")
def note_the_page_a_form_made(request: HttpRequest, page: Page) -> None:
    """The same form sent again before it became an edit form goes to this page (new_page_saves.py)."""
    remember_created_page(request, page)


@hooks.register("insert_editor_js")
def mark_each_new_page_form() -> SafeString:
    return format_html('<script src="{}" defer></script>', static("desk/js/new-page-form-id.js"))


@hooks.register("before_edit_page", order=100)
def keep_the_free_slug(request: HttpRequest, page: Page) -> None:
    """A page given `slug-2` at creation keeps it while the editor's form still sends the taken `slug`.

    The open editor is not told of the new slug when autosave created the page, and it
    fills the slug from the headline until the page is published: each later save would
    send the taken slug again.
    """
    if request.method != "POST":
        return
    slug = request.POST.get("slug", "").strip()
    if not slug or slug == page.slug or not re.fullmatch(rf"{re.escape(slug)}-\d+", page.slug):
        return
    if page.get_parent().get_children().filter(slug=slug).exclude(pk=page.pk).exists():
        _replace_posted_slug(request, page.slug)
