"""Serializer fields for the API, importable from models (core.api holds the viewsets)."""

from __future__ import annotations

from wagtail.api.utils import get_full_url
from wagtail.images.api.fields import ImageRenditionField


class SiteImageRenditionField(ImageRenditionField):
    """A rendition whose `full_url` is on the site that answered, like every other API URL.

    Wagtail's own builds it from WAGTAILADMIN_BASE_URL, the admin's address.
    """

    def to_representation(self, image):
        data = super().to_representation(image)
        request = self.context.get("request")
        if "url" in data and request is not None:
            data["full_url"] = get_full_url(request, data["url"])
        return data
