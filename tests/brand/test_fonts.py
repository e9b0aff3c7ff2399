"""Self-hosted fonts: small WOFF2 files with their licence, swapped in over a fallback of the same
size, preloaded, and served by WhiteNoise under hashed names with far-future caching."""

import re
from pathlib import Path

import pytest

from django.templatetags.static import static

from core.templatetags.brand_tags import PRELOADED_FONTS
from tests.deploy.helpers import production_env, run_python

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "core" / "static" / "fonts"
BRAND_CSS = (ROOT / "core" / "static" / "css" / "brand.css").read_text()
FACES = ("regular", "bold", "italic")


@pytest.mark.parametrize("face", FACES)
def test_each_font_is_a_small_woff2(face):
    data = (FONTS / f"newsroom-serif-{face}.woff2").read_bytes()
    assert data[:4] == b"wOF2"
    assert len(data) < 100 * 1024


def test_the_fonts_licence_and_origin_are_beside_them():
    licence = (FONTS / "LICENSE.txt").read_text()
    assert "SIL Open Font License" in licence and "Adobe" in licence
    docs = (ROOT / "docs" / "brand.md").read_text()
    assert "Source Serif Pro" in docs and "font-source-serif-pro" in docs and "LICENSE.txt" in docs


def font_faces(css: str) -> list[str]:
    return re.findall(r"@font-face\s*{([^}]*)}", css)


def test_every_web_font_swaps_and_its_fallback_takes_the_same_room():
    faces = font_faces(BRAND_CSS)
    web = [face for face in faces if 'font-family: "Newsroom Serif";' in face]
    fallback = [face for face in faces if 'font-family: "Newsroom Serif Fallback";' in face]
    assert sorted(re.search(r"newsroom-serif-(\w+)\.woff2", face)[1] for face in web) == sorted(FACES)
    for face in web:
        assert "font-display: swap;" in face
        assert 'format("woff2")' in face
        assert "http" not in face  # from this site only
    assert len(fallback) == 3
    for face in fallback:
        assert 'local("Times New Roman' in face and 'local("Liberation Serif' in face
        for descriptor in ("size-adjust", "ascent-override", "descent-override", "line-gap-override"):
            assert re.search(rf"{descriptor}: \d+(\.\d+)?%;", face), descriptor
    stack = re.search(r"--serif: ([^;]+);", BRAND_CSS)[1]
    assert stack.startswith('"Newsroom Serif", "Newsroom Serif Fallback",') and stack.endswith("serif")


def test_pages_preload_the_regular_and_bold_faces_before_their_stylesheets(client, home_page):
    html = client.get("/").text
    head = html.split("</head>", 1)[0]
    for path in PRELOADED_FONTS:
        tag = f'<link rel="preload" href="{static(path)}" as="font" type="font/woff2" crossorigin>'
        assert tag in head
        assert head.index(tag) < head.index('rel="stylesheet"')
    assert "fonts/newsroom-serif-regular.woff2" in PRELOADED_FONTS


def test_production_serves_the_fonts_hashed_cached_for_ever_and_preloads_what_the_css_asks_for(tmp_path):
    result = run_python(
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "css_url = static('css/brand.css')\n"
        "css = b''.join(c.get(css_url).streaming_content).decode()\n"
        "for face in ('regular', 'bold', 'italic'):\n"
        "    url = static(f'fonts/newsroom-serif-{face}.woff2')\n"
        "    r = c.get(url)\n"
        "    print(url, r.status_code, r['Content-Type'], r['Cache-Control'].replace(' ', ''),"
        " url.rsplit('/', 1)[1] in css)\n",
        production_env(tmp_path),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    for face, line in zip(FACES, lines, strict=False):
        url, status, content_type, cache_control, in_css = line.split()
        assert re.fullmatch(rf"/static/fonts/newsroom-serif-{face}\.[0-9a-f]{{12}}\.woff2", url)
        assert status == "200"
        assert content_type == "font/woff2"
        assert cache_control == "max-age=315360000,public,immutable"
        # The stylesheet names the same hashed file the page preloads: one download, not two.
        assert in_css == "True"
