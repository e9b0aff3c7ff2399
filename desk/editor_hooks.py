"""The page editor's additions: rich text that is in the form before any save."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail import hooks


@hooks.register("insert_global_admin_js")
def commit_rich_text_before_saving() -> SafeString:
    """Every admin page, as rich text is also edited in snippets and settings, not only pages."""
    return format_html('<script src="{}" defer></script>', static("desk/js/commit-rich-text.js"))
