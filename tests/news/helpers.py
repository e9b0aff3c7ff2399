"""Small readers for rendered HTML and XML, so tests assert what a reader or crawler sees."""

import json
import re
from html import unescape
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

CARD_TITLE = re.compile(r'class="(?:card__title|search-result__title)"><a href="[^"]*">(.*?)</a>', re.S)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def section(html: str, css_class: str) -> str:
    """The markup of the first element whose class attribute starts with `css_class`."""
    match = re.search(rf'<(\w+) class="{re.escape(css_class)}[^"]*".*?</\1>', html, re.S)
    return match.group(0) if match else ""


def card_titles(html: str) -> list[str]:
    return [unescape(title) for title in CARD_TITLE.findall(html)]


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(html)]


def json_ld_of_type(html: str, schema_type: str) -> dict:
    matches = [data for data in json_ld(html) if data.get("@type") == schema_type]
    assert len(matches) == 1, f"expected one {schema_type} block, found {len(matches)}"
    return matches[0]


def meta_content(html: str, key: str) -> str | None:
    """The content of <meta name|property="key">."""
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    return unescape(match.group(1)) if match else None


def link_href(html: str, rel: str, mime_type: str | None = None) -> list[str]:
    pattern = rf'<link rel="{re.escape(rel)}"' + (rf' type="{re.escape(mime_type)}"' if mime_type else "")
    pattern += r'[^>]*href="([^"]*)"'
    return [unescape(href) for href in re.findall(pattern, html)]


def parse_xml(content: bytes) -> Element:
    return ElementTree.fromstring(content)
