"""Views of each story per hour: the only thing readership stores."""

from __future__ import annotations

from django.db import models


class HourlyViews(models.Model):
    """How many times a story was read in one hour (UTC), nothing about who read it."""

    story = models.ForeignKey("news.StoryPage", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(help_text="The start of the hour, UTC.")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "hourly views"
        verbose_name_plural = "hourly views"
        constraints = [
            models.UniqueConstraint(fields=["story", "hour"], name="readership_one_row_per_story_hour")
        ]
        # "Most read" and the dashboard sum a window of hours over every story.
        indexes = [models.Index(fields=["hour", "story"], name="readership_hour_story")]

    def __str__(self) -> str:
        return f"{self.story_id} at {self.hour:%Y-%m-%d %H:00}: {self.views}"
