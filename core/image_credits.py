"""Caption, credit, copyright notice, source and licence of each picture in the image library.

Wagtail's own image model stays as it is: these live beside it, one row per
image (`ImageCredit`, its primary key the image's), edited in Wagtail's image
form (core.image_forms) and filled from the file's IPTC, XMP or EXIF when the
image is created (core.image_metadata). An image without a row has none of
them. docs/pictures.md says why a side table and not a custom image model.

What a page shows: the credit and caption its editor wrote where the picture
is used (the story's lead image fields, an image block's own), else the
image's. Pages load the rows with their images (`CREDIT_RELATION` joined in the
same query), so a picture's credit costs no query of its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from .image_metadata import (
    CAPTION_MAX_LENGTH,
    COPYRIGHT_MAX_LENGTH,
    CREDIT_MAX_LENGTH,
    URL_MAX_LENGTH,
    PictureMetadata,
    read_picture_metadata,
)

logger = logging.getLogger(__name__)

# The image's accessor for its row: `image.credit_info`, and `select_related("credit_info")`.
CREDIT_RELATION = "credit_info"
# The editable fields, in the order the image form shows them.
CREDIT_FIELDS = ("caption", "credit", "copyright_notice", "source_url", "licence_url")

# A credit that already says what it credits ("Illustration: …", "© …") is shown as it is;
# any other gets "Photo: " before it.
_NAMES_ITS_KIND = re.compile(
    r"^\s*(?:(?:photo|photograph|picture|image|illustration|graphic|drawing|cartoon|map|chart|"
    r"video|still|screenshot|credit|courtesy|source|handout|copyright)\b|©|\(c\))",
    re.IGNORECASE,
)


class ImageCredit(models.Model):
    """Who made a picture and on what terms; one row per image, none when nothing is known."""

    image = models.OneToOneField(
        "wagtailimages.Image",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name=CREDIT_RELATION,
    )
    caption = models.CharField(
        max_length=CAPTION_MAX_LENGTH,
        blank=True,
        help_text="Shown under the picture where the story gives it none of its own.",
    )
    credit = models.CharField(
        max_length=CREDIT_MAX_LENGTH,
        blank=True,
        help_text="Who made it and for whom, as readers see it: “Jane Doe / Reuters”. "
        "Shown as “Photo: …” under the picture and given to search engines.",
    )
    copyright_notice = models.CharField(
        max_length=COPYRIGHT_MAX_LENGTH, blank=True, help_text="e.g. “© 2025 Reuters”."
    )
    source_url = models.URLField(
        "source URL",
        max_length=URL_MAX_LENGTH,
        blank=True,
        help_text="Where the picture comes from, or where others may license it.",
    )
    licence_url = models.URLField(
        "licence URL",
        max_length=URL_MAX_LENGTH,
        blank=True,
        help_text="The licence it is used under, e.g. https://creativecommons.org/licenses/by/4.0/",
    )

    class Meta:
        app_label = "core"
        verbose_name = "image credit"

    def __str__(self) -> str:
        return self.credit or f"Image {self.image_id}"

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CREDIT_FIELDS}


def _relation():
    """The reverse one-to-one as Django caches it on an image (`is_cached`, `set_cached_value`)."""
    return ImageCredit._meta.get_field("image").remote_field


def _is_image(obj) -> bool:
    return isinstance(obj, ImageCredit._meta.get_field("image").related_model)


def credit_is_loaded(image) -> bool:
    """True when the image carries its row (or knows it has none): reading it costs no query."""
    return _is_image(image) and _relation().is_cached(image)


def credit_of(image) -> ImageCredit | None:
    """The image's row, None without one: from what its query joined, else one query (kept)."""
    if image is None or not _is_image(image) or image.pk is None:
        return None
    relation = _relation()
    if not relation.is_cached(image):
        attach_credits([image])
    return relation.get_cached_value(image)


def attach_credits(images: Iterable) -> None:
    """Give every image its row (or None) in one query, skipping those that have it loaded."""
    relation = _relation()
    wanted: dict[int, list] = {}
    for image in images:
        if image is not None and _is_image(image) and image.pk is not None and not relation.is_cached(image):
            wanted.setdefault(image.pk, []).append(image)
    if not wanted:
        return
    rows = ImageCredit.objects.in_bulk(list(wanted))
    for image_id, same in wanted.items():
        for image in same:
            relation.set_cached_value(image, rows.get(image_id))


def credit_text(image, own: str = "") -> str:
    """The credit shown for `image`: `own` (where the picture is used) when given, else the image's."""
    return _shown(image, own, "credit")


def caption_text(image, own: str = "") -> str:
    """The caption shown for `image`: `own` when given, else the image's."""
    return _shown(image, own, "caption")


def _shown(image, own: str, field: str) -> str:
    own = (own or "").strip()
    if own:
        return own
    row = credit_of(image)
    return getattr(row, field).strip() if row is not None else ""


def credit_label(credit: str) -> str:
    """The word shown before a credit: "Photo:", or "" for a credit that names its own kind
    ("Illustration: …", "© …", "Photo: …")."""
    credit = credit.strip()
    if not credit or _NAMES_ITS_KIND.match(credit):
        return ""
    return "Photo:"


def credit_line(credit: str) -> str:
    """“Photo: Jane Doe / Reuters” as one text (see `credit_label`)."""
    label = credit_label(credit)
    return f"{label} {credit.strip()}" if label else credit.strip()


# Filled from the file


def save_credit(
    image, values: dict[str, str], keep_filled: bool = False, only_empty: bool = False
) -> ImageCredit | None:
    """Store `values` (some of CREDIT_FIELDS) as the image's credit.

    `keep_filled`: an empty value leaves what the row holds (an upload whose form
    left a field empty keeps what the file said). `only_empty`: a value fills a
    field only where the row holds nothing (what an editor wrote stays). No row
    is made for nothing.
    """
    values = {name: (values.get(name) or "").strip() for name in CREDIT_FIELDS if name in values}
    row = ImageCredit.objects.filter(image_id=image.pk).first()
    if row is None:
        if not any(values.values()):
            _relation().set_cached_value(image, None)
            return None
        row = ImageCredit(image_id=image.pk)
    changed = False
    for name, value in values.items():
        if (keep_filled and not value) or (only_empty and getattr(row, name)):
            continue
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed or row._state.adding:
        row.save()
    _relation().set_cached_value(image, row)
    return row


def metadata_of_image(image) -> PictureMetadata:
    """What the image's file says (see core.image_metadata); empty when the file cannot be read."""
    try:
        with image.open_file() as file:
            return read_picture_metadata(file)
    except Exception as error:  # a missing or unreadable file: no metadata, no error
        logger.warning("Metadata of image %s left unread: %r", image.pk, error)
        return PictureMetadata()


def fill_from_file(image, overwrite: bool = False) -> ImageCredit | None:
    """Fill the image's empty credit fields (all of them with `overwrite`) from its file."""
    metadata = metadata_of_image(image)
    if not metadata:
        return None
    return save_credit(image, metadata.as_dict(), keep_filled=not overwrite, only_empty=not overwrite)


def fill_credit_on_upload(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """A new image takes what its file says about it (fixtures loaded raw are left alone)."""
    if created and not raw:
        fill_from_file(instance)


def credit_changed(sender, instance: ImageCredit, raw: bool = False, **kwargs) -> None:
    """Cached fragments showing pictures (a story's body) are rendered again: at once, and
    once more when the change commits, so a reader rendering in between cannot keep the old credit."""
    from .fragments import media_changed

    if raw:
        return
    media_changed(sender, instance)
    transaction.on_commit(lambda: media_changed(sender, instance))


def connect_receivers() -> None:
    """On the site's image model: fill from the file on creation; cached fragments follow a change."""
    from wagtail.images import get_image_model

    post_save.connect(fill_credit_on_upload, sender=get_image_model(), dispatch_uid="core_image_credit_fill")
    post_save.connect(credit_changed, sender=ImageCredit, dispatch_uid="core_fragments_image_credit_saved")
    post_delete.connect(credit_changed, sender=ImageCredit, dispatch_uid="core_fragments_image_credit_gone")
