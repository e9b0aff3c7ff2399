"""Dark mode and the print stylesheet, as written (the browser test sees them applied).

Every colour pair text is shown in, in both schemes, keeps WCAG AA's 4.5:1.
"""

import re
from pathlib import Path

import pytest

from core.brand import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, MIN_CONTRAST, contrast_ratio

CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "css"
BRAND = (CSS / "brand.css").read_text()
PRINT = (CSS / "print.css").read_text()
NEWSROOM = (CSS / "newsroom.css").read_text()


def properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def light() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", NEWSROOM)[1]
    brand_root = re.search(r"\n:root\s*{([^}]*)}", BRAND)[1]
    values = {**properties(root), **properties(brand_root)}
    values["--accent"] = re.search(r"var\(--brand-accent, (#\w+)\)", values["--accent"])[1]
    return values


def dark() -> dict[str, str]:
    block = re.search(r"@media \(prefers-color-scheme: dark\)\s*{\s*:root\s*{([^}]*)}", BRAND)[1]
    values = {**light(), **properties(block)}
    values["--accent"] = re.search(r"var\(--brand-accent-dark, (#\w+)\)", values["--accent"])[1]
    return values


def hex6(colour: str) -> str:
    colour = colour.strip()
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


@pytest.mark.parametrize("scheme", [light, dark])
def test_text_colours_read_on_every_background_in_both_schemes(scheme):
    values = {name: hex6(value) for name, value in scheme().items() if value.strip().startswith("#")}
    for text in ("--text", "--muted", "--accent", "--alert"):
        for background in ("--bg", "--panel", "--alert-bg", "--highlight-bg"):
            ratio = contrast_ratio(values[text], values[background])
            assert ratio >= MIN_CONTRAST, f"{scheme.__name__}: {text} on {background} is {ratio:.2f}:1"
    # White or dark text on the alert colour (the live blog's "Pinned" label).
    assert contrast_ratio(values["--on-alert"], values["--alert"]) >= MIN_CONTRAST


def test_the_backgrounds_accent_colours_are_checked_against_are_the_stylesheets():
    names = ("--bg", "--panel", "--alert-bg", "--highlight-bg")
    assert tuple(hex6(light()[name]) for name in names) == LIGHT_BACKGROUNDS
    assert tuple(dark()[name] for name in names) == DARK_BACKGROUNDS


def test_dark_mode_follows_the_readers_setting_and_tells_the_browser():
    assert "@media (prefers-color-scheme: dark)" in BRAND
    assert "color-scheme: light dark;" in BRAND


def test_no_colour_is_fixed_outside_the_custom_properties():
    """A colour written into a rule would stay light in dark mode (or dark in light mode)."""
    for name, css in (("newsroom.css", NEWSROOM), ("brand.css", BRAND)):
        rules = re.sub(r":root\s*{[^}]*}", "", css)
        rules = re.sub(r"var\(--[\w-]+, #\w+\)", "", rules)  # a fallback for a missing property
        fixed = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", rules))
        # The skip link (white on black) and the logo's light ground read in either scheme.
        assert fixed <= {"#000", "#fff"}, f"{name}: {fixed}"


def test_pages_link_the_print_stylesheet_for_print_only(client, home_page):
    html = client.get("/").text
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)
    assert re.search(r'<link rel="stylesheet" href="/static/css/brand\.css">', html)


@pytest.mark.parametrize(
    "selector",
    [".site-nav", ".site-search", ".comments", ".comment-form", ".newsletter-signup", ".alerts", ".related"],
)
def test_print_leaves_out_what_only_a_screen_needs(selector):
    hidden = re.search(r"([^{}]*){ display: none !important; }", PRINT)[1]
    assert selector in [part.strip() for part in hidden.split(",")]


def test_print_is_black_on_white_keeps_figures_whole_and_spells_out_links():
    assert re.search(r"html, body { background: #fff !important; color: #000 !important; }", PRINT)
    assert re.search(r'\.article__body a\[href\]::after[^{]*{ content: " \(" attr\(href\) "\)"', PRINT)
    keep_whole = re.search(r"([^{}]*){ break-inside: avoid;", PRINT)[1]
    assert "figure" in keep_whole
