"""Public views for reader comments: posting, replying, flagging and permalinks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django_comments.views.comments import CommentPostBadRequest, post_comment
from django_comments_xtd import get_form
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_comments_xtd.signals import confirmation_received

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import InvalidPage
from django.db import IntegrityError, OperationalError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Page

from core import privacy
from core.purging import purge_comments_pages

from . import mail
from .forms import MAX_ID, settings_for_object
from .models import (
    CommentScreening,
    ReaderComment,
    ReaderCommentSettings,
    ReaderCommentsMixin,
    ReaderFlag,
    already_stored,
    commentable_models,
)
from .spam import is_rate_limited, reporter_key
from .threads import (
    COMMENTS_SHOWN_PER_THREAD,
    PAGE_PARAMETER,
    THREAD_PAGE_SIZE,
    build_threads,
    page_of_comment,
    position_in_thread,
    thread_page,
)

logger = logging.getLogger(__name__)


def parse_id(value: str | int) -> int | None:
    """A database id from user input, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def target_visible_to(request: HttpRequest, target: models.Model | None) -> bool:
    """The article's own visibility rule: a comment shows no more of an article than the article does.

    Live, unexpired, and every view restriction (password, login, groups) passed by this visitor.
    """
    if target is None:
        return False
    if isinstance(target, Page):
        return privacy.visible_to(request, target)
    return getattr(target, "live", True)


def get_public_comment(request: HttpRequest, comment_id: int) -> ReaderComment:
    """A public comment on an article this visitor may read; 404 for anything else.

    Comment ids are sequential, so a side page must not confirm what the
    article itself would not show.
    """
    if parse_id(comment_id) is None:
        raise Http404("No such comment.")
    comment = get_object_or_404(ReaderComment.objects.public(), pk=comment_id)
    if not target_visible_to(request, comment.content_object):
        raise Http404("No such comment.")
    return comment


def commentable_model(label: str) -> type[ReaderCommentsMixin] | None:
    """The commentable model a form's "app_label.model" names; None for any other."""
    return next((model for model in commentable_models() if model._meta.label_lower == label), None)


def visible_target(
    request: HttpRequest, model: type[ReaderCommentsMixin], object_id: int | None
) -> ReaderCommentsMixin | None:
    """The object of `model` with that id, as its own specific type, if this visitor may read it."""
    if object_id is None:
        return None
    target = model._default_manager.filter(pk=object_id).first()
    if target is None or not target_visible_to(request, target):
        return None
    return target


def refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "discussion/refused.html", {"message": message}, status=status)


def permalink(comment: ReaderComment, per_page: int) -> str:
    """The article URL on the threads page that holds the comment, with its anchor;
    past the first replies of a long thread, the thread's own page that holds it."""
    position = position_in_thread(comment)
    if position >= COMMENTS_SHOWN_PER_THREAD:
        page = position // THREAD_PAGE_SIZE + 1
        query = f"?{urlencode({'page': page})}" if page > 1 else ""
        return f"{reverse('reader-comments-thread', args=[comment.thread_id])}{query}#c{comment.pk}"
    article = comment.content_object
    page = page_of_comment(comment, per_page)
    query = f"?{urlencode({PAGE_PARAMETER: page})}" if page > 1 else ""
    return f"{article.get_url()}{query}#c{comment.pk}"


def csrf_protect_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CSRF checks for signed-in readers only.

    Article pages carry the comment form, and a CSRF token in them would make
    every anonymous page view set a cookie and hold per-visitor content, so no
    cache could serve them. An anonymous comment is not posted on anyone's
    behalf: the form's signed hash and timestamp, the honeypot, the rate limit
    and the content checks guard it. A signed-in reader's comment is posted in
    their name, so their forms carry a token and it is checked.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        # Tells django_comments' own csrf_protect that the check is settled.
        request.csrf_processing_done = True
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@csrf_protect_signed_in
@require_POST
@never_cache
def post(request: HttpRequest) -> HttpResponse:
    """Check what the comment form cannot know, then hand over to django_comments.

    Only page types that opt in take comments (django_comments would accept any
    model), only while open, and only so often from one address.
    """
    model = commentable_model(request.POST.get("content_type", ""))
    if model is None:
        return refuse(request, "Comments can only be left on articles.")
    article = visible_target(request, model, parse_id(request.POST.get("object_pk", "")))
    if article is None:
        return refuse(request, "This article does not exist or is not published.")
    site_settings = ReaderCommentSettings.for_request(request)
    if not article.reader_comments_open(site_settings.auto_close_after_days):
        return refuse(request, "Comments are closed on this article.")
    if is_rate_limited(request, site_settings):
        return refuse(
            request,
            "You have sent several comments in a short time. Please wait a few minutes and try again.",
            status=429,
        )
    try:
        # Saved whole or not at all: django-comments-xtd writes a comment in
        # two steps (the row, then its thread), and a failure between them
        # would leave a comment outside any thread on show.
        with transaction.atomic():
            # The fallback `next` is this site's landing page: django_comments'
            # own default is a URL name nothing routes, and a post whose `next`
            # is missing or off-site must still land somewhere.
            response = post_comment(request, next=reverse("reader-comments-posted"))
    except OperationalError:
        # SQLite's "database is locked" or a lost database connection: nothing
        # was stored, and saying so lets the reader send it again safely.
        logger.warning("Comment not stored: database unavailable", exc_info=True)
        response = refuse(
            request,
            "Your comment could not be saved just now and was not stored. Please send it again in a moment.",
            status=503,
        )
        response["Retry-After"] = "5"
        return response
    if getattr(request, "reader_comment_spam", None) is not None:
        # Stored for the record but answered like any held comment: a spammer
        # learns nothing about which check caught it.
        return held_response(request, article)
    if isinstance(response, CommentPostBadRequest):
        # django_comments answers a failed security check with an empty 400.
        return refuse(
            request,
            "This comment form has expired or was altered. "
            "Please reload the article and send your comment again.",
        )
    stored = getattr(getattr(request, "reader_comment_posted", None), "xtd_comment", None)
    if stored is not None and not stored.is_public:
        # Told here, not on a page named by the comment's id: ids are
        # sequential, and that page would tell anyone a held comment exists.
        return held_response(request, article)
    return response


def held_response(request: HttpRequest, article: ReaderCommentsMixin) -> HttpResponse:
    return render(request, "discussion/held.html", {"article": article})


@never_cache
def posted(request: HttpRequest) -> HttpResponse:
    """Where the form lands after posting: the new comment, or why it is not shown yet."""
    key = request.GET.get("c", "")
    if not key.isdigit():
        # A signed key rather than an id: the comment waits for email confirmation.
        return render(request, "discussion/confirm_email.html", status=200 if key else 400)
    comment = (
        ReaderComment.objects.public().filter(pk=parse_id(key)).first() if parse_id(key) is not None else None
    )
    # Only a public comment on an article this visitor may read leads anywhere:
    # the poster of a held comment was told so in the answer to the post.
    if comment is None or not target_visible_to(request, comment.content_object):
        raise Http404("No such comment.")
    per_page = settings_for_object(comment.content_object).threads_per_page
    return HttpResponseRedirect(permalink(comment, per_page))


@never_cache
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """The emailed link that stores an anonymous reader's comment.

    django-comments-xtd's view, except that telling the thread's followers
    cannot fail the request once the comment is stored. Opened again, it
    leads to the comment stored the first time.
    """
    try:
        pending = mail.unsign_comment(key)
    except ValueError:  # A bad signature: nothing in the link is read.
        return refuse(request, "This confirmation link is not valid. Please check you copied all of it.")
    except ObjectDoesNotExist as exc:
        raise Http404("The article of this comment is gone.") from exc
    comment = already_stored(pending)
    if comment is None:
        responses = confirmation_received.send(sender=TmpXtdComment, comment=pending, request=request)
        if any(response is False for _, response in responses):
            return render(request, "django_comments_xtd/discarded.html", {"comment": pending})
        with transaction.atomic():  # The row, then its thread: both or neither.
            comment = XtdComment(**pending)
            comment.save()
        if not comment.is_public:
            return render(request, "django_comments_xtd/moderated.html", {"comment": comment})
        mail.notify_followers(comment)
    return HttpResponseRedirect(comment.get_absolute_url())


def article_redirect(request: HttpRequest, content_type_id: str, object_pk: str) -> HttpResponse:
    """The article a comment belongs to, on this host.

    Stands in for django.contrib.contenttypes' shortcut, which would send the
    reader to the domain of django.contrib.sites' Site, port and all.
    """
    content_type_id, object_id = parse_id(content_type_id), parse_id(object_pk)
    if content_type_id is None or object_id is None:
        raise Http404("Not an article.")
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or model not in commentable_models():
        raise Http404("Not an article.")
    article = visible_target(request, model, object_id)
    if article is None:
        raise Http404("No such article.")
    return HttpResponseRedirect(article.get_url(request))


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Redirect to the page of threads that holds a comment, scrolled to it.

    Moderators follow it from the admin for comments that are not public too,
    to see the discussion around them.
    """
    if request.user.has_perm("discussion.view_readercomment") and parse_id(comment_id):
        comment = get_object_or_404(ReaderComment, pk=comment_id)
    else:
        comment = get_public_comment(request, comment_id)
    site_settings = ReaderCommentSettings.for_request(request)
    return HttpResponseRedirect(permalink(comment, site_settings.threads_per_page))


def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A whole thread, page by page, for threads longer than the article shows.

    Only threads of a published article whose comments are shown, with at
    least one public comment, and only for readers who may see the article.
    """
    root = get_object_or_404(ReaderComment, pk=parse_id(thread_id) or 0, level=0)
    article = root.content_object
    if (
        not isinstance(article, ReaderCommentsMixin)
        or not getattr(article, "live", False)
        or not article.reader_comments_shown
        or not ReaderComment.objects.public().filter(thread_id=root.thread_id).exists()
        or any(not r.accept_request(request) for r in article.get_view_restrictions())
    ):
        raise Http404("No such thread.")
    try:
        comments = thread_page(root, request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page of this thread.") from exc
    site_settings = ReaderCommentSettings.for_request(request)
    return render(
        request,
        "discussion/thread.html",
        {
            "root": root,
            "article": article,
            "threads": build_threads(comments, orphans_lead=True),
            "comments_page": comments,
            "is_open": article.reader_comments_open(site_settings.auto_close_after_days),
            "max_depth": site_settings.max_depth,
            "article_url": permalink(root, site_settings.threads_per_page),
        },
    )


def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A page with the comment and a form to answer it; works without JavaScript."""
    comment = get_public_comment(request, comment_id)
    article = comment.content_object
    if not isinstance(article, ReaderCommentsMixin):
        raise Http404("Not an article comment.")
    site_settings = ReaderCommentSettings.for_request(request)
    if not article.reader_comments_open(site_settings.auto_close_after_days):
        return refuse(request, "Comments are closed on this article.")
    if comment.level >= site_settings.max_depth:
        return refuse(request, "This thread cannot go deeper: reply to an earlier comment instead.")
    form = get_form()(article, comment=comment, initial=initial_for(request))
    return render(
        request,
        "discussion/reply.html",
        {"comment": comment, "article": article, "form": form, "next_url": reverse("reader-comments-posted")},
    )


def initial_for(request: HttpRequest) -> dict:
    if request.user.is_authenticated:
        return {
            "name": request.user.get_full_name() or request.user.get_username(),
            "email": request.user.email,
        }
    return {}


@csrf_protect
@require_http_methods(["GET", "POST"])
@never_cache
def flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A reader reports a comment; enough reports hide it until a moderator looks.

    The article links here and this page asks to confirm: the CSRF token lives on
    this uncached page, not on the article, which stays cacheable.
    """
    comment = get_public_comment(request, comment_id)
    if request.method == "GET":
        return render(
            request, "discussion/flag_confirm.html", {"comment": comment, "article": comment.content_object}
        )
    site_settings = ReaderCommentSettings.for_request(request)
    try:
        with transaction.atomic():
            ReaderFlag.objects.create(comment=comment, reporter=reporter_key(request))
    except IntegrityError:
        pass  # Flagged by the same reader before: one report each.
    flags = ReaderFlag.objects.filter(comment=comment).count()
    if flags >= site_settings.flags_to_hide:
        hidden = ReaderComment.objects.filter(pk=comment.pk, is_public=True).update(is_public=False)
        CommentScreening.objects.update_or_create(
            comment_id=comment.pk, defaults={"reasons": f"reported by {flags} readers"}
        )
        if hidden:
            # A bulk update sends no signal: cached copies of the article still show the comment.
            purge_comments_pages([comment])
    return render(request, "discussion/flagged.html", {"article": comment.content_object})
