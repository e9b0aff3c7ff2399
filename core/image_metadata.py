"""Who made a picture and on what terms, read from the file itself: IPTC, XMP and EXIF.

Agencies and cameras write the photographer, the credit line, the copyright
notice and a caption into the file. `read_picture_metadata` reads them without
decoding a pixel, and never raises: a file with no metadata, broken metadata or
no picture at all gives an empty `PictureMetadata`.

Everything read is untrusted text: bytes in an unknown encoding (UTF-8 tried
first, then Windows-1252, then Latin-1, which takes any byte), control
characters and NULs (PostgreSQL refuses NUL in text), and lengths far beyond
anything a field holds. `clean_metadata_text` turns each into one line of text
cut to the field's length. XMP is XML: it is parsed with defusedxml, which
refuses entities and DTDs, and only when its packet is of a sane size.

Where the same thing is said in several places, IPTC wins (press agencies fill
it in first), then XMP, then EXIF.
"""

from __future__ import annotations

import logging
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import IO, Any

from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

# The lengths of core.image_credits.ImageCredit's fields.
CAPTION_MAX_LENGTH = 500
CREDIT_MAX_LENGTH = 255
COPYRIGHT_MAX_LENGTH = 255
URL_MAX_LENGTH = 500

# Bytes of one value looked at before decoding: four bytes a character at most in UTF-8,
# so nothing a field could keep is lost, and a megabyte "byline" costs nothing.
_RAW_BYTES_PER_CHARACTER = 4
# An XMP packet larger than this is skipped, not parsed (real ones are a few kilobytes;
# a thumbnail inside one rarely passes 100 KB).
XMP_MAX_BYTES = 512 * 1024

# IPTC-IIM (record 2, the application record) and the dataset numbers read.
IPTC_BYLINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
# The Photoshop image resource holding the IPTC-IIM block (JPEG APP13, "8BIM" 0x0404).
PHOTOSHOP_IPTC_RESOURCE = 0x0404

# EXIF (TIFF) tags: ImageDescription, Artist, Copyright.
EXIF_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298
# TIFF's own tag for an XMP packet.
TIFF_XMP = 700

# XMP namespaces.
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


@dataclass
class PictureMetadata:
    """What a picture's file says about it; "" where it says nothing."""

    caption: str = ""
    credit: str = ""
    copyright_notice: str = ""
    licence_url: str = ""
    source_url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def __bool__(self) -> bool:
        return any(self.as_dict().values())


def decode_metadata_bytes(raw: bytes) -> str:
    """`raw` as text: UTF-8, else Windows-1252, else Latin-1 (which decodes any byte).

    IPTC may declare its character set (dataset 1:90) and EXIF says nothing; files
    declare UTF-8 and write Latin-1 often enough that the bytes decide, not the label.
    """
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def clean_metadata_text(value: Any, max_length: int) -> str:
    """One line of printable text at most `max_length` characters long; "" for anything else.

    Bytes are decoded (see `decode_metadata_bytes`); control characters and NULs
    become spaces, runs of white space one space, and the text is cut at the
    last word that fits (or mid-word when a single word is longer).
    """
    if isinstance(value, bytes | bytearray):
        value = decode_metadata_bytes(bytes(value[: max_length * _RAW_BYTES_PER_CHARACTER]))
    elif not isinstance(value, str):
        return ""
    value = value[: max_length * _RAW_BYTES_PER_CHARACTER]
    # Text that was written as compatibility forms (full-width letters, ligatures) stays as it is;
    # only composed forms are unified, so "é" is one character however it was written.
    value = unicodedata.normalize("NFC", value)
    value = _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()
    if len(value) <= max_length:
        return value
    cut = value[:max_length]
    if value[max_length] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:/-")


def clean_metadata_url(value: Any) -> str:
    """An http(s) address from metadata, or "" for anything else (javascript:, text, too long)."""
    text = clean_metadata_text(value, URL_MAX_LENGTH + 1)
    if len(text) > URL_MAX_LENGTH or not _WEB_ADDRESS.match(text):
        return ""
    return text


def compose_credit(bylines: Iterable[str], credit: str) -> str:
    """The credit line from a photographer's name(s) and the provider's credit.

    "Jane Doe" and "Reuters" make "Jane Doe / Reuters"; a credit that already
    names the photographer is kept as it is.
    """
    byline = ", ".join(dict.fromkeys(name for name in bylines if name))
    if byline and credit and byline.casefold() not in credit.casefold():
        return f"{byline} / {credit}"
    return credit or byline


# A credit at the end of a caption: "… Photo: Jane Doe/Reuters", "… (Photo by Jane Doe)",
# "… | Credit: NASA", "… © Jane Doe 2020", "… Courtesy of the museum". A word like "photo"
# counts only with what makes it a credit (a colon, "by", "credit"): "A photo of the
# harbour" is a caption.
_CREDIT_IN_CAPTION = re.compile(
    r"""(?:^|(?<=[.!?;|])|\s[-–—|/]|\s(?=[(©]))\s*\(?\s*
    (?P<credit>
        (?P<strip>(?:photo(?:graph)?|picture|image)\s*(?:credit\s*)?[:\-–—]|(?:photo(?:graph)?|picture)\s+by\b
            |(?:photo\s+)?credits?\s*[:\-–—])?
        (?(strip)|(?:©|\(c\)|copyright\b|courtesy\b|(?:illustration|graphic|drawing|video|still)\s*(?::|by\b)))
        [^()]{1,200}?
    )\s*\)?\s*\.?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def split_credit(caption: str) -> tuple[str, str]:
    """A caption and the credit it ends with, if it ends with one it names as such:
    "Ships at dawn. Photo: Jane Doe/Reuters" → ("Ships at dawn.", "Jane Doe/Reuters").

    "Photo:", "Photo by" and "Credit:" are dropped from the credit (the page shows
    "Photo:" before a credit); "©", "Courtesy of" or "Illustration:" stay, they say
    what the credit is. A caption without such a credit is returned whole, with "".
    """
    caption = caption.strip()
    match = _CREDIT_IN_CAPTION.search(caption)
    if match is None:
        return caption, ""
    credit = match.group("credit")
    if match.group("strip"):
        credit = credit[len(match.group("strip")) :]
    credit = credit.strip(" .,;:-–—")
    if not credit:
        return caption, ""
    return caption[: match.start()].strip(" -–—|/("), credit


# Reading


def read_picture_metadata(file: IO[bytes]) -> PictureMetadata:
    """The caption, credit, copyright notice and licence addresses `file` carries.

    Reads the file's headers only. Never raises: unreadable or hostile metadata is
    logged and left out, and a file that is not a picture gives empty metadata.
    """
    try:
        with Image.open(file) as image:
            return _metadata_of(image)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return PictureMetadata()
    except Exception as error:  # metadata is optional: nothing in it may fail an upload
        logger.warning("Picture metadata left unread: %r", error)
        return PictureMetadata()


def _metadata_of(image: Image.Image) -> PictureMetadata:
    iptc = _guarded(_iptc_values, image) or {}
    xmp = _guarded(_xmp_values, image) or {}
    exif = _guarded(_exif_values, image) or {}

    def first(*candidates: Any, max_length: int) -> str:
        for candidate in candidates:
            text = clean_metadata_text(candidate, max_length)
            if text:
                return text
        return ""

    bylines = [clean_metadata_text(name, CREDIT_MAX_LENGTH) for name in iptc.get(IPTC_BYLINE, [])]
    credit = compose_credit(bylines, first(*iptc.get(IPTC_CREDIT, []), max_length=CREDIT_MAX_LENGTH))
    if not credit:
        xmp_bylines = [clean_metadata_text(name, CREDIT_MAX_LENGTH) for name in xmp.get("creator", [])]
        credit = compose_credit(xmp_bylines, first(*xmp.get("credit", []), max_length=CREDIT_MAX_LENGTH))
    if not credit:
        credit = first(exif.get(EXIF_ARTIST), max_length=CREDIT_MAX_LENGTH)
    return PictureMetadata(
        caption=first(
            *iptc.get(IPTC_CAPTION, []),
            *xmp.get("description", []),
            exif.get(EXIF_DESCRIPTION),
            max_length=CAPTION_MAX_LENGTH,
        ),
        credit=clean_metadata_text(credit, CREDIT_MAX_LENGTH),
        copyright_notice=first(
            *iptc.get(IPTC_COPYRIGHT, []),
            *xmp.get("rights", []),
            exif.get(EXIF_COPYRIGHT),
            max_length=COPYRIGHT_MAX_LENGTH,
        ),
        licence_url=next(filter(None, map(clean_metadata_url, xmp.get("licence", []))), ""),
        source_url=next(filter(None, map(clean_metadata_url, xmp.get("licensor_url", []))), ""),
    )


def _guarded(reader, image: Image.Image):
    """One kind of metadata; another kind still counts when this one is broken."""
    try:
        return reader(image)
    except Exception as error:  # see read_picture_metadata
        logger.warning("%s left unread: %r", reader.__name__.strip("_"), error)
        return None


# IPTC-IIM


def _iptc_values(image: Image.Image) -> dict[tuple[int, int], list[str]]:
    """The IPTC datasets read (byline, credit, copyright, caption) as raw values, by number."""
    photoshop = image.info.get("photoshop")
    block = photoshop.get(PHOTOSHOP_IPTC_RESOURCE) if isinstance(photoshop, dict) else None
    if isinstance(block, bytes | bytearray):
        datasets = parse_iptc_block(bytes(block))
    else:
        datasets = _pillow_iptc(image)
    wanted = (IPTC_BYLINE, IPTC_CREDIT, IPTC_COPYRIGHT, IPTC_CAPTION)
    return {
        number: [_iptc_text(value) for value in datasets[number]] for number in wanted if number in datasets
    }


def _iptc_text(value: bytes) -> str:
    return decode_metadata_bytes(value[: CAPTION_MAX_LENGTH * _RAW_BYTES_PER_CHARACTER])


def parse_iptc_block(block: bytes, max_datasets: int = 1000) -> dict[tuple[int, int], list[bytes]]:
    """The datasets of an IPTC-IIM block: {(record, dataset): [values]}.

    Stops at the first byte that does not start a dataset, and at a length past
    the block's end, keeping what came before: one broken dataset costs only
    itself and those after it.
    """
    datasets: dict[tuple[int, int], list[bytes]] = {}
    position, count = 0, 0
    while position + 5 <= len(block) and count < max_datasets:
        marker, record, number, length = struct.unpack_from(">BBBH", block, position)
        if marker != 0x1C:
            break
        position += 5
        if length & 0x8000:
            # Extended dataset: the low bits count the bytes that hold the length.
            size_bytes = length & 0x7FFF
            if size_bytes > 4 or position + size_bytes > len(block):
                break
            length = int.from_bytes(block[position : position + size_bytes], "big")
            position += size_bytes
        if position + length > len(block):
            break
        datasets.setdefault((record, number), []).append(block[position : position + length])
        position += length
        count += 1
    return datasets


def _pillow_iptc(image: Image.Image) -> dict[tuple[int, int], list[bytes]]:
    """IPTC of formats other than JPEG (TIFF), through Pillow's own reader."""
    from PIL import IptcImagePlugin

    found = IptcImagePlugin.getiptcinfo(image) or {}
    return {
        number: [value] if isinstance(value, bytes) else [v for v in value if isinstance(v, bytes)]
        for number, value in found.items()
        if isinstance(number, tuple)
    }


# EXIF


def _exif_values(image: Image.Image) -> dict[int, str]:
    exif = image.getexif()
    values = {}
    for tag in (EXIF_DESCRIPTION, EXIF_ARTIST, EXIF_COPYRIGHT):
        value = exif.get(tag)
        if isinstance(value, str):
            # Pillow reads EXIF text as Latin-1; cameras and editors write UTF-8 as often.
            value = decode_metadata_bytes(value.encode("latin-1", errors="replace"))
        if isinstance(value, str | bytes):
            # Copyright may hold the photographer's and the editor's notices, NUL between them.
            text = value if isinstance(value, str) else decode_metadata_bytes(value)
            values[tag] = " / ".join(part.strip() for part in text.split("\x00") if part.strip())
    return values


# XMP


def _xmp_packet(image: Image.Image) -> bytes | str | None:
    """The XMP packet as JPEG, WebP and PNG readers keep it, or TIFF's tag."""
    for key in ("xmp", "XML:com.adobe.xmp"):
        packet = image.info.get(key)
        if packet:
            return packet
    tags = getattr(image, "tag_v2", None)
    if tags is not None:
        return tags.get(TIFF_XMP)
    return None


def _xmp_values(image: Image.Image) -> dict[str, list[str]]:
    packet = _xmp_packet(image)
    if not packet or not isinstance(packet, bytes | str):
        return {}
    if len(packet) > XMP_MAX_BYTES:
        logger.warning("XMP packet of %d bytes left unread", len(packet))
        return {}
    return parse_xmp(packet)


def parse_xmp(packet: bytes | str) -> dict[str, list[str]]:
    """Credit, creators, rights, description and licence addresses from an XMP packet.

    Parsed by defusedxml: a packet declaring entities or a DTD is refused, not expanded.
    """
    from defusedxml import ElementTree

    if isinstance(packet, bytes):
        packet = packet.rstrip(b"\x00 \t\r\n")
    else:
        packet = packet.rstrip("\x00 \t\r\n")
    root = ElementTree.fromstring(packet, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return {
        "creator": _xmp_property(root, DC, "creator", every_item=True),
        "credit": _xmp_property(root, PHOTOSHOP, "Credit"),
        "rights": _xmp_property(root, DC, "rights"),
        "description": _xmp_property(root, DC, "description"),
        "licence": _xmp_property(root, XMP_RIGHTS, "WebStatement"),
        "licensor_url": _xmp_property(root, PLUS, "LicensorURL"),
    }


def _xmp_property(root, namespace: str, name: str, every_item: bool = False) -> list[str]:
    """Every value of `namespace:name`, written as an element or as an attribute.

    An rdf:Alt (language alternatives) gives its default, "x-default", first;
    an rdf:Seq or rdf:Bag its items, all of them when `every_item`.
    """
    tag = f"{{{namespace}}}{name}"
    values: list[str] = []
    for element in root.iter():
        if tag in element.attrib:
            values.append(element.attrib[tag])
        if element.tag != tag:
            continue
        items = list(element.iter(f"{{{RDF}}}li"))
        if not items:
            if element.text and element.text.strip():
                values.append(element.text)
            continue
        items.sort(key=lambda item: item.get("{http://www.w3.org/XML/1998/namespace}lang") != "x-default")
        texts = [item.text for item in items if item.text and item.text.strip()]
        values.extend(texts if every_item else texts[:1])
    return values
