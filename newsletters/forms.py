from __future__ import annotations

from typing import Any

from django import forms

from .models import Newsletter

# Kept in step with the sign-up box template (templates/newsletters/signup_box.html).
HONEYPOT_FIELD = "website"


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254)
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True),
        to_field_name="slug",
        error_messages={"required": "Choose at least one newsletter."},
    )
    # Left empty by people (it is hidden from them); bots fill it.
    website = forms.CharField(required=False, max_length=200)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if "\x00" in email:
            raise forms.ValidationError("Enter a valid email address.")
        return email


def newsletter_choices(**options: Any) -> forms.ModelMultipleChoiceField:
    """The lists offered, as checkboxes named by their slugs."""
    return forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Newsletters you receive",
        **options,
    )


class PreferencesForm(forms.Form):
    newsletters = newsletter_choices()


class ReaderListsForm(forms.Form):
    """A signed-in reader's lists on their account page: ticked ones start at once, unticked ones end."""

    newsletters = newsletter_choices(
        error_messages={"invalid_choice": "There is no newsletter “%(value)s” to subscribe to."}
    )


class OneClickForm(forms.Form):
    """The sign-up box's one click for a signed-in reader: the lists to join (those offered for sign-up)."""

    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True),
        to_field_name="slug",
        error_messages={
            "required": "Choose at least one newsletter.",
            "invalid_choice": "There is no newsletter “%(value)s” to subscribe to.",
        },
    )
