"""Uploaded SVG logos, rebuilt from an allowlist so that they can carry no script.

An SVG is a document that can run script and load other files. The logo is
shown as an <img> (where a browser runs none of it) and served under /media/
with a sandboxing policy, but the file lives on the site's own domain, so it is
cleaned as well, once, when it is uploaded:

- it is parsed with defusedxml: entity declarations (the "billion laughs"
  bomb) and external entities are refused, and so is anything that is not
  well-formed XML or whose root is not an <svg>;
- the tree is rebuilt from the SVG elements and attributes on the lists below.
  Everything else is left out: <script>, <foreignObject>, animations (which can
  set an href), <a> (kept as a plain group), event handlers (on*), namespaced
  editor data (Inkscape, Illustrator), comments and processing instructions;
- a reference (href, xlink:href) may only point inside the file (#id), or, for
  an embedded <image>, be a base64 PNG, JPEG, GIF or WebP: no javascript:, no
  external address, no <use> of another file;
- CSS (a <style> element or a style attribute) is dropped when it holds
  url() to anything but #id, an at-rule (@import, @font-face), image-set(),
  escapes or other ways to load a file or hide what it says;
- the result has a viewBox, a width and a height, so it scales in the header
  and the page reserves its space before it loads.

`sanitise_svg` returns the clean bytes and the intrinsic size, or raises
`SVGRefused` with a sentence for the editor.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # builds the clean output; parsing is defusedxml's
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

MAX_BYTES = 256 * 1024
MAX_ELEMENTS = 5_000
MAX_SIDE = 10_000

ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "switch", "symbol", "use",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath",
        "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
        "image", "style",
        "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
        "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
        "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    }
)  # fmt: skip
# Kept as a plain group: a link in a logo shown as an <img> leads nowhere anyway.
AS_GROUP = frozenset({"a"})

ATTRIBUTES = frozenset(
    {
        "id", "class", "style", "viewBox", "preserveAspectRatio", "width", "height", "version",
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
        "d", "points", "pathLength", "transform", "href",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "stroke-opacity", "opacity", "color", "display", "visibility", "overflow",
        "paint-order", "vector-effect", "shape-rendering", "text-rendering", "image-rendering",
        "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "mask-type",
        "gradientUnits", "gradientTransform", "spreadMethod", "offset", "stop-color", "stop-opacity",
        "patternUnits", "patternContentUnits", "patternTransform",
        "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
        "marker-start", "marker-mid", "marker-end",
        "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
        "letter-spacing", "word-spacing", "text-anchor", "text-decoration", "dominant-baseline",
        "alignment-baseline", "baseline-shift", "dx", "dy", "rotate", "textLength", "lengthAdjust",
        "startOffset", "method", "spacing", "side",
        "filter", "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
        "type", "values", "operator", "k1", "k2", "k3", "k4", "radius", "tableValues", "slope",
        "intercept", "amplitude", "exponent", "flood-color", "flood-opacity",
        "color-interpolation", "color-interpolation-filters",
        "role", "aria-label", "aria-hidden", "focusable", "lang",
    }
)  # fmt: skip

# url(#id) is a reference inside the file; any other url() could fetch something.
_URL = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL = re.compile(r"""url\(\s*(['"]?)#[A-Za-z_][\w.:-]*\1\s*\)""", re.IGNORECASE)
# What no attribute value or stylesheet of a logo needs: escapes hide the rest.
_FORBIDDEN_IN_VALUES = re.compile(
    r"javascript:|vbscript:|data:|expression\s*\(|@import|-moz-binding|behavior\s*:|[\\<]",
    re.IGNORECASE,
)
# CSS can load a file without url() too: image-set("…"), at-rules; a logo's CSS needs none of them.
_FORBIDDEN_IN_CSS = re.compile(r"@|//|image-set|image\s*\(|cross-fade|element\s*\(", re.IGNORECASE)
_EMBEDDED_RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_NUMBER = re.compile(r"[-+]?(?:[0-9]*\.[0-9]+|[0-9]+\.?)(?:[eE][-+]?[0-9]+)?")


class SVGRefused(ValueError):
    """The upload is not an SVG this site can show; the message says why, for the editor."""


@dataclass(frozen=True)
class CleanSVG:
    content: bytes
    width: int
    height: int


def _local_name(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


def safe_css(css: str) -> bool:
    """True when `css` can load nothing and hides nothing: url() only to #id, no escapes, no @import."""
    if _FORBIDDEN_IN_VALUES.search(css) or _FORBIDDEN_IN_CSS.search(css):
        return False
    return len(_URL.findall(css)) == len(_LOCAL_URL.findall(css))


def _safe_reference(element: str, value: str) -> bool:
    value = value.strip()
    if re.fullmatch(r"#[A-Za-z_][\w.:-]*", value):
        return True
    return element == "image" and _EMBEDDED_RASTER.fullmatch(value) is not None


def _clean_attributes(element: str, attributes: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, value in attributes.items():
        namespace, name = _local_name(key)
        if namespace == XLINK_NS and name == "href":
            name = "href"  # SVG 2 reads a plain href; no xlink namespace in the output
        elif namespace is not None:
            continue  # xml:space, Inkscape's and Illustrator's own data
        if name not in ATTRIBUTES or name.lower().startswith("on"):
            continue
        if name == "href":
            if _safe_reference(element, value):
                clean["href"] = value.strip()
            continue
        # Presentation attributes are CSS values: the same rules as a style attribute.
        if safe_css(value):
            clean[name] = value
    return clean


def _size(attributes: dict[str, str]) -> tuple[float, float, str]:
    """The picture's width, height and viewBox, from whichever of them the file gives."""
    view_box = attributes.get("viewBox", "")
    numbers = [float(n) for n in _NUMBER.findall(view_box)]
    box = numbers if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0 else None
    lengths = [_LENGTH.match(attributes.get(side, "")) for side in ("width", "height")]
    width, height = (float(match.group(1)) if match else None for match in lengths)
    if box is not None:
        ratio = box[2] / box[3]
        if width and height:
            pass
        elif width:
            height = width / ratio
        elif height:
            width = height * ratio
        else:
            width, height = box[2], box[3]
    elif width and height:
        box = [0, 0, width, height]
    else:
        raise SVGRefused(
            "The SVG needs a viewBox, or a width and a height in pixels, to be shown at any size."
        )
    if not (width and height) or width > MAX_SIDE or height > MAX_SIDE:
        raise SVGRefused(f"The SVG's size must be between 1 and {MAX_SIDE:,} pixels a side.")
    return width, height, " ".join(f"{n:g}" for n in box)


def sanitise_svg(data: bytes) -> CleanSVG:
    """The SVG in `data` rebuilt from allowed elements and attributes; `SVGRefused` when it cannot be."""
    if len(data) > MAX_BYTES:
        raise SVGRefused(f"The SVG is larger than {MAX_BYTES // 1024} KB: a logo needs far less.")
    try:
        # defusedxml's defaults: a DOCTYPE is accepted, entity declarations and external ones are not.
        root = fromstring(data)
    except DefusedXmlException:
        raise SVGRefused(
            "The SVG declares entities (which can make it explode in size or read other files): "
            "export it again without a DOCTYPE."
        ) from None
    except (ET.ParseError, ValueError, UnicodeError) as error:
        raise SVGRefused(f"The file is not a well-formed SVG ({error}).") from None
    namespace, name = _local_name(root.tag)
    if name != "svg" or namespace not in (SVG_NS, None):
        raise SVGRefused("The file is not an SVG: its first element is not <svg>.")
    # A file without the SVG namespace is read as if it had it (browsers would show nothing).
    svg_is_default = namespace is None

    count = 0

    def rebuild(source: ET.Element) -> ET.Element | None:
        nonlocal count
        count += 1
        if count > MAX_ELEMENTS:
            raise SVGRefused(f"The SVG has more than {MAX_ELEMENTS:,} elements: too complex for a logo.")
        element_ns, element = _local_name(source.tag) if isinstance(source.tag, str) else ("", "")
        if element_ns != SVG_NS and not (element_ns is None and svg_is_default):
            return None
        if element in AS_GROUP:
            element = "g"
        if element not in ELEMENTS:
            return None
        attributes = _clean_attributes(element, dict(source.attrib))
        if element in ("use", "textPath") and "href" not in attributes:
            return None
        if element == "image" and "href" not in attributes:
            return None
        # Plain names: the root's xmlns puts them all in the SVG namespace.
        clean = ET.Element(element, attributes)
        if element == "style":
            css = source.text or ""
            if len(source) or not safe_css(css):
                return None
            clean.text = css
            return clean
        clean.text = source.text
        for child in source:
            rebuilt = rebuild(child)
            if rebuilt is not None:
                rebuilt.tail = child.tail
                clean.append(rebuilt)
        return clean

    clean_root = rebuild(root)
    if clean_root is None:  # pragma: no cover (the root was checked above)
        raise SVGRefused("The file is not an SVG.")
    width, height, view_box = _size(clean_root.attrib)
    clean_root.set("viewBox", view_box)
    clean_root.set("width", f"{width:g}")
    clean_root.set("height", f"{height:g}")
    clean_root.set("xmlns", SVG_NS)
    content = ET.tostring(clean_root, encoding="unicode")
    return CleanSVG(content.encode(), max(1, round(width)), max(1, round(height)))
