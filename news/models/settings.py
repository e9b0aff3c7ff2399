from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import register_setting

from core.models import SiteSetting


@register_setting(icon="link")
class DiscoverySettings(SiteSetting):
    """How readers move on from a story to the next one."""

    related_count = models.PositiveSmallIntegerField(
        "related items per article",
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
        help_text="Slots in the 'You may also like' panel: editors' picks, then automatic ones.",
    )

    panels = [FieldPanel("related_count")]

    class Meta:
        verbose_name = "discovery"
