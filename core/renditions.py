"""Pictures made before the first reader asks for them.

Wagtail makes a rendition the first time a page shows it, inside that
reader's request: a story with five new large images took seconds on its first
view. An uploaded image and the images of a published page get their story
sizes (core.images' named families) from a background task instead.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import page_published

from .images import RENDITIONS, SHARE_RENDITIONS, RenditionFamily, get_renditions, keeps_its_format
from .tasks import enqueue_or_run, retried_task

logger = logging.getLogger(__name__)

# What a story shows of any of its pictures: cards, the lead and body sizes,
# and the sharing and structured-data crops. (Author portraits and logos are
# made on first view: few pictures, each shown on many pages.)
STORY_PICTURES = ("card", "card_wide", "lead", "body", *SHARE_RENDITIONS)
# Seconds one worker may hold an image to make its pictures (a huge original takes long).
MAKING_TIMEOUT = 600


def story_picture_specs(image: AbstractImage) -> list[str]:
    """The filter specs of STORY_PICTURES for `image` (no WebP copy of a GIF)."""
    specs: dict[str, None] = {}
    for name in STORY_PICTURES:
        entry = RENDITIONS[name]
        if isinstance(entry, str):
            specs[entry] = None
        else:
            family: RenditionFamily = entry
            specs.update(dict.fromkeys(family.specs if keeps_its_format(image) else family.all_specs))
    return list(specs)


@retried_task(attempts=3, first_wait=timedelta(minutes=1))
def make_story_pictures(image_ids: list[int]) -> int:
    """Make the story sizes of each image that has none of them yet; the number of images done."""
    done = 0
    for image in get_image_model().objects.filter(pk__in=image_ids):
        # An upload and a publish queue the same image, and two workers may take
        # both at once: one makes the files, the other leaves it. (None: the
        # cache is down and cannot tell; made anyway.)
        lock = f"newsroom:making-pictures:{image.pk}"
        if cache.add(lock, True, MAKING_TIMEOUT) is False:
            continue
        try:
            renditions = get_renditions(image, story_picture_specs(image))
        finally:
            cache.delete(lock)
        done += bool(renditions)
    return done


def images_on_page(page: Page) -> list[int]:
    """The ids of the images `page` shows (fields, inline panels, StreamField blocks)."""
    image_type = ContentType.objects.get_for_model(get_image_model())
    found = ReferenceIndex._extract_references_from_object(page.specific)
    return sorted({int(object_id) for type_id, object_id, *_ in found if type_id == image_type.pk})


def _enabled() -> bool:
    return getattr(settings, "NEWSROOM_PREPARE_RENDITIONS", True)


@receiver(page_published, dispatch_uid="core_prepare_page_pictures")
def prepare_page_pictures(sender, instance: Page, **kwargs) -> None:
    if not _enabled():
        return
    image_ids = images_on_page(instance)
    if image_ids:
        transaction.on_commit(lambda: enqueue_or_run(make_story_pictures, image_ids))


def prepare_uploaded_picture(
    sender, instance: AbstractImage, created: bool = False, raw: bool = False, **kwargs
) -> None:
    if created and not raw and _enabled():
        transaction.on_commit(lambda: enqueue_or_run(make_story_pictures, [instance.pk]))


def prepare_changed_crops(image_id: int) -> None:
    """An editor moved an image's focal point: its story crops are made again around it.

    Wagtail keys each crop by the focal point, so the old crops are never shown
    again once a page renders anew; this makes the new ones before a reader asks.
    """
    if _enabled():
        enqueue_or_run(make_story_pictures, [image_id])


def connect_image_receivers() -> None:
    """On the site's image model, whichever it is (WAGTAILIMAGES_IMAGE_MODEL)."""
    from .image_credits import connect_receivers

    # The credit first: the file's metadata is read while the upload is still at hand.
    connect_receivers()
    post_save.connect(
        prepare_uploaded_picture, sender=get_image_model(), dispatch_uid="core_prepare_uploaded"
    )
