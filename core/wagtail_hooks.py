"""Admin hooks: moderators' bulk decisions on reader comments purge the pages showing them."""

from __future__ import annotations

from django_comments_xtd.models import XtdComment

from wagtail import hooks

from .purging import purge_comments_pages


@hooks.register("after_bulk_action")
def purge_after_comment_moderation(request, action_type: str, objects, action) -> None:
    """Approving, removing or marking comments as spam changes what readers see.

    Bulk moderation updates comments without saving each one, so no post_save
    signal tells core.purging; any bulk action on reader comments does.
    """
    comments = [obj for obj in objects if isinstance(obj, XtdComment)]
    if comments:
        purge_comments_pages(comments)
