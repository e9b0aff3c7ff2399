"""What a moderator's decision does to a batch of reader comments.

Each decision updates the comments directly: django-comments-xtd's habit of
publishing or hiding all replies along with a comment does not apply here.
An update sends no signal, so each decision purges the pages showing the
comments and invalidates their cached threads itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import akismet
import httpx

from django.db import transaction

from core.purging import purge_comments_pages

from .mail import notify_followers
from .models import CommentScreening, ReaderComment, ReaderFlag
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
    _changed_for_readers(comments)
    return len(ids)


def _changed_for_readers(comments: Sequence[ReaderComment]) -> None:
    # The purge itself waits for the commit: a reader it sends to Django sees the decision.
    purge_comments_pages(comments)


def _notify_followers(comments: Sequence[ReaderComment]) -> None:
    # After the commit, and never raising: a mail server that is down must not
    # undo or block the moderator's decision.
    for comment in comments:
        notify_followers(comment)


@transaction.atomic
def remove(comments: Sequence[ReaderComment]) -> int:
    """Take off the site; replies stay, under a placeholder."""
    ids = _ids(comments)
    ReaderComment.objects.filter(pk__in=ids).update(is_removed=True)
    _changed_for_readers(comments)
    return len(ids)


@transaction.atomic
def mark_spam(comments: Sequence[ReaderComment]) -> int:
    ids = _ids(comments)
    ReaderComment.objects.filter(pk__in=ids).update(is_public=False)
    for comment in comments:
        CommentScreening.objects.update_or_create(
            comment_id=comment.pk, defaults={"is_spam": True, "reasons": "Marked as spam by a moderator"}
        )
    _changed_for_readers(comments)
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
