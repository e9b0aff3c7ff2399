"""A reader's own comments: listing, editing for a short while, removing, exporting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django_comments_xtd.models import XtdComment

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from core.purging import purge_comments_pages
from discussion.forms import settings_for_object
from discussion.models import CommentScreening
from discussion.spam import screen

from .accounts import account_deleted

EDIT_WINDOW = timedelta(minutes=15)
# Name shown on the comments of a deleted account the reader chose to leave up.
FORMER_READER_NAME = "Former reader"
# Ids of comments on one page that me.json checks at most.
MAX_IDS_CHECKED = 200


def comments_of(reader: AbstractBaseUser) -> models.QuerySet[XtdComment]:
    return XtdComment.objects.filter(user=reader, is_removed=False).order_by("-submit_date", "-pk")


def can_edit(comment: XtdComment, now: datetime | None = None) -> bool:
    return not comment.is_removed and (now or timezone.now()) < comment.submit_date + EDIT_WINDOW


def editable_until(comment: XtdComment) -> datetime:
    return comment.submit_date + EDIT_WINDOW


def owned_among(reader: AbstractBaseUser, ids: list[int]) -> list[XtdComment]:
    # norel_objects: XtdComment's default manager joins tables `only()` leaves out.
    return list(
        XtdComment.norel_objects.filter(user=reader, is_removed=False, pk__in=ids[:MAX_IDS_CHECKED]).only(
            "pk", "submit_date", "is_removed"
        )
    )


def screen_edit(request: HttpRequest, comment: XtdComment, text: str) -> str | None:
    """Save the new text through the same spam checks as a new comment; the reasons if it is held."""
    article = comment.content_object
    verdict = screen(
        request,
        {
            "comment": text,
            "user_name": comment.user_name,
            "user_email": comment.user_email,
            "user_url": comment.user_url,
        },
        settings_for_object(article),
        permalink=article.get_full_url(request) or "" if article is not None else "",
    )
    comment.comment = text
    if not verdict.is_clean:
        comment.is_public = False
        CommentScreening.objects.update_or_create(
            comment_id=comment.pk,
            defaults={
                "is_spam": verdict.is_spam,
                "reasons": f"edited by its author: {verdict.reasons}",
                "checked_with_akismet": verdict.checked_with_akismet,
            },
        )
    comment.save(update_fields=["comment", "is_public"])
    return None if verdict.is_clean else verdict.reasons


def remove(comment: XtdComment) -> None:
    """Take a comment down for good: its text goes, replies to it stay under a placeholder."""
    comment.is_removed = True
    comment.comment = ""
    comment.save(update_fields=["is_removed", "comment"])


def delete_account(reader: AbstractBaseUser, keep_comments: bool) -> None:
    """Delete the reader; their comments are removed, or kept without anything that names them."""
    comments = list(XtdComment.objects.filter(user=reader))
    with transaction.atomic():
        if keep_comments:
            XtdComment.objects.filter(user=reader).update(
                user=None,
                user_name=FORMER_READER_NAME,
                user_email="",
                user_url="",
                ip_address=None,
                followup=False,
            )
        else:
            XtdComment.objects.filter(user=reader).update(
                user=None,
                user_name="",
                user_email="",
                user_url="",
                ip_address=None,
                followup=False,
                comment="",
                is_removed=True,
            )
        # Other apps erase what they keep under the reader's address (newsletter subscriptions).
        account_deleted(reader)
        reader.delete()
    # Bulk updates send no signal: cached articles still show the old names or text.
    purge_comments_pages(comments)


def export_comments(reader: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "id": comment.pk,
            "article": comment.content_object.get_url() if comment.content_object else None,
            "comment": comment.comment,
            "name": comment.user_name,
            "submitted": comment.submit_date.isoformat(),
            "public": comment.is_public,
            "removed": comment.is_removed,
        }
        for comment in XtdComment.objects.filter(user=reader)
        .order_by("submit_date", "pk")
        .prefetch_related("content_object")
        .iterator(chunk_size=500)
    ]
