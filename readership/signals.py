"""Publishing and unpublishing change which stories count: the next view looks them up again."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .counter import forget_countable


@receiver(page_published)
@receiver(page_unpublished)
def refresh_countable_stories(sender: type, instance: Page, **kwargs: Any) -> None:
    forget_countable()


@receiver(post_delete, sender=Page)
def refresh_after_delete(sender: type, instance: Page, **kwargs: Any) -> None:
    forget_countable()
