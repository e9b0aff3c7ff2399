"""Rendition specs, named once: templates ask for them by name and listings prefetch the same ones.

A spec written in a template and again in Python drifts apart silently, and a
prefetch of the wrong spec costs a query per image.
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page

RENDITIONS: dict[str, str] = {
    # Cards in lists and "You may also like".
    "card": "fill-480x270",
    # The lead story's card and shared links (OpenGraph, Twitter, JSON-LD).
    "wide": "fill-1200x630",
    # A story's image in structured data, in the three aspect ratios Google
    # asks for (16:9, 4:3, 1:1), each at least 1200 pixels wide.
    "jsonld_16x9": "fill-1200x675",
    "jsonld_4x3": "fill-1200x900",
    "jsonld_1x1": "fill-1200x1200",
    # Images inside a body.
    "body": "width-1000",
    # A story's lead image above the body.
    "lead": "width-1200",
    # Author photos on their pages and in JSON-LD.
    "portrait": "fill-240x240",
    # The publisher's logo in JSON-LD (Google asks for at most 60 pixels high).
    "logo": "height-60",
}


JSON_LD_IMAGE_RENDITIONS = ("jsonld_16x9", "jsonld_4x3", "jsonld_1x1")


def rendition_spec(name: str) -> str:
    """The filter spec registered under `name`; a KeyError names a spec nobody defined."""
    return RENDITIONS[name]


def images_with_renditions(image_ids: Iterable[int], specs: Iterable[str]) -> dict[int, AbstractImage]:
    """The images with these ids, each carrying its renditions of `specs`: one query once
    the renditions exist (the renditions with their images), two before."""
    image_ids, specs = set(image_ids), list(specs)
    if not image_ids:
        return {}
    Image = get_image_model()
    images: dict[int, AbstractImage] = {}
    renditions = Image.get_rendition_model().objects.filter(image_id__in=image_ids, filter_spec__in=specs)
    for rendition in renditions.select_related("image"):
        image = images.setdefault(rendition.image_id, rendition.image)
        image.prefetched_renditions = getattr(image, "prefetched_renditions", [])
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    missing = image_ids - images.keys()
    if missing:
        for image in Image.objects.filter(pk__in=missing):
            # Known to have none yet: Wagtail makes them without looking again.
            image.prefetched_renditions = []
            images[image.pk] = image
    return images


def attach_card_images(pages: Iterable[Page], *spec_names: str) -> None:
    """Load the card images of `pages` with their renditions, in one query once they exist.

    Without this each thumbnail in a list costs its own rendition query.
    """
    pages = list(pages)
    image_ids = set()
    for page in pages:
        for field in ("listing_image_id", "lead_image_id"):
            if getattr(page, field, None):
                image_ids.add(getattr(page, field))
    if not image_ids:
        return
    specs = [rendition_spec(name) for name in spec_names or ("card",)]
    images = images_with_renditions(image_ids, specs)
    for page in pages:
        for field in ("listing_image", "lead_image"):
            image_id = getattr(page, f"{field}_id", None)
            if image_id:
                setattr(page, field, images.get(image_id))
