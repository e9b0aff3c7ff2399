"""The accent colour: #rrggbb with enough contrast, or a form error; on the page, two CSS properties
and nothing else, allowed by the Content-Security-Policy through their hash alone."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.exceptions import ValidationError

from core.brand import (
    DARK_BACKGROUNDS,
    DEFAULT_ACCENT,
    LIGHT_BACKGROUNDS,
    MIN_CONTRAST,
    accent_for_dark,
    accent_style,
    contrast_ratio,
    lowest_contrast,
    validate_accent_colour,
)
from core.models import SiteIdentity
from tests.brand.test_svg_logo import settings_form

BRAND_CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "css" / "brand.css"


def test_contrast_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    "value",
    ["red", "#fff", "#a3121", "#a3121bb", "#12345g", "a3121b", "#a3121b;", " #a3121b", "#a3121b}</style>"],
)
def test_anything_but_six_hex_digits_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_accent_colour(value)
    assert refused.value.code == "invalid_colour"


@pytest.mark.parametrize("value", ["#a3121b", "#A3121B", "#0b5394", "#1b1b1b", "#006400"])
def test_dark_enough_colours_are_accepted(value):
    validate_accent_colour(value)


@pytest.mark.parametrize("value", ["#ffcc00", "#ff6666", "#888888", "#ffffff"])
def test_a_colour_too_light_for_links_is_refused_with_a_darker_shade_to_try(value):
    with pytest.raises(ValidationError) as refused:
        validate_accent_colour(value)
    error = refused.value
    assert error.code == "low_contrast"
    suggestion = error.params["suggestion"]
    assert re.fullmatch(r"#[0-9a-f]{6}", suggestion)
    assert lowest_contrast(suggestion, LIGHT_BACKGROUNDS) >= MIN_CONTRAST
    validate_accent_colour(suggestion)
    assert suggestion in error.message % error.params


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_every_accepted_colour_has_a_dark_mode_shade_that_reads(number):
    colour = f"#{number:06x}"
    dark = accent_for_dark(colour)
    assert re.fullmatch(r"#[0-9a-f]{6}", dark)
    assert lowest_contrast(dark, DARK_BACKGROUNDS) >= MIN_CONTRAST


def test_the_stylesheet_defaults_are_the_default_accent_and_its_dark_shade():
    css = BRAND_CSS.read_text()
    assert f"--accent: var(--brand-accent, {DEFAULT_ACCENT});" in css
    assert f"--accent: var(--brand-accent-dark, {accent_for_dark(DEFAULT_ACCENT)});" in css


def test_the_admin_form_refuses_a_bad_colour_and_keeps_a_good_one_in_lowercase(admin_client, site):
    url = f"/admin/settings/core/siteidentity/{site.pk}/"
    response = admin_client.post(url, settings_form(accent_colour="#ffcc00"))
    assert response.status_code == 200
    assert "contrast of 1.4:1" in response.content.decode()
    assert "#876c00 would do" in response.content.decode()
    response = admin_client.post(url, settings_form(accent_colour="#12345g"))
    assert response.status_code == 200
    assert "six hexadecimal digits" in response.content.decode()
    assert SiteIdentity.objects.get(site=site).accent_colour == ""

    response = admin_client.post(url, settings_form(accent_colour="#0B5394"))
    assert response.status_code == 302
    assert SiteIdentity.objects.get(site=site).accent_colour == "#0b5394"


def style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def style_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    [directive] = [part.strip() for part in policy.split(";") if part.strip().startswith("style-src ")]
    return directive.split()[1:]


@pytest.mark.parametrize("path", ["/", "/search/?q=x", "/no-such-page/"])
def test_the_accent_reaches_every_page_as_two_properties_allowed_by_hash(client, home_page, identity, path):
    identity(accent_colour="#0b5394")
    response = client.get(path)
    html = response.content.decode()
    css = f":root{{--brand-accent:#0b5394;--brand-accent-dark:{accent_for_dark('#0b5394')}}}"
    assert html.count("<style>") == 1
    assert f"<style>{css}</style>" in html
    assert style_src(response) == ["'self'", style_hash(css)]


def test_without_an_accent_the_page_has_no_style_and_the_policy_is_unchanged(client, home_page):
    response = client.get("/")
    assert "<style" not in response.content.decode()
    assert style_src(response) == ["'self'"]


@pytest.mark.parametrize("stored", ["#000;}<", "};*{a:b", "url(//x", "<b>hi<", "red", "#a3121", "#a3121g"])
def test_a_stored_value_that_is_not_a_colour_never_reaches_the_page(client, home_page, identity, stored):
    identity()
    # Past the form's checks, as a bad import or a database edit could.
    SiteIdentity.objects.update(accent_colour=stored)
    assert accent_style(stored) == ""
    response = client.get("/")
    html = response.content.decode()
    assert "<style" not in html and "--brand-accent" not in html
    assert style_src(response) == ["'self'"]
