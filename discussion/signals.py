"""Receivers that plug the spam defence into django-comments-xtd and keep sites in step."""

from __future__ import annotations

from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd import signed
from django_comments_xtd import views as xtd_views
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment, XtdComment, publish_or_unpublish_on_pre_save
from django_comments_xtd.signals import confirmation_received

from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.contrib.sites.shortcuts import get_current_site
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from wagtail.models import Site as WagtailSite

from .forms import settings_for_object
from .models import CommentScreening
from .notifications import notify_comment_followers, send_email_confirmation_request
from .spam import screen

# django-comments-xtd publishes or hides every reply whenever a comment is
# saved; moderation here decides each comment on its own (a hidden comment
# becomes a placeholder above its public replies), so that cascade goes.
pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="django_comments_xtd.XtdComment")


@receiver(comment_will_be_posted, sender=TmpXtdComment, dispatch_uid="discussion_screen_comment")
def screen_comment(sender, comment: TmpXtdComment, request, **kwargs) -> bool:
    """Hold suspicious comments; store spam out of sight and stop it there.

    Spam is saved at once, before any confirmation email could be sent to an
    address a spammer typed in.
    """
    article = comment.content_object
    site_settings = settings_for_object(article)
    verdict = screen(request, comment, site_settings, permalink=article.get_full_url(request) or "")
    if verdict.is_clean:
        return True
    comment.is_public = False
    if verdict.is_spam:
        stored = XtdComment(**comment)
        stored.save()
        CommentScreening.objects.create(
            comment=stored,
            is_spam=True,
            reasons=verdict.reasons,
            checked_with_akismet=verdict.checked_with_akismet,
        )
        request.reader_comment_spam = stored
        return False
    request.reader_comment_verdict = verdict
    return True


@receiver(confirmation_received, sender=TmpXtdComment, dispatch_uid="discussion_record_screening")
def record_screening(sender, comment: TmpXtdComment, request, **kwargs) -> None:
    """Note why a comment was held, once django-comments-xtd has stored it."""
    verdict = getattr(request, "reader_comment_verdict", None)
    stored = comment.xtd_comment
    if verdict is None or stored is None:
        return
    CommentScreening.objects.update_or_create(
        comment=stored,
        defaults={"reasons": verdict.reasons, "checked_with_akismet": verdict.checked_with_akismet},
    )


def sync_django_site(wagtail_site: WagtailSite | None = None) -> None:
    """Give django.contrib.sites' Site the default Wagtail site's host name.

    django-comments-xtd builds redirects and email links from it.
    """
    wagtail_site = wagtail_site or WagtailSite.objects.filter(is_default_site=True).first()
    if wagtail_site is None:
        return
    domain = wagtail_site.hostname
    if wagtail_site.port not in (80, 443):
        domain = f"{domain}:{wagtail_site.port}"
    name = wagtail_site.site_name or domain
    DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": name})
    DjangoSite.objects.clear_cache()


@receiver(post_save, sender=WagtailSite, dispatch_uid="discussion_sync_django_site")
def on_wagtail_site_saved(sender, instance: WagtailSite, raw: bool = False, **kwargs) -> None:
    if not raw and instance.is_default_site:
        sync_django_site(instance)


# django-comments-xtd's receiver stores a posted comment or asks for its
# confirmation, and mails under fixed subjects; this one does the same with
# subjects that name the story. Connected before remember_posted, which reads what it stored.
comment_was_posted.disconnect(xtd_views.on_comment_was_posted, sender=TmpXtdComment)


@receiver(comment_was_posted, sender=TmpXtdComment, dispatch_uid="discussion_store_posted")
def store_posted(sender, comment: TmpXtdComment, request, **kwargs) -> None:
    signed_in = bool(comment.user and comment.user.is_authenticated)
    if not xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL or signed_in:
        if xtd_views._get_comment_if_exists(comment) is None:
            stored = xtd_views._create_comment(comment)
            comment.xtd_comment = stored
            confirmation_received.send(sender=TmpXtdComment, comment=comment, request=request)
            if comment.is_public:
                notify_comment_followers(stored)
    else:
        key = signed.dumps(comment, compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT)
        send_email_confirmation_request(comment, key, get_current_site(request))


@receiver(comment_was_posted, sender=TmpXtdComment, dispatch_uid="discussion_remember_posted")
def remember_posted(sender, comment: TmpXtdComment, request, **kwargs) -> None:
    """Let the post view see what was stored (django-comments-xtd's receiver, connected first, stored it)."""
    request.reader_comment_posted = comment
