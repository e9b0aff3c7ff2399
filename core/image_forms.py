"""Wagtail's image form with the picture's caption, credit and rights (WAGTAILIMAGES_IMAGE_FORM_BASE).

Every form Wagtail builds for images starts from this one: add, edit, the
multiple upload and its per-image forms, the chooser's upload. The credit
fields are form fields, not the image model's: they are saved to the image's
`ImageCredit` row (core.image_credits) after the image itself.

On a new image an empty field keeps what the file said (the upload fills the
row from its IPTC, XMP or EXIF first); on an existing one the form is the
truth, so an editor can clear a wrong credit, except that a replaced file fills
the fields left empty.
"""

from __future__ import annotations

from django import forms
from django.db import transaction

from wagtail.images.forms import BaseImageForm

from .image_credits import CREDIT_FIELDS, ImageCredit, credit_of, fill_from_file, save_credit
from .renditions import prepare_changed_crops

FOCAL_POINT_FIELDS = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")


def _credit_form_field(name: str) -> forms.Field:
    field = ImageCredit._meta.get_field(name).formfield()
    if name == "caption":
        field.widget = forms.Textarea(attrs={"rows": 2, "maxlength": field.max_length})
    return field


class ImageForm(BaseImageForm):
    caption = _credit_form_field("caption")
    credit = _credit_form_field("credit")
    copyright_notice = _credit_form_field("copyright_notice")
    source_url = _credit_form_field("source_url")
    licence_url = _credit_form_field("licence_url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._adding = self.instance.pk is None
        row = credit_of(self.instance) if not self._adding else None
        if row is not None:
            for name in CREDIT_FIELDS:
                if name in self.fields:
                    self.initial.setdefault(name, getattr(row, name))

    def _save_m2m(self) -> None:
        # Django calls this after saving the image (and a view that saved with
        # commit=False calls it through save_m2m): the image has its id by now.
        super()._save_m2m()
        values = {name: self.cleaned_data.get(name, "") for name in CREDIT_FIELDS if name in self.fields}
        save_credit(self.instance, values, keep_filled=self._adding)
        if not self._adding and "file" in self.changed_data:
            # A new file for an existing image: what it says fills the fields the editor left empty.
            fill_from_file(self.instance)
        if not self._adding and any(name in self.changed_data for name in FOCAL_POINT_FIELDS):
            # New crops around the new focal point, made by the worker before readers ask.
            image_id = self.instance.pk
            transaction.on_commit(lambda: prepare_changed_crops(image_id))
