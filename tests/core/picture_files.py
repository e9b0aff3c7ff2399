"""Pictures carrying IPTC, XMP or EXIF, written byte by byte by the tests (no binary fixtures).

IPTC-IIM sits in a JPEG's APP13 segment, inside a Photoshop "8BIM" image
resource numbered 0x0404: each dataset is 0x1C, its record and dataset numbers,
a two-byte length and the value. Pillow reads it but cannot write it, so these
helpers build the segment and put it after the JPEG's start marker.
"""

from __future__ import annotations

import io
import struct

from PIL import Image

# Dataset numbers of IPTC's application record.
BYLINE, CREDIT, COPYRIGHT, CAPTION = 80, 110, 116, 120


def jpeg(size: tuple[int, int] = (64, 48), colour: str = "teal", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def iptc_dataset(number: int, value: bytes | str, record: int = 2) -> bytes:
    """One IPTC-IIM dataset; values of 32 KiB or more use the extended length form."""
    if isinstance(value, str):
        value = value.encode()
    if len(value) < 0x8000:
        return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value
    return struct.pack(">BBBH", 0x1C, record, number, 0x8004) + struct.pack(">I", len(value)) + value


def app13(iptc_block: bytes) -> bytes:
    """A JPEG APP13 segment holding `iptc_block` as Photoshop resource 0x0404."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc_block))
    resource += iptc_block + (b"\x00" if len(iptc_block) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    assert len(payload) + 2 <= 0xFFFF, "one APP13 segment holds at most 64 KiB"
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_iptc(*datasets: bytes, picture: bytes | None = None) -> bytes:
    """A JPEG carrying `datasets` (see `iptc_dataset`) as its IPTC."""
    picture = picture or jpeg()
    return picture[:2] + app13(b"".join(datasets)) + picture[2:]


def jpeg_with_byline_and_credit(byline: str = "Jane Doe", credit: str = "Reuters", **more: str) -> bytes:
    """The usual agency picture: a byline, a credit and optionally copyright and caption."""
    datasets = [iptc_dataset(BYLINE, byline), iptc_dataset(CREDIT, credit)]
    if "copyright" in more:
        datasets.append(iptc_dataset(COPYRIGHT, more["copyright"]))
    if "caption" in more:
        datasets.append(iptc_dataset(CAPTION, more["caption"]))
    return jpeg_with_iptc(*datasets)


XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"
    {attributes}>
{elements}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp_packet(attributes: str = "", elements: str = "") -> bytes:
    return XMP_TEMPLATE.format(attributes=attributes, elements=elements).encode()


def jpeg_with_xmp(packet: bytes) -> bytes:
    return jpeg(xmp=packet)


def jpeg_with_exif(**tags: str | bytes) -> bytes:
    """EXIF tags by name: artist, copyright, description."""
    numbers = {"description": 0x010E, "artist": 0x013B, "copyright": 0x8298}
    exif = Image.Exif()
    for name, value in tags.items():
        exif[numbers[name]] = value
    return jpeg(exif=exif)
