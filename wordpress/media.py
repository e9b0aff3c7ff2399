"""The admin's image upload checks, for files the import takes from --media-dir.

An uploads folder is as untrusted as the export: a file becomes a Wagtail image
only if the admin's upload form would have accepted it. The checks are the
form field's own (WagtailImageField), so the site's WAGTAILIMAGES_EXTENSIONS,
WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILIMAGES_MAX_IMAGE_PIXELS apply to the
import exactly as to an editor: no SVG unless the site allows SVG, the bytes
in the format the name says (an SVG or HTML page named .png is refused), and
no bitmap larger than the site decodes.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from types import SimpleNamespace

from PIL import Image as PILImage

from django.core.exceptions import ValidationError
from django.core.files import File

from wagtail.images.fields import WagtailImageField


def upload_refusal(file: Path) -> str | None:
    """Why the admin's image upload would refuse `file`, or None when it would take it."""
    field = WagtailImageField()
    try:
        with warnings.catch_warnings():
            # Pillow's warning for a large bitmap says nothing the site's own pixel limit does not.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            # The form reads the whole file into memory before it checks the size, and decodes
            # the whole bitmap to count its pixels: both limits are checked first, cheaply.
            field.check_image_file_size(SimpleNamespace(size=file.stat().st_size))
            _check_pixels_in_header(field, file)
            with file.open("rb") as handle:
                field.clean(File(handle, name=file.name))
    except ValidationError as exc:
        return " ".join(exc.messages)
    except OSError as exc:
        return f"could not be read ({exc.strerror or type(exc).__name__})"
    return None


def _check_pixels_in_header(field: WagtailImageField, file: Path) -> None:
    """The field's pixel limit, from the dimensions in the file's header (nothing decoded).

    A 17 KB PNG can hold 12,000 × 12,000 pixels; counting them the field's way costs
    a 144 MB bitmap. Files Pillow cannot read are left to the field's checks.
    """
    if field.max_image_pixels is None:
        return
    try:
        with PILImage.open(file) as image:
            width, height = image.size
    except (PILImage.DecompressionBombError, PILImage.UnidentifiedImageError, OSError, ValueError):
        return
    if width * height > field.max_image_pixels:
        raise ValidationError(
            field.error_messages["file_too_many_pixels"]
            % {"num_pixels": width * height, "max_pixels_count": field.max_image_pixels},
            code="file_too_many_pixels",
        )
