"""E-mails to readers about comments, with subjects that name the story.

django-comments-xtd sends the same fixed subjects ("new comment posted",
"comment confirmation request") for every article; these send its own
templates under subjects a reader can tell apart in an inbox.
"""

from __future__ import annotations

from django_comments_xtd import signed
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import XtdComment
from django_comments_xtd.utils import send_mail

from django.db.models import Max
from django.template import loader
from django.urls import reverse


def story_title(comment) -> str:
    return getattr(comment.content_object, "title", "") or "a story"


def followup_subject(comment) -> str:
    return f"New comment on “{story_title(comment)}”"


def confirmation_subject(comment) -> str:
    return f"Confirm your comment on “{story_title(comment)}”"


def _send(subject: str, template: str, context: dict, to: str) -> None:
    text = loader.get_template(f"django_comments_xtd/{template}.txt").render(context)
    html = None
    if xtd_settings.COMMENTS_XTD_SEND_HTML_EMAIL:
        html = loader.get_template(f"django_comments_xtd/{template}.html").render(context)
    send_mail(subject, text, xtd_settings.COMMENTS_XTD_FROM_EMAIL, [to], html=html)


def notify_comment_followers(comment: XtdComment) -> None:
    """Tell the readers following the thread of a comment now public (django-comments-xtd's rules)."""
    earlier = XtdComment.objects.filter(
        content_type=comment.content_type, object_pk=comment.object_pk, is_public=True, followup=True
    ).exclude(user_email=comment.user_email)
    # One message per address, however many comments it left: its latest comment's name and mute link.
    latest = (
        earlier.order_by().values("user_email").annotate(latest=Max("pk")).values_list("latest", flat=True)
    )
    subject = followup_subject(comment)
    for follower in XtdComment.objects.filter(pk__in=list(latest)).order_by("pk"):
        key = signed.dumps(follower, compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT)
        context = {
            "user_name": follower.user_name,
            "comment": comment,
            "content_object": comment.content_object,
            "mute_url": reverse("comments-xtd-mute", args=[key.decode("utf-8")]),
            "site": comment.site,
        }
        _send(subject, "email_followup_comment", context, follower.user_email)


def send_email_confirmation_request(comment, key: bytes, site) -> None:
    """Ask an anonymous reader to confirm a comment (django-comments-xtd's message, a clearer subject)."""
    context = {
        "comment": comment,
        "confirmation_url": reverse("comments-xtd-confirm", args=[key.decode("utf-8")]),
        "contact": xtd_settings.COMMENTS_XTD_CONTACT_EMAIL,
        "site": site,
    }
    _send(confirmation_subject(comment), "email_confirmation_request", context, comment.user_email)
