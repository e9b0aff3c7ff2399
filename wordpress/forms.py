"""The admin's import form: an export, optionally the uploads zip, and where the sections go."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import targets, uploads


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (WXR)",
        help_text="The XML file from Tools › Export in WordPress.",
    )
    media = forms.FileField(
        label="Uploads (zip, optional)",
        required=False,
        help_text="A zip of wp-content/uploads: the images the stories show.",
    )
    section_root = forms.ModelChoiceField(
        label="Put the sections under",
        queryset=targets.SECTION_MODEL.objects.none(),
        required=False,
        empty_label="The home page (top level)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = targets.home_page()
        self.fields["section_root"].queryset = targets.SECTION_MODEL.objects.descendant_of(home).order_by(
            "path"
        )

    def clean_export(self):
        export = self.cleaned_data["export"]
        try:
            uploads.check_export(export)
        except uploads.UploadRefused as exc:
            raise ValidationError(str(exc)) from exc
        return export

    def clean_media(self):
        media = self.cleaned_data.get("media")
        if media:
            try:
                uploads.check_media_zip(media)
            except uploads.UploadRefused as exc:
                raise ValidationError(str(exc)) from exc
        return media
