from __future__ import annotations

from django import forms
from django.conf import settings


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people by the page's stylesheet; bots fill it in.
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class CodeForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.HiddenInput)
    code = forms.RegexField(
        label="6-digit code",
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={"invalid": "The code is the 6 digits in the e-mail."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=50,
        help_text="Shown with your comments.",
        strip=True,
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name


class CommentEditForm(forms.Form):
    comment = forms.CharField(
        label="Comment", max_length=settings.COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )


class DeleteAccountForm(forms.Form):
    comments = forms.ChoiceField(
        label="Your comments",
        choices=[
            ("remove", "Remove my comments from the site"),
            ("anonymise", "Keep my comments, shown as written by a former reader"),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label="Yes, delete my account", required=True)
