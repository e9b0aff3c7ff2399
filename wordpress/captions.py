"""An attachment's caption (its excerpt in the export) as the imported image's caption and credit.

WordPress keeps a picture's caption in the attachment's excerpt (and copies it
from the file's IPTC caption on upload). The image in the library takes it,
and a credit the caption ends with ("… Photo: Jane Doe/Reuters") becomes the
image's credit (core.image_metadata.split_credit).

Only empty fields are filled: what the file's own metadata gave on upload
agrees with WordPress's copy of it, and an editor's change survives a re-import.
A body's [caption] shortcode keeps going to its image block's caption
(wordpress.content).
"""

from __future__ import annotations

import html

from django.utils.html import strip_tags

from core.image_credits import ImageCredit
from core.image_metadata import CAPTION_MAX_LENGTH, CREDIT_MAX_LENGTH, clean_metadata_text, split_credit


def caption_and_credit(excerpt: str) -> tuple[str, str]:
    """The caption and the credit an attachment's excerpt holds (HTML, entities and all)."""
    text = clean_metadata_text(html.unescape(strip_tags(excerpt or "")), CAPTION_MAX_LENGTH * 2)
    caption, credit = split_credit(text)
    return clean_metadata_text(caption, CAPTION_MAX_LENGTH), clean_metadata_text(credit, CREDIT_MAX_LENGTH)


def store_attachment_caption(image_id: int | str | None, excerpt: str) -> None:
    """Give the image imported for an attachment the caption and credit of its excerpt,
    where it has none yet. Nothing to do (no query) without an image or a caption."""
    if not image_id:
        return
    caption, credit = caption_and_credit(excerpt)
    if not caption and not credit:
        return
    row = ImageCredit.objects.filter(image_id=image_id).first() or ImageCredit(image_id=image_id)
    changed = False
    for name, value in (("caption", caption), ("credit", credit)):
        if value and not getattr(row, name):
            setattr(row, name, value)
            changed = True
    if changed:
        row.save()
