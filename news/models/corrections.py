"""Corrections and updates: dated notes editors add to a published story.

Readers see them on the story, newest first; corrections also appear in the
story's JSON-LD and on the site's corrections page, the public record of what
the newsroom got wrong and put right.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"


class StoryCorrection(Orderable):
    """One dated note on a story: a correction of an error, or an update with new facts."""

    page = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=10,
        choices=CorrectionKind.choices,
        default=CorrectionKind.CORRECTION,
        help_text="A correction fixes an error and is listed on the corrections page; "
        "an update adds new facts.",
    )
    date = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="When the story was corrected or updated; not later than now.",
    )
    text = models.TextField(
        max_length=2000,
        help_text="For readers: what was wrong and what is right, or what was added. "
        "e.g. “An earlier version misstated the number of patients: it is 36, not 63.”",
    )

    panels = [FieldPanel("kind"), FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.date is not None and self.date > timezone.now():
            raise ValidationError({"date": "A correction or update cannot be dated in the future."})

    @property
    def is_correction(self) -> bool:
        return self.kind == CorrectionKind.CORRECTION


@receiver(post_save, sender=StoryCorrection, dispatch_uid="news_correction_saved")
@receiver(post_delete, sender=StoryCorrection, dispatch_uid="news_correction_deleted")
def keep_latest_note_date(sender, instance: StoryCorrection, raw: bool = False, **kwargs) -> None:
    """Keep the story's `latest_note_at` true when a note is saved or deleted on its own."""
    if raw:
        return
    story_model = sender._meta.get_field("page").related_model
    latest = sender.objects.filter(page_id=instance.page_id).aggregate(latest=models.Max("date"))["latest"]
    story_model.objects.filter(pk=instance.page_id).update(latest_note_at=latest)
