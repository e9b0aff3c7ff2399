"""What a moderator's decision does to a batch of reader comments.

Each decision updates the comments directly: django-comments-xtd's habit of
publishing or hiding all replies along with a comment does not apply here.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

import akismet
import httpx

from django.db import transaction

from .models import CommentScreening, ReaderComment, ReaderFlag
from .notifications import notify_comment_followers
from .spam import get_akismet_client

logger = logging.getLogger(__name__)


def _ids(comments: Sequence[ReaderComment]) -> list[int]:
    return [comment.pk for comment in comments]


@transaction.atomic
def approve(comments: Sequence[ReaderComment]) -> int:
    """Publish; the review settles earlier flags and any spam verdict.

    Readers following the thread hear of a comment once it is public, as they
    would have had it been published at once.
    """
    ids = _ids(comments)
    newly_public = [comment for comment in comments if not comment.is_public or comment.is_removed]
    ReaderComment.objects.filter(pk__in=ids).update(is_public=True, is_removed=False)
    CommentScreening.objects.filter(comment_id__in=ids).update(is_spam=False)
    ReaderFlag.objects.filter(comment_id__in=ids).delete()
    if newly_public:
        transaction.on_commit(lambda: _notify_followers(newly_public))
    return len(ids)


def _notify_followers(comments: Sequence[ReaderComment]) -> None:
    for comment in comments:
        try:
            notify_comment_followers(comment)
        except (smtplib.SMTPException, OSError):
            # A mail server failure must not undo or block the moderator's decision.
            logger.warning("Could not email the followers of comment %s", comment.pk, exc_info=True)


@transaction.atomic
def remove(comments: Sequence[ReaderComment]) -> int:
    """Take off the site; replies stay, under a placeholder."""
    ids = _ids(comments)
    ReaderComment.objects.filter(pk__in=ids).update(is_removed=True)
    return len(ids)


@transaction.atomic
def mark_spam(comments: Sequence[ReaderComment]) -> int:
    ids = _ids(comments)
    ReaderComment.objects.filter(pk__in=ids).update(is_public=False)
    for comment in comments:
        CommentScreening.objects.update_or_create(
            comment_id=comment.pk, defaults={"is_spam": True, "reasons": "Marked as spam by a moderator"}
        )
    _teach_akismet(comments, spam=True)
    return len(ids)


def mark_not_spam(comments: Sequence[ReaderComment]) -> int:
    count = approve(comments)
    _teach_akismet(comments, spam=False)
    return count


def _teach_akismet(comments: Sequence[ReaderComment], spam: bool) -> None:
    """Report a moderator's correction to Akismet, when it is in use."""
    client = get_akismet_client()
    if client is None:
        return
    submit = client.submit_spam if spam else client.submit_ham
    for comment in comments:
        try:
            submit(
                user_ip=comment.ip_address or "",
                comment_type="comment",
                comment_author=comment.user_name,
                comment_author_email=comment.user_email,
                comment_author_url=comment.user_url,
                comment_content=comment.comment,
            )
        except (akismet.AkismetError, httpx.HTTPError):
            logger.warning("Could not report comment %s to Akismet", comment.pk, exc_info=True)
