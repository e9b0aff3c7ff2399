"""Serializer fields for the API, importable from models (core.api holds the viewsets)."""

from __future__ import annotations

import logging

from rest_framework.fields import Field

from wagtail.api.utils import get_full_url
from wagtail.images.api.fields import ImageRenditionField

from .image_credits import CREDIT_FIELDS, credit_of
from .images import RENDITION_FAILURES

logger = logging.getLogger(__name__)


class SiteImageRenditionField(ImageRenditionField):
    """A rendition whose `full_url` is on the site that answered, like every other API URL.

    Wagtail's own builds it from WAGTAILADMIN_BASE_URL, the admin's address.
    An image that cannot become the rendition (see core.images.RENDITION_FAILURES)
    shows as no image, null, as when there is none; Wagtail's own answers a
    missing file with {"error": "SourceImageIOError"} and fails on the rest.
    """

    def to_representation(self, image):
        try:
            data = super().to_representation(image)
        except RENDITION_FAILURES as error:
            logger.warning("No API rendition of image %s (%s): %r", image.pk, image.file.name, error)
            return None
        request = self.context.get("request")
        if "url" in data and request is not None:
            data["full_url"] = get_full_url(request, data["url"])
        return data


class ImageCreditField(Field):
    """An image's caption, credit, copyright notice, source and licence, as the pages show
    them (core.image_credits); every value an empty string for an image nobody credited."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, image) -> dict[str, str]:
        row = credit_of(image)
        return {name: getattr(row, name) if row is not None else "" for name in CREDIT_FIELDS}
