"""A picture's credit, caption and rights read from its file: IPTC, XMP, EXIF, and hostile versions."""

import io
import time

import pytest
from PIL import Image

from core.image_metadata import (
    CAPTION_MAX_LENGTH,
    CREDIT_MAX_LENGTH,
    PictureMetadata,
    clean_metadata_text,
    parse_iptc_block,
    read_picture_metadata,
    split_credit,
)

from .picture_files import (
    BYLINE,
    CAPTION,
    CREDIT,
    iptc_dataset,
    jpeg,
    jpeg_with_byline_and_credit,
    jpeg_with_exif,
    jpeg_with_iptc,
    jpeg_with_xmp,
    xmp_packet,
)


def read(data: bytes) -> PictureMetadata:
    return read_picture_metadata(io.BytesIO(data))


# IPTC


def test_credits_from_iptc_byline_and_credit():
    data = jpeg_with_byline_and_credit(
        "Jane Doe", "Reuters", copyright="© 2025 Reuters", caption="Fishing boats leave the harbour at dawn."
    )

    metadata = read(data)

    assert metadata.credit == "Jane Doe / Reuters"
    assert metadata.copyright_notice == "© 2025 Reuters"
    assert metadata.caption == "Fishing boats leave the harbour at dawn."
    # Only the headers were read: the test JPEG is still a picture.
    assert Image.open(io.BytesIO(data)).size == (64, 48)


@pytest.mark.parametrize(
    ("datasets", "credit"),
    [
        ([(BYLINE, "Jane Doe")], "Jane Doe"),
        ([(CREDIT, "AP")], "AP"),
        # A credit line that already names the photographer is kept as it is.
        ([(BYLINE, "Jane Doe"), (CREDIT, "Jane Doe/Reuters")], "Jane Doe/Reuters"),
        # Several photographers, one credit.
        ([(BYLINE, "Jane Doe"), (BYLINE, "Ann Lee"), (CREDIT, "AFP")], "Jane Doe, Ann Lee / AFP"),
    ],
)
def test_credit_line_is_composed_from_what_the_file_has(datasets, credit):
    data = jpeg_with_iptc(*(iptc_dataset(number, value) for number, value in datasets))
    assert read(data).credit == credit


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Zoë Müller".encode(), "Zoë Müller"),
        ("Zoë Müller".encode("latin-1"), "Zoë Müller"),
        # Windows-1252's curly apostrophe, which Latin-1 would turn into a control character.
        (b"Jane O\x92Hara", "Jane O’Hara"),
        # Bytes no encoding makes sense of still give text, never an error.
        (b"\x81\x8d\x8f\x90\x9d", ""),
    ],
)
def test_iptc_text_in_any_encoding_is_decoded(raw, text):
    assert read(jpeg_with_iptc(iptc_dataset(BYLINE, raw))).credit == text


def test_control_characters_and_nuls_are_removed():
    data = jpeg_with_iptc(
        iptc_dataset(BYLINE, b"Jane\x00 Doe\x07"),
        iptc_dataset(CREDIT, b"Reu\x00ters\r\n"),
        iptc_dataset(CAPTION, b"Line one\nline two\tand\x1b[31m colour"),
    )

    metadata = read(data)

    assert metadata.credit == "Jane Doe / Reu ters"
    assert metadata.caption == "Line one line two and [31m colour"
    assert not any(ord(c) < 32 for value in metadata.as_dict().values() for c in value)


def test_absurd_lengths_are_cut_to_the_field():
    # 40,000 bytes: IPTC's extended length form, as no byline is.
    byline, caption = iptc_dataset(BYLINE, "Jane " * 8_000), iptc_dataset(CAPTION, "word " * 4_000)
    data = jpeg_with_iptc(byline, caption, iptc_dataset(CREDIT, ""))

    metadata = read(data)

    assert 0 < len(metadata.credit) <= CREDIT_MAX_LENGTH
    assert 0 < len(metadata.caption) <= CAPTION_MAX_LENGTH
    assert metadata.caption.startswith("word word") and not metadata.caption.endswith(" ")


def test_broken_iptc_keeps_what_came_before_the_break():
    good = iptc_dataset(BYLINE, "Jane Doe")
    # A dataset claiming more bytes than the block has, then garbage.
    broken = good + bytes([0x1C, 2, CREDIT, 0x7F, 0xFF]) + b"short"
    assert parse_iptc_block(broken) == {(2, BYLINE): [b"Jane Doe"]}
    assert read(jpeg_with_iptc(broken)).credit == "Jane Doe"
    assert parse_iptc_block(b"\x00\x01garbage" * 10) == {}
    assert parse_iptc_block(bytes([0x1C, 2, BYLINE, 0x80, 0x09]) + b"x" * 20) == {}  # a 9-byte length


@pytest.mark.parametrize(
    "block",
    [
        b"not iptc at all",
        bytes([0x1C, 2, BYLINE, 0xFF, 0xFF]),
        bytes([0x1C, 2, BYLINE, 0x80, 0x04]) + b"\xff\xff\xff\xff",
        b"\x1c" * 5000,
    ],
)
def test_garbage_in_the_iptc_block_gives_no_credit_and_no_error(block):
    assert read(jpeg_with_iptc(block)) == PictureMetadata()


def test_iptc_wins_over_xmp_and_exif():
    packet = xmp_packet(attributes='photoshop:Credit="XMP Credit"')
    picture = jpeg(xmp=packet)
    data = jpeg_with_iptc(iptc_dataset(CREDIT, "IPTC Credit"), picture=picture)
    assert read(data).credit == "IPTC Credit"


# XMP


def test_credits_and_rights_from_xmp():
    packet = xmp_packet(
        attributes='photoshop:Credit="Reuters" xmpRights:WebStatement="https://creativecommons.org/licenses/by/4.0/"',
        elements="""
    <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>
    <dc:rights><rdf:Alt><rdf:li xml:lang="fr">© Reuters (fr)</rdf:li>
      <rdf:li xml:lang="x-default">© 2025 Reuters</rdf:li></rdf:Alt></dc:rights>
    <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Boats at dawn</rdf:li></rdf:Alt></dc:description>
    <plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">
      <plus:LicensorURL>https://pictures.example/buy/123</plus:LicensorURL>
    </rdf:li></rdf:Seq></plus:Licensor>""",
    )

    metadata = read(jpeg_with_xmp(packet))

    assert metadata == PictureMetadata(
        caption="Boats at dawn",
        credit="Jane Doe / Reuters",
        copyright_notice="© 2025 Reuters",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        source_url="https://pictures.example/buy/123",
    )


def test_xmp_with_entities_is_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="&c;"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    assert read(jpeg_with_xmp(bomb)) == PictureMetadata()
    external = bomb.replace(b'<!ENTITY a "aaaaaaaaaa">', b'<!ENTITY a SYSTEM "file:///etc/passwd">')
    assert read(jpeg_with_xmp(external)) == PictureMetadata()


@pytest.mark.parametrize(
    "packet",
    [b"<not xml", b"\x00" * 100, xmp_packet(elements="<dc:creator>") + b"</broken>", b"<a>" * 10_000],
)
def test_broken_xmp_gives_nothing_and_no_error(packet):
    assert read(jpeg_with_xmp(packet)) == PictureMetadata()


def test_addresses_other_than_web_addresses_are_left_out():
    packet = xmp_packet(attributes='xmpRights:WebStatement="javascript:alert(1)"')
    assert read(jpeg_with_xmp(packet)).licence_url == ""
    packet = xmp_packet(attributes=f'xmpRights:WebStatement="https://example.org/{"x" * 600}"')
    assert read(jpeg_with_xmp(packet)).licence_url == ""


# EXIF


def test_credits_from_exif():
    # Pillow writes text tags as ASCII; the copyright sign goes in as the UTF-8 cameras write.
    data = jpeg_with_exif(artist="Jane Doe", copyright="© Jane Doe".encode(), description="Boats at dawn")
    assert read(data) == PictureMetadata(
        caption="Boats at dawn", credit="Jane Doe", copyright_notice="© Jane Doe"
    )


def test_exif_written_in_utf8_is_read_as_utf8():
    data = jpeg_with_exif(artist="Zoë Müller".encode())
    assert read(data).credit == "Zoë Müller"


# Files that are not what they seem


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a picture",
        jpeg()[:40],  # cut short
        b"\xff\xd8\xff\xed\x00\x10Photoshop 3.0\x00\x00",  # a lone, broken APP13
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
def test_files_that_are_no_pictures_give_nothing(data):
    assert read(data) == PictureMetadata()


def test_a_decompression_bomb_is_not_opened(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    # 64 × 48 is more than twice 100 pixels: Pillow refuses to open it.
    assert read(jpeg_with_byline_and_credit()) == PictureMetadata()


def test_pictures_without_metadata_give_nothing():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(buffer, "PNG")
    assert read(buffer.getvalue()) == PictureMetadata()
    assert read(jpeg()) == PictureMetadata()


# Text


def test_cleaning_cuts_at_a_word_and_keeps_no_control_characters():
    assert clean_metadata_text("Jane   Doe\u2028and\x85co", 100) == "Jane Doe and co"
    assert clean_metadata_text("alpha beta gamma", 12) == "alpha beta"
    assert clean_metadata_text("x" * 50, 10) == "x" * 10
    assert clean_metadata_text(None, 10) == "" and clean_metadata_text(12, 10) == ""
    # NFC: "é" written as e + combining accent is one character.
    assert clean_metadata_text("Rene\u0301e", 10) == "Renée"


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Ships at dawn. Photo: Jane Doe/Reuters", ("Ships at dawn.", "Jane Doe/Reuters")),
        ("Ships at dawn (Photo by Jane Doe)", ("Ships at dawn", "Jane Doe")),
        ("Launch | Credit: NASA", ("Launch", "NASA")),
        ("Photo: Jane Doe", ("", "Jane Doe")),
        ("Sunset © Jane Doe 2020", ("Sunset", "© Jane Doe 2020")),
        ("The hall. Courtesy of the museum", ("The hall.", "Courtesy of the museum")),
        ("Map - Illustration: Ann Lee", ("Map", "Illustration: Ann Lee")),
        # Captions that only mention pictures keep all their words.
        ("A photo of the harbour", ("A photo of the harbour", "")),
        ("A copyright dispute in court", ("A copyright dispute in court", "")),
        ("Bell on wharf in San Francisco", ("Bell on wharf in San Francisco", "")),
        ("Ships (2019)", ("Ships (2019)", "")),
        ("", ("", "")),
    ],
)
def test_a_credit_at_the_end_of_a_caption_is_recognised(caption, expected):
    assert split_credit(caption) == expected


def test_recognising_a_credit_takes_no_time_on_hostile_text():
    hostile = "Photo: " + "(" * 500 + " ." * 2000 + "x"
    started = time.perf_counter()
    split_credit(clean_metadata_text(hostile, CAPTION_MAX_LENGTH * 2))
    split_credit(hostile)
    assert time.perf_counter() - started < 1
