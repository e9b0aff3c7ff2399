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

from PIL.Image import DecompressionBombWarning

from django.core.exceptions import ValidationError
from django.core.files import File

from wagtail.images.fields import WagtailImageField


def upload_refusal(file: Path) -> str | None:
    """Why the admin's image upload would refuse `file`, or None when it would take it."""
    field = WagtailImageField()
    try:
        # The form reads the whole file into memory before it checks the size: check first.
        field.check_image_file_size(SimpleNamespace(size=file.stat().st_size))
        with file.open("rb") as handle, warnings.catch_warnings():
            # Pillow's warning for a large bitmap says nothing the site's own pixel limit does not.
            warnings.simplefilter("ignore", DecompressionBombWarning)
            field.clean(File(handle, name=file.name))
    except ValidationError as exc:
        return " ".join(exc.messages)
    except OSError as exc:
        return f"could not be read ({exc.strerror or type(exc).__name__})"
    return None
