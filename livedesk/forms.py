"""The live desk's entry form: the usual rich-text editor, an optional image or embed."""

from __future__ import annotations

from django import forms
from django.utils.html import strip_tags

from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.embeds.finders import get_finders
from wagtail.images.widgets import AdminImageChooser

from news.blocks import RICH_TEXT_FEATURES
from news.models import LiveBlogEntry

# An entry is a short update; beyond this (stored HTML) it belongs in an article.
MAX_ENTRY_LENGTH = 20_000
EMPTY_ENTRY = "Write the entry, or add an image or an embed."
TOO_LONG = "This entry is too long ({length:,} characters with its markup; at most {limit:,})."
NO_EMBED_PROVIDER = "No embed provider knows this address: use a link to a video or a post."


class EntryEditor(DraftailRichTextArea):
    """The usual rich-text editor; a value that is not the editor's state counts as an empty box
    (Wagtail's own raises, a 500)."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return ""


class EntryForm(forms.ModelForm):
    class Meta:
        model = LiveBlogEntry
        fields = ["headline", "body", "image", "embed_url"]
        widgets = {
            "headline": forms.TextInput(attrs={"placeholder": "Optional headline"}),
            "body": EntryEditor(features=RICH_TEXT_FEATURES),
            "image": AdminImageChooser(),
        }
        labels = {"body": "Entry"}

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        if len(body) > MAX_ENTRY_LENGTH:
            raise forms.ValidationError(TOO_LONG.format(length=len(body), limit=MAX_ENTRY_LENGTH))
        # The editor sends an empty paragraph for an empty box.
        return body if strip_tags(body).strip() else ""

    def clean_embed_url(self) -> str:
        url = self.cleaned_data.get("embed_url") or ""
        # Checked against the providers' address patterns: nothing is fetched while the editor waits.
        if url and not any(finder.accept(url) for finder in get_finders()):
            raise forms.ValidationError(NO_EMBED_PROVIDER)
        return url

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("body") or cleaned.get("image") or cleaned.get("embed_url")):
            raise forms.ValidationError(EMPTY_ENTRY)
        return cleaned
