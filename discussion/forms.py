"""The reader comment form: django-comments-xtd's form with stricter checks."""

from __future__ import annotations

import time

from django_comments_xtd.forms import XtdCommentForm

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from wagtail.models import Page, Site

from .models import ReaderComment, ReaderCommentSettings
from .threads import content_type_of

# How far ahead of this server's clock a form's timestamp may be (servers'
# clocks drift apart). Beyond that the form was not made here: its hash could
# only be right if the secret key had leaked.
CLOCK_SKEW_SECONDS = 60

# Ids beyond what the integer columns hold would crash SQLite's driver rather
# than match nothing.
MAX_ID = 2**31 - 1

NAME_MAX_LENGTH = 50
EMAIL_MAX_LENGTH = 254


def settings_for_object(obj: Page | models.Model) -> ReaderCommentSettings:
    """The reader comment settings of the site that serves `obj`."""
    site = obj.get_site() if hasattr(obj, "get_site") else None
    return ReaderCommentSettings.for_site(site or Site.objects.get(is_default_site=True))


class ReaderCommentForm(XtdCommentForm):
    reply_to = forms.IntegerField(
        required=True, initial=0, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs) -> None:
        # Labels sit above their fields, like the site's other forms: no trailing colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        self.fields["name"].widget.attrs.update(
            {"placeholder": "", "autocomplete": "name", "maxlength": NAME_MAX_LENGTH}
        )
        self.fields["email"] = forms.EmailField(
            label="Email",
            max_length=EMAIL_MAX_LENGTH,
            help_text="Never shown on the site.",
            widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-control"}),
        )
        self.fields["url"].label = "Website (optional)"
        # The comment table stores at most 200 characters of it.
        self.fields["url"].max_length = 200
        self.fields["url"].validators.append(MaxLengthValidator(200))
        self.fields["url"].widget.attrs.update({"placeholder": "", "autocomplete": "url"})
        self.fields["comment"].label = "Comment"
        self.fields["comment"].help_text = "Plain text. Links become clickable; HTML is shown as typed."
        self.fields["comment"].widget.attrs.update(
            # dir="auto": right-to-left text is typed and shown the right way round.
            {"placeholder": "", "rows": 6, "maxlength": self.fields["comment"].max_length, "dir": "auto"}
        )
        self.fields["followup"].label = "Email me when someone replies"
        self.fields["honeypot"].label = "Leave this field empty"
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_timestamp(self) -> int:
        timestamp = super().clean_timestamp()
        if timestamp > time.time() + CLOCK_SKEW_SECONDS:
            raise forms.ValidationError("Timestamp check failed")
        return timestamp

    def clean_reply_to(self) -> int:
        """A reply must answer a public comment on the same article, within the depth limit."""
        parent_id = self.cleaned_data["reply_to"]
        if parent_id == 0:
            return 0
        target = self.target_object
        parent = (
            ReaderComment.objects.filter(
                pk=parent_id,
                content_type=content_type_of(target),
                object_pk=str(target.pk),
            )
            .public()
            .only("pk", "level")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not on this article, or not public."
            )
        max_depth = settings_for_object(target).max_depth
        if parent.level >= max_depth:
            raise forms.ValidationError("This thread cannot go deeper: reply to an earlier comment instead.")
        return parent_id


def blank_form_fields(target: models.Model) -> dict:
    """What discussion/blank_form.html fills in: the form's security data, made now, and limits.

    The security data comes from the comment form's own methods (a form
    object without fields), so the hash is the one the form checks on posting.
    """
    form = ReaderCommentForm.__new__(ReaderCommentForm)
    form.target_object = target
    return {
        **form.generate_security_data(),
        "name_max_length": NAME_MAX_LENGTH,
        "email_max_length": EMAIL_MAX_LENGTH,
        "comment_max_length": ReaderCommentForm.base_fields["comment"].max_length,
    }
