"""The live desk's entry form: the usual rich-text editor, an optional image or embed."""

from __future__ import annotations

import html
import re

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
# The alert's text, as for stories' "Publish with alert…" (alerts.Alert.text).
ALERT_TEXT_MAX_LENGTH = 200
ALERT_TOO_LONG = "An alert is at most {limit} characters (this one has {length})."
# Where one paragraph, heading or list item of the entry's HTML ends.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)


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


class NewEntryForm(EntryForm):
    """Posting an entry, and optionally alerting the live blog's followers about it.

    `alerts_available` is False where the site has no push keys: the fields go.
    """

    send_alert = forms.BooleanField(
        label="Send an alert",
        required=False,
        help_text="To the browsers that follow this live blog, once the entry is posted.",
    )
    alert_text = forms.CharField(
        label="Alert text",
        required=False,
        strip=True,
        # No maxlength in the page: a longer text is refused with a message, not cut short while typing.
        widget=forms.TextInput(attrs={"data-live-desk-alert-text": ""}),
        help_text=f"At most {ALERT_TEXT_MAX_LENGTH} characters. Empty: the entry's headline, "
        "else its first line, else the live blog's title.",
    )

    class Media:
        js = ["livedesk/js/entry-alert.js"]

    def __init__(self, *args, alerts_available: bool = False, live_blog_title: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.live_blog_title = live_blog_title
        if alerts_available:
            self.fields["alert_text"].widget.attrs["placeholder"] = live_blog_title
            self.fields["alert_text"].widget.attrs["data-live-blog-title"] = live_blog_title
        else:
            del self.fields["send_alert"], self.fields["alert_text"]

    def clean_alert_text(self) -> str:
        text = " ".join(self.cleaned_data.get("alert_text", "").split())
        if len(text) > ALERT_TEXT_MAX_LENGTH:
            raise forms.ValidationError(ALERT_TOO_LONG.format(limit=ALERT_TEXT_MAX_LENGTH, length=len(text)))
        return text

    def alert_text_for(self, entry) -> str:
        """The text to send: the editor's, or the entry's headline, its first line, or the blog's title."""
        return self.cleaned_data.get("alert_text") or default_alert_text(entry, self.live_blog_title)


def first_line(body_html: str) -> str:
    """The text of the entry's first paragraph (or heading, list item, line)."""
    for block in BLOCK_END.split(body_html or ""):
        text = " ".join(html.unescape(strip_tags(block)).split())
        if text:
            return text
    return ""


def default_alert_text(entry, live_blog_title: str) -> str:
    text = " ".join(entry.headline.split()) or first_line(entry.body) or live_blog_title
    if len(text) > ALERT_TEXT_MAX_LENGTH:
        text = text[: ALERT_TEXT_MAX_LENGTH - 1].rstrip() + "…"
    return text
