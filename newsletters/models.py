"""Lists, subscribers, issues and one delivery row per recipient of an issue."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable


class NewsletterKind(models.TextChoices):
    DAILY = "daily", "Daily briefing"
    SECTION = "section", "Section (weekly)"
    BREAKING = "breaking", "Breaking news"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Newsletter(models.Model):
    """A list readers subscribe to. Daily and section lists compose their own issues."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=NewsletterKind.choices, default=NewsletterKind.DAILY)
    description = models.CharField(max_length=255, blank=True, help_text="One line for the sign-up box.")
    section = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a section list: the section whose stories it carries.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Offered for sign-up and composed on schedule; off keeps its subscribers."
    )
    compose_time = models.TimeField(
        default=time(6, 0),
        help_text="When the issue composes itself (site time zone), for editors to review.",
    )
    send_time = models.TimeField(default=time(7, 0), help_text="When a composed issue goes out unless held.")
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY, help_text="For a weekly list: the day it goes out."
    )
    story_count = models.PositiveSmallIntegerField(default=8, help_text="Stories in a composed issue.")
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first in sign-up boxes.")

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("kind"),
        FieldPanel("description"),
        PageChooserPanel("section", "news.CategoryIndexPage"),
        FieldPanel("is_active"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("compose_time"), FieldPanel("send_time"), FieldPanel("weekday")]),
                FieldPanel("story_count"),
            ],
            heading="Schedule",
        ),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def composes_itself(self) -> bool:
        return self.kind in (NewsletterKind.DAILY, NewsletterKind.SECTION)

    def next_compose_due(self, now: datetime) -> datetime | None:
        """The compose time of the issue due by `now` (today's, or this week's); None if not yet."""
        local = timezone.localtime(now)
        day = local.date()
        if self.kind == NewsletterKind.SECTION:
            day -= timedelta(days=(day.weekday() - self.weekday) % 7)
        due = timezone.make_aware(datetime.combine(day, self.compose_time))
        return due if due <= now else None


class Subscriber(models.Model):
    """One e-mail address. Inactive after a permanent refusal by its mail server."""

    email = models.EmailField(max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_reason = models.CharField(max_length=255, blank=True)
    # Rate limits without the cache: one confirmation e-mail per address per window,
    # and how many an address's network asked for (a salted hash, never the address).
    last_confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    signup_network = models.CharField(max_length=40, blank=True, db_index=True)

    panels = [FieldPanel("email"), FieldPanel("is_active"), FieldPanel("deactivated_reason")]

    class Meta:
        # Readers' pages ask, on every view, which lists an address receives
        # whatever its case (reader_lists.receiving_slugs): this index answers.
        indexes = [models.Index(Lower("email"), name="newsletter_subscriber_lower")]

    def __str__(self) -> str:
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def receiving(self) -> SubscriptionQuerySet:
        """Confirmed, not left, and at an address that still takes mail."""
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, subscriber__is_active=True
        )


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "subscriber"], name="newsletters_one_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.newsletter}"


class IssueStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Goes out on its own"
    HELD = "held", "Held"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Issue(ClusterableModel):
    """One edition of a list: composed by the schedule or written by an editor, then sent once."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="A few words above the stories (plain text).")
    status = models.CharField(
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.HELD,
        help_text="Held issues wait for an editor; the others go out at the send time.",
    )
    send_at = models.DateTimeField(default=timezone.now)
    composed_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The day the schedule composed it for (one per day)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When it started going out; the archive shows issues from then on.
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once every recipient has a delivery row (and a batch task).
    planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)

    # The admin form is IssueViewSet.edit_handler (wagtail_hooks), with the actions panel.

    class Meta:
        ordering = ["-send_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "composed_for"],
                condition=models.Q(composed_for__isnull=False),
                name="newsletters_one_composed_issue_a_day",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:issue", args=[self.newsletter.slug, self.pk])


class IssueStory(Orderable):
    issue = ParentalKey(Issue, on_delete=models.CASCADE, related_name="stories")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page", "news.StoryPage")]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    REFUSED = "refused", "Refused for good (5xx)"
    FAILED = "failed", "Gave up after retries"


class Delivery(models.Model):
    """One recipient of one issue, claimed before its message is sent: sent at most once."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletters_one_delivery")
        ]
        indexes = [models.Index(fields=["issue", "status", "subscriber"], name="newsletters_delivery_batch")]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"


class IssueMessage(models.Model):
    """An issue's e-mail as rendered when it started going out: every batch sends this one.

    Rendering (MJML, the stories' pictures) is done once per issue instead of
    once per batch, and every recipient gets the same e-mail even if the issue
    or its stories are edited while it goes out. The recipient's own links and
    address are placeholders, filled in per message (newsletters.messages).
    """

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, primary_key=True, related_name="message")
    subject = models.CharField(max_length=200)
    html = models.TextField()
    text = models.TextField()
    base_url = models.CharField(max_length=255)
    list_id = models.CharField(max_length=255)
    rendered_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"The e-mail of {self.issue_id}"
