"""The site's brand from Site identity: accent colour, logos, and the inline style they need.

The accent colour is the one thing the page's stylesheet cannot know in
advance. It is checked twice: when an editor saves it (six hexadecimal digits,
and dark enough for links on the page's light backgrounds), and again when a
page is rendered (anything but `#rrggbb` is ignored), so a setting can never
put CSS or HTML of its own into a page. The page's <head> carries it as two
CSS custom properties in a <style> element; the Content-Security-Policy allows
that one element by its hash (`InlineStyleHashMiddleware`), nothing else inline.

Dark mode needs a lighter shade of the same colour: `accent_for_dark` mixes it
with white until it reaches the same contrast on the dark backgrounds.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse

from .images import get_renditions, is_stand_in
from .svg import SVGRefused, sanitise_svg

# The stylesheet's own accent (core/static/css/newsroom.css), used when none is set.
DEFAULT_ACCENT = "#a3121b"
# Links in the accent colour sit on the page, on panels (fact boxes), on a live blog's
# key points and pinned entries: each must keep WCAG AA's 4.5:1 for body text, in both
# colour schemes (--bg, --panel, --alert-bg, --highlight-bg in brand.css).
LIGHT_BACKGROUNDS = ("#ffffff", "#f6f5f2", "#faf5f5", "#fffbea")
DARK_BACKGROUNDS = ("#121416", "#1d2024", "#221a1c", "#201f18")
MIN_CONTRAST = 4.5

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in channels)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a `#rrggbb` colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio between two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lowest_contrast(colour: str, backgrounds: tuple[str, ...]) -> float:
    return min(contrast_ratio(colour, background) for background in backgrounds)


def _mix(colour: str, towards: str, share: float) -> str:
    a, b = _channels(colour), _channels(towards)
    return _hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))


def _shade_reaching(colour: str, towards: str, backgrounds: tuple[str, ...]) -> str:
    """`colour` mixed with `towards` just enough to reach MIN_CONTRAST on every background."""
    for step in range(0, 101):
        candidate = _mix(colour, towards, step / 100)
        if lowest_contrast(candidate, backgrounds) >= MIN_CONTRAST:
            return candidate
    return towards


@lru_cache(maxsize=64)
def accent_for_dark(colour: str) -> str:
    """The accent's shade for dark mode: lightened until links read on the dark backgrounds."""
    return _shade_reaching(colour, "#ffffff", DARK_BACKGROUNDS)


def is_hex_colour(value: object) -> bool:
    return isinstance(value, str) and _HEX_COLOUR.fullmatch(value) is not None


def validate_accent_colour(value: str) -> None:
    """A `#rrggbb` colour that links can be read in on the page's light backgrounds."""
    if not is_hex_colour(value):
        raise ValidationError(
            "Give the colour as # and six hexadecimal digits, for example #a3121b.", code="invalid_colour"
        )
    ratio = lowest_contrast(value.lower(), LIGHT_BACKGROUNDS)
    if ratio < MIN_CONTRAST:
        suggestion = _shade_reaching(value.lower(), "#000000", LIGHT_BACKGROUNDS)
        raise ValidationError(
            "Links in %(colour)s would have a contrast of %(ratio).1f:1 on the page's background; "
            "they need at least %(minimum).1f:1 to be read. A darker shade such as %(suggestion)s would do.",
            code="low_contrast",
            params={"colour": value, "ratio": ratio, "minimum": MIN_CONTRAST, "suggestion": suggestion},
        )


def accent_style(colour: str) -> str:
    """The <style> contents giving the page `colour` as its accent; empty for no colour or a bad one.

    Only `#rrggbb` gets through, so whatever the database holds, nothing but
    two colours reaches the page.
    """
    if not is_hex_colour(colour):
        return ""
    colour = colour.lower()
    return f":root{{--brand-accent:{colour};--brand-accent-dark:{accent_for_dark(colour)}}}"


# -- the inline style's hash in the Content-Security-Policy --------------------

_INLINE_STYLES = "_newsroom_inline_styles"


def allow_inline_style(request: HttpRequest | None, css: str) -> None:
    """Have this response's policy allow a <style> element holding exactly `css`."""
    if request is not None and css:
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        styles = getattr(request, _INLINE_STYLES, None)
        if styles is None:
            styles = []
            setattr(request, _INLINE_STYLES, styles)
        source = f"'sha256-{digest}'"
        if source not in styles:
            styles.append(source)


class InlineStyleHashMiddleware:
    """Adds the hashes of the page's own <style> elements to its style-src.

    It sits inside django-csp's middleware, which reads `_csp_update` when it
    writes the header: the rest of the policy stays as configured, and a page
    with no such style gets no change.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        styles = getattr(request, _INLINE_STYLES, None)
        if styles:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [*update.get("style-src", []), *styles]
            response._csp_update = update
        return response


# -- logos -----------------------------------------------------------------------

# RSS 2.0 allows a channel image at most 144 pixels wide and 400 high, in GIF, JPEG or PNG.
FEED_LOGO_SPEC = "max-144x400"
# The publisher's logo in JSON-LD (core.images.RENDITIONS["logo"]).
JSON_LD_LOGO_SPEC = "height-60"


@dataclass(frozen=True)
class LogoFile:
    """A logo as an address and its size in CSS pixels."""

    url: str
    width: int
    height: int
    content_type: str


def svg_logo(identity) -> LogoFile | None:
    """The identity's uploaded (and cleaned) SVG logo; None without one."""
    if identity is None or not identity.logo_svg or not identity.logo_svg_width:
        return None
    return LogoFile(identity.logo_svg.url, identity.logo_svg_width, identity.logo_svg_height, "image/svg+xml")


def raster_logo(image, spec: str) -> LogoFile | None:
    """`image` in the rendition `spec`; None without an image or when it cannot be made."""
    if image is None:
        return None
    rendition = get_renditions(image, [spec])[spec]
    if is_stand_in(rendition):
        return None
    content_type = {"png": "image/png", "gif": "image/gif", "webp": "image/webp"}.get(
        rendition.file.name.rsplit(".", 1)[-1].lower(), "image/jpeg"
    )
    return LogoFile(rendition.url, rendition.width, rendition.height, content_type)


def validate_svg_upload(file) -> None:
    """The uploaded SVG logo can be read and cleaned (see core.svg); a form error otherwise."""
    if not file or getattr(file, "_committed", True):
        return  # already stored, cleaned when it was
    try:
        file.seek(0)
        data = file.read()
        file.seek(0)
        sanitise_svg(data)
    except SVGRefused as refused:
        raise ValidationError(str(refused), code="svg_refused") from None


def clean_svg_file(file) -> tuple[ContentFile, int, int]:
    """The stored form of an uploaded SVG: cleaned bytes under the upload's name, and its size."""
    file.seek(0)
    clean = sanitise_svg(file.read())
    name = (getattr(file, "name", "") or "logo.svg").rsplit("/", 1)[-1]
    if not name.lower().endswith(".svg"):
        name = f"{name}.svg"
    return ContentFile(clean.content, name=name), clean.width, clean.height
