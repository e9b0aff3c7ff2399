"""Reader comments: the switch pages opt in with, site-wide settings, screening and flags.

The comments themselves are django-comments-xtd's `XtdComment`; `ReaderComment`
is a proxy of it so the admin and permissions speak of "reader comments", never
of Wagtail's editorial comments. A page type takes comments by inheriting
`ReaderCommentsMixin`; nothing here knows which page types do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django_comments_xtd.models import XtdComment

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.models import Page

from core.models import SiteSetting
from core.privacy import is_expired

from .threads import comment_count_annotation, thread_count_annotation


class ReaderCommentsMode(models.TextChoices):
    OPEN = "open", "Open: readers may comment"
    CLOSED = "closed", "Closed: comments stay readable, no new ones"
    HIDDEN = "hidden", "Hidden: no comments shown"


class ReaderCommentsMixin(models.Model):
    """Opts a page type in to reader comments: the editors' switch and when comments close.

    Put it before the base page in the bases; add `reader_comments_panels` to
    the settings panels.
    """

    reader_comments = models.CharField(
        "reader comments",
        max_length=8,
        choices=ReaderCommentsMode.choices,
        default=ReaderCommentsMode.OPEN,
        help_text="Comments also close by themselves after publication (Settings › Reader comments).",
    )

    reader_comments_panels = [MultiFieldPanel([FieldPanel("reader_comments")], heading="Reader comments")]

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The page's path; django-comments-xtd redirects and emails build on it."""
        url_parts = self.get_url_parts() if isinstance(self, Page) else None
        return url_parts[2] if url_parts else ""

    @classmethod
    def get_serve_queryset(cls) -> models.QuerySet:
        """The page with its comment and thread counts, counted in the query that loads it."""
        parent = getattr(super(), "get_serve_queryset", None)
        queryset = parent() if parent is not None else cls._default_manager.all()
        return queryset.annotate(
            reader_comment_count=comment_count_annotation(),
            reader_thread_count=thread_count_annotation(),
        )

    @property
    def reader_comments_shown(self) -> bool:
        return self.reader_comments != ReaderCommentsMode.HIDDEN

    def reader_comments_published_at(self) -> datetime | None:
        """When the discussion started, for the automatic close: the first publication."""
        return getattr(self, "first_published_at", None)

    def reader_comments_close_at(self, close_after_days: int) -> datetime | None:
        """When comments close by themselves; None when they never do."""
        published = self.reader_comments_published_at()
        if not close_after_days or published is None:
            return None
        return published + timedelta(days=close_after_days)

    def reader_comments_open(self, close_after_days: int, now: datetime | None = None) -> bool:
        """Whether readers may post now: switched on, published, unexpired, not past the automatic close."""
        if self.reader_comments != ReaderCommentsMode.OPEN or not getattr(self, "live", True):
            return False
        now = now or timezone.now()
        # Comments close with the page, before Wagtail's scheduled-publishing command unpublishes it.
        if is_expired(self, now):
            return False
        close_at = self.reader_comments_close_at(close_after_days)
        return close_at is None or now < close_at


def commentable_models() -> list[type[models.Model]]:
    """Every concrete model that takes reader comments."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ReaderCommentsMixin) and not model._meta.abstract
    ]


def commentable_content_types() -> list[ContentType]:
    """Content types of the commentable models (cached by Django after the first look-up)."""
    return list(ContentType.objects.get_for_models(*commentable_models(), for_concrete_models=False).values())


class CommentStatus(models.TextChoices):
    HELD = "held", "Awaiting moderation"
    PUBLIC = "public", "Public"
    REMOVED = "removed", "Removed"
    SPAM = "spam", "Spam"


class ReaderCommentQuerySet(models.QuerySet):
    def public(self) -> ReaderCommentQuerySet:
        # Screening keeps spam non-public, so the two flags say it all.
        return self.filter(is_public=True, is_removed=False)

    def held(self) -> ReaderCommentQuerySet:
        return self.filter(is_public=False, is_removed=False).exclude(screening__is_spam=True)

    def spam(self) -> ReaderCommentQuerySet:
        return self.filter(screening__is_spam=True)

    def removed(self) -> ReaderCommentQuerySet:
        return self.filter(is_removed=True).exclude(screening__is_spam=True)

    def with_status(self, status: str) -> ReaderCommentQuerySet:
        return {
            CommentStatus.HELD: self.held,
            CommentStatus.PUBLIC: self.public,
            CommentStatus.REMOVED: self.removed,
            CommentStatus.SPAM: self.spam,
        }[CommentStatus(status)]()


class ReaderComment(XtdComment):
    """A comment a reader left under an article (django-comments-xtd's model)."""

    objects = models.Manager.from_queryset(ReaderCommentQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "reader comment"
        verbose_name_plural = "reader comments"
        ordering = ["-submit_date", "-pk"]

    def __str__(self) -> str:
        text = " ".join(self.comment.split())
        return f"{self.user_name}: {text[:60]}{'…' if len(text) > 60 else ''}"

    @property
    def status(self) -> CommentStatus:
        screening = getattr(self, "screening", None)
        if screening is not None and screening.is_spam:
            return CommentStatus.SPAM
        if self.is_removed:
            return CommentStatus.REMOVED
        if self.is_public:
            return CommentStatus.PUBLIC
        return CommentStatus.HELD

    @property
    def status_label(self) -> str:
        return self.status.label


def already_stored(comment: dict) -> XtdComment | None:
    """The comment stored from this post or confirmation link before (a double submit, a link opened twice).

    django-comments-xtd's own test: the same author, email, follow-up choice and the form's submit time.
    """
    return XtdComment.objects.filter(
        user_name=comment.get("user_name"),
        user_email=comment.get("user_email"),
        followup=comment.get("followup"),
        submit_date=comment.get("submit_date"),
    ).first()


class CommentScreening(models.Model):
    """Why the spam defence held a comment back, or decided it is spam.

    Kept apart from the comment table, which belongs to django-comments-xtd.
    """

    comment = models.OneToOneField(
        XtdComment, on_delete=models.CASCADE, primary_key=True, related_name="screening"
    )
    is_spam = models.BooleanField(default=False, db_index=True)
    reasons = models.TextField(blank=True)
    checked_with_akismet = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "comment screening"

    def __str__(self) -> str:
        return f"{'Spam' if self.is_spam else 'Held'}: {self.reasons}"


class ReaderFlag(models.Model):
    """A reader's report that a comment breaks the rules; one per reader and comment.

    Anonymous readers are told apart by a keyed hash of their IP address, so no
    address is stored.
    """

    comment = models.ForeignKey(XtdComment, on_delete=models.CASCADE, related_name="reader_flags")
    reporter = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_reader_flag_per_reporter")
        ]

    def __str__(self) -> str:
        return f"Flag on comment {self.comment_id}"


@register_setting(icon="comment")
class ReaderCommentSettings(SiteSetting):
    auto_close_after_days = models.PositiveIntegerField(
        default=30,
        help_text="Close comments this many days after an article is first published; 0 never closes them.",
    )
    max_depth = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(settings.READER_COMMENTS_MAX_DEPTH_LIMIT)],
        help_text="How many levels of replies a thread may have below its first comment.",
    )
    threads_per_page = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="Top-level comments (with their replies) shown per page.",
    )
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="A comment with more links than this is held for moderation."
    )
    blocklist = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment containing one is held for moderation.",
    )
    min_seconds_to_fill = models.PositiveSmallIntegerField(
        default=3, help_text="A comment sent sooner than this after the form loaded is held."
    )
    rate_limit_posts = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="How many comments one address may send within the period below.",
    )
    rate_limit_minutes = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    flags_to_hide = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Readers' flags after which a comment is hidden until a moderator reviews it.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("auto_close_after_days"), FieldPanel("max_depth"), FieldPanel("threads_per_page")],
            heading="Threads",
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_links"),
                FieldPanel("blocklist"),
                FieldPanel("min_seconds_to_fill"),
                FieldPanel("rate_limit_posts"),
                FieldPanel("rate_limit_minutes"),
                FieldPanel("flags_to_hide"),
            ],
            heading="Spam and abuse",
        ),
    ]

    class Meta:
        verbose_name = "reader comments"

    def blocked_terms(self) -> list[str]:
        return [line.strip().lower() for line in self.blocklist.splitlines() if line.strip()]


class UnsentConfirmation(models.Model):
    """A confirmation email the mail server did not take, with the comment it would publish.

    django-comments-xtd keeps an anonymous comment nowhere but in the signed
    link it emails; when that email cannot be sent, this row keeps the link
    (and so the comment) until `send_pending_mail` gets it out. The public
    never sees it: the comment is stored as a comment only once the link is opened.
    """

    recipient = models.EmailField(max_length=254)
    key = models.TextField(help_text="The signed comment, as in the confirmation link.")
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "unsent comment confirmation"
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return f"Confirmation for {self.recipient} ({self.attempts} attempts)"
