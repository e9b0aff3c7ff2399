"""An uploaded SVG logo is cleaned of everything that could run or fetch, or refused with a reason."""

import re

import pytest
from defusedxml.ElementTree import fromstring

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import SiteIdentity
from core.svg import MAX_BYTES, SVGRefused, sanitise_svg
from tests.brand.conftest import ENTITY_BOMB, EXTERNAL_ENTITY, HOSTILE_SVG, PLAIN_SVG

SVG = "{http://www.w3.org/2000/svg}"


def tags_and_attributes(content: bytes) -> tuple[set[str], list[tuple[str, str]]]:
    root = fromstring(content)
    tags, attributes = set(), []
    for element in root.iter():
        tags.add(element.tag.removeprefix(SVG))
        attributes.extend(element.attrib.items())
    return tags, attributes


def test_a_hostile_logo_keeps_its_drawing_and_loses_everything_else():
    clean = sanitise_svg(HOSTILE_SVG.encode())
    text = clean.content.decode()
    tags, attributes = tags_and_attributes(clean.content)

    assert tags <= {"svg", "title", "g", "text", "rect", "circle", "use", "linearGradient", "stop"}
    for gone in ("script", "foreignObject", "animate", "set", "image", "style", "a"):
        assert gone not in tags
    assert not [name for name, _ in attributes if name.lower().startswith("on")]
    for needle in ("javascript:", "evil.example", "data:", "alert", "@import", "xlink"):
        assert needle not in text, needle
    # What a logo is made of stays: its text, shapes, local references and gradient.
    assert "Daily Lens" in text
    assert 'fill="url(#grad)"' in text
    assert 'href="#box"' in text
    assert 'stop-color="#a3121b"' in text
    # The one <use> left points inside the file.
    assert [value for name, value in attributes if name == "href"] == ["#box"]


def test_the_cleaned_logo_has_a_size_and_cleaning_it_again_changes_nothing():
    clean = sanitise_svg(HOSTILE_SVG.encode())
    root = fromstring(clean.content)
    assert (root.get("viewBox"), root.get("width"), root.get("height")) == ("0 0 200 50", "200", "50")
    assert (clean.width, clean.height) == (200, 50)
    assert sanitise_svg(clean.content).content == clean.content


@pytest.mark.parametrize(
    "svg, size",
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="30"/>', (120, 30)),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100" width="60"/>', (60, 20)),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,40,10" width="100%"/>', (40, 10)),
        # Without the namespace a browser would show nothing: it is put back.
        ('<svg viewBox="0 0 20 10"><circle cx="5" cy="5" r="4"/></svg>', (20, 10)),
    ],
)
def test_the_size_comes_from_the_width_height_or_viewbox(svg, size):
    clean = sanitise_svg(svg.encode())
    assert (clean.width, clean.height) == size
    assert fromstring(clean.content).tag == f"{SVG}svg"


def test_an_exported_file_with_a_doctype_but_no_entities_is_accepted():
    exported = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: an editor -->\n'
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        + PLAIN_SVG.encode()
    )
    clean = sanitise_svg(exported)
    assert b"<!DOCTYPE" not in clean.content and b"Generator" not in clean.content
    assert b'fill="#a3121b"' in clean.content


def test_an_embedded_raster_picture_stays_and_an_embedded_svg_does_not():
    png = "data:image/png;base64,iVBORw0KGgo="
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        f'<image href="{png}" width="5" height="5"/>'
        '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="5" height="5"/></svg>'
    )
    clean = sanitise_svg(svg.encode()).content.decode()
    assert clean.count("<image") == 1 and png in clean


@pytest.mark.parametrize(
    "css",
    [
        "@import 'https://evil.example/x.css';",
        ".a { background: url(https://evil.example/x) }",
        ".a { background: url( 'https://evil.example/x' ) }",
        ".a { background: u\\72l(https://evil.example/x) }",
        ".a { background-image: image-set('https://evil.example/x.png' 1x) }",
        "@font-face { font-family: x; src: url(https://evil.example/f.woff) }",
        ".a { behavior: url(x.htc) }",
        ".a { width: expression(alert(1)) }",
    ],
)
def test_css_that_could_load_or_hide_something_is_dropped(css):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>{css}</style>'
    svg += f'<rect width="10" height="10" style="{css.replace(chr(39), "")}"/></svg>'
    clean = sanitise_svg(svg.encode()).content.decode()
    assert "<style" not in clean and "style=" not in clean


def test_css_with_local_references_only_is_kept():
    css = ".a { fill: url(#g); stroke: #000 } .b > .c { opacity: .5 }"
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>{css}</style></svg>'
    clean = fromstring(sanitise_svg(svg.encode()).content)
    assert clean.find(f"{SVG}style").text == css


@pytest.mark.parametrize(
    "data, reason",
    [
        (ENTITY_BOMB, "entities"),
        (EXTERNAL_ENTITY, "entities"),
        (b"<html><body>Not a logo</body></html>", "not an SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "not a well-formed SVG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a well-formed SVG"),
        (b"", "not a well-formed SVG"),
        ("<svg>caf\u00e9</svg>".encode("utf-16"), "viewBox"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', "viewBox"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 99999 10"/>', "pixels a side"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">' + b" " * MAX_BYTES, "larger"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">' + b"<g/>" * 6000 + b"</svg>",
            "too complex",
        ),
    ],
)
def test_what_cannot_be_cleaned_is_refused_with_a_reason(data, reason):
    with pytest.raises(SVGRefused, match=reason):
        sanitise_svg(data)


# -- through the admin's Site identity form ----------------------------------------------


def settings_form(**fields) -> dict:
    data = {
        "site_name": "Daily Lens",
        "description": "News.",
        "publisher_name": "",
        "twitter_handle": "",
        "social_links": "",
        "comment_policy": "",
        "accent_colour": "",
        "logo": "",
        "default_share_image": "",
        "publisher_logo": "",
    }
    data.update(fields)
    return data


def upload(content: bytes | str, name: str = "logo.svg") -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="image/svg+xml")


def test_an_editor_uploads_a_hostile_logo_and_the_site_keeps_a_clean_one(admin_client, site):
    url = f"/admin/settings/core/siteidentity/{site.pk}/"
    response = admin_client.post(url, settings_form(logo_svg=upload(HOSTILE_SVG)))
    assert response.status_code == 302, response.content.decode()[:2000]

    identity = SiteIdentity.objects.get(site=site)
    assert identity.logo_svg.name.startswith("brand/") and identity.logo_svg.name.endswith(".svg")
    with identity.logo_svg.open("rb") as stored:
        content = stored.read()
    assert content == sanitise_svg(HOSTILE_SVG.encode()).content
    assert b"script" not in content and b"evil.example" not in content
    assert (identity.logo_svg_width, identity.logo_svg_height) == (200, 50)


@pytest.mark.parametrize(
    "file, message",
    [
        (upload(ENTITY_BOMB), "declares entities"),
        (upload(EXTERNAL_ENTITY), "declares entities"),
        (upload(b"\x00\x01binary"), "not a well-formed SVG"),
        (upload(b"<html></html>"), "not an SVG"),
        (upload(PLAIN_SVG, name="logo.png"), "extension"),
    ],
)
def test_a_refused_logo_is_a_form_error_not_a_server_error(admin_client, site, file, message):
    url = f"/admin/settings/core/siteidentity/{site.pk}/"
    response = admin_client.post(url, settings_form(logo_svg=file))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SiteIdentity.objects.filter(site=site).exclude(logo_svg="").exists()


def test_clearing_the_svg_logo_forgets_its_size(admin_client, site, identity):
    identity(logo_svg=ContentFile(PLAIN_SVG.encode(), name="logo.svg"))
    url = f"/admin/settings/core/siteidentity/{site.pk}/"
    response = admin_client.post(url, settings_form(**{"logo_svg-clear": "on"}))
    assert response.status_code == 302
    cleared = SiteIdentity.objects.get(site=site)
    assert not cleared.logo_svg and cleared.logo_svg_width is None


def test_a_logo_saved_in_code_is_cleaned_too(identity):
    saved = identity(logo_svg=ContentFile(HOSTILE_SVG.encode(), name="from-a-script.svg"))
    with saved.logo_svg.open("rb") as stored:
        assert b"<script" not in stored.read()
    assert saved.logo_svg_width == 200


def test_the_header_shows_the_svg_logo_with_the_site_name_as_its_text(client, home_page, identity):
    identity(site_name="Daily Lens", logo_svg=ContentFile(PLAIN_SVG.encode(), name="logo.svg"))
    html = client.get("/").text
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    img = re.search(r'<a class="site-title" href="/"><img ([^>]+)></a>', header)
    assert img, header
    assert 'class="site-title__logo"' in img[1]
    assert re.search(r'src="/media/brand/logo[^"]*\.svg"', img[1])
    assert 'width="160" height="40"' in img[1]
    assert 'alt="Daily Lens"' in img[1]
