"""A streaming reader for WordPress eXtended RSS (WXR 1.0 to 1.2).

Items are handed out one at a time and their elements dropped at once, so
memory stays flat however large the export. The XML goes through defusedxml:
an export is untrusted input, and an entity bomb or an external entity is
refused rather than expanded or fetched.

WordPress writes its namespaces as http://wordpress.org/export/1.2/ (and
…/1.2/excerpt/); other exporters write https://, and older WordPress 1.0 or
1.1: all six forms are the same WXR.
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

WXR_NAMESPACE = re.compile(
    r"https?://wordpress\.org/export/1\.\d+(?:/(?P<excerpt>excerpt))?/?", re.IGNORECASE
)
NAMESPACE_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file is not a readable WordPress export; the message says where and why."""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    # Lines on which control characters XML does not allow (NUL and others) were removed.
    control_character_lines: list[int] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The exported blog's address, which keys everything imported from it."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Category:
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class Tag:
    slug: str
    name: str


@dataclass
class Comment:
    id: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = ""


@dataclass
class Item:
    """One <item>: a post, page, attachment, menu item or any other post type."""

    position: int
    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    # (domain, nicename, name) of each <category> element: categories, tags, formats...
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the report names this item."""
        title = " ".join(self.title.split())
        title = f"{title[:60]}…" if len(title) > 60 else title
        kind = self.post_type or "item"
        ident = f"{kind} {self.post_id}" if self.post_id else f"{kind} at position {self.position}"
        return f"{ident} ({title!r})" if title else ident


Record = Channel | Author | Category | Tag | Item


@functools.lru_cache(maxsize=1024)
def local_name(tag: str) -> str:
    """'wp:post_id' for any WXR version's namespace, 'title' for plain RSS elements.

    Cached: it is asked twice for every element of the export, of a few dozen kinds.
    """
    if not tag.startswith("{"):
        return tag
    namespace, _, name = tag[1:].partition("}")
    prefix = _namespace_prefix(namespace)
    return f"{prefix}:{name}" if prefix else name


@functools.lru_cache(maxsize=64)
def _namespace_prefix(namespace: str) -> str:
    """Cached: every element of an export asks, and an export has a handful of namespaces."""
    wxr = WXR_NAMESPACE.fullmatch(namespace)
    if wxr is not None:
        return "excerpt" if wxr.group("excerpt") else "wp"
    return NAMESPACE_PREFIXES.get(namespace, "")


def _text(element: Element | None, strip: bool = True) -> str:
    if element is None:
        return ""
    text = "".join(element.itertext())
    return text.strip() if strip else text


def _children(element: Element) -> dict[str, Element]:
    """First child of each name (WXR repeats only categories, meta and comments)."""
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(local_name(child.tag), child)
    return found


ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "pubDate": "pub_date",
    "dc:creator": "creator",
    "guid": "guid",
    "wp:post_id": "post_id",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:post_modified": "post_modified",
    "wp:post_modified_gmt": "post_modified_gmt",
    "wp:comment_status": "comment_status",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_parent": "post_parent",
    "wp:menu_order": "menu_order",
    "wp:post_type": "post_type",
    "wp:post_password": "post_password",
    "wp:is_sticky": "is_sticky",
    "wp:attachment_url": "attachment_url",
}
COMMENT_FIELDS = {
    "wp:comment_id": "id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "author_email",
    "wp:comment_author_url": "author_url",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
    "wp:comment_parent": "parent",
}


def parse_item(element: Element, position: int) -> Item:
    item = Item(position=position)
    for child in element:
        name = local_name(child.tag)
        if name in ITEM_FIELDS:
            # The first occurrence wins, as in WordPress's own importer.
            if not getattr(item, ITEM_FIELDS[name]):
                setattr(item, ITEM_FIELDS[name], _text(child))
        elif name == "content:encoded":
            item.content = _text(child, strip=False)
        elif name == "excerpt:encoded":
            item.excerpt = _text(child, strip=False)
        elif name == "category":
            domain = child.get("domain", "")
            if domain:
                item.terms.append((domain, (child.get("nicename") or "").strip(), _text(child)))
        elif name == "wp:postmeta":
            parts = _children(child)
            key = _text(parts.get("wp:meta_key"))
            if key and key not in item.meta:
                item.meta[key] = _text(parts.get("wp:meta_value"))
        elif name == "wp:comment":
            item.comments.append(parse_comment(child))
    return item


def parse_comment(element: Element) -> Comment:
    comment = Comment(id="")
    for child in element:
        name = local_name(child.tag)
        if name in COMMENT_FIELDS:
            setattr(comment, COMMENT_FIELDS[name], _text(child))
        elif name == "wp:comment_content":
            comment.content = _text(child, strip=False)
    return comment


def parse_author(element: Element) -> Author:
    parts = _children(element)
    return Author(
        login=_text(parts.get("wp:author_login")),
        email=_text(parts.get("wp:author_email")),
        display_name=_text(parts.get("wp:author_display_name")),
        first_name=_text(parts.get("wp:author_first_name")),
        last_name=_text(parts.get("wp:author_last_name")),
    )


def parse_category(element: Element) -> Category:
    parts = _children(element)
    return Category(
        slug=_text(parts.get("wp:category_nicename")),
        name=_text(parts.get("wp:cat_name")),
        parent_slug=_text(parts.get("wp:category_parent")),
        description=_text(parts.get("wp:category_description")),
    )


def parse_tag(element: Element) -> Tag:
    parts = _children(element)
    return Tag(slug=_text(parts.get("wp:tag_slug")), name=_text(parts.get("wp:tag_name")))


CHANNEL_RECORDS = {
    "wp:author": parse_author,
    # WordPress.com writes its authors as wp:wp_author.
    "wp:wp_author": parse_author,
    "wp:category": parse_category,
    "wp:tag": parse_tag,
}
CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


# C0 control characters XML 1.0 does not allow in any form. WordPress writes them as they
# were typed (a NUL pasted into a comment), and the XML parser then refuses the whole file.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


class WithoutControlCharacters(io.RawIOBase):
    """A byte stream with those control characters removed, and the lines they were on noted.

    Only for encodings in which those bytes are those characters (not UTF-16 or UTF-32,
    where they are halves of others).
    """

    def __init__(self, handle: IO[bytes]):
        super().__init__()
        self.handle = handle
        self.lines: list[int] = []
        self._line = 1

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        cleaned = chunk.translate(None, CONTROL_BYTES)
        if len(cleaned) != len(chunk):
            for at, byte in enumerate(chunk):
                if byte in CONTROL_BYTES:
                    line = self._line + chunk.count(b"\n", 0, at)
                    if not self.lines or self.lines[-1] != line:
                        self.lines.append(line)
        self._line += chunk.count(b"\n")
        return cleaned

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.handle.close()
        super().close()


def _is_wide(start: bytes) -> bool:
    """UTF-16 or UTF-32, by the byte-order mark or the zero bytes around the first '<'."""
    return start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or start[:4] in (
        b"<\x00?\x00",
        b"\x00<\x00?",
        b"<\x00\x00\x00",
        b"\x00\x00\x00<",
    )


XML_DECLARED_ENCODING = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")


def open_export(name: str) -> IO:
    """The export, opened for the XML parser.

    expat reads UTF-8, UTF-16 and single-byte encodings itself, and refuses the
    others ("multi-byte encodings are not supported"): Shift_JIS, EUC-JP, GB2312,
    Big5, UTF-7. A file declaring one of those is decoded here as it is read, a
    chunk at a time, and reaches the parser as text, which expat takes as UTF-8
    whatever the declaration says.
    """
    # Returned open: read_wxr closes it.
    handle = open(name, "rb")
    try:
        start = handle.read(1024)
        handle.seek(0)
        if not _is_wide(start):
            handle = WithoutControlCharacters(handle)
        match = XML_DECLARED_ENCODING.match(start)
        if match is None:
            return handle
        declared = match.group(1).decode("ascii")
        try:
            codec = codecs.lookup(declared)
        except LookupError:
            raise WXRError(
                f"{name}: refused: the file declares the encoding {declared!r}, which is not known; "
                "nothing was imported"
            ) from None
        # expat's own test: a codec that does not turn each of the 256 bytes into one
        # character is one it refuses. UTF-16's declaration is not ASCII, so it never gets here.
        if codec.name.startswith("utf-16") or len(bytes(range(256)).decode(codec.name, "replace")) == 256:
            return handle
        if isinstance(handle, WithoutControlCharacters):
            handle = io.BufferedReader(handle)
        return io.TextIOWrapper(handle, encoding=codec.name, newline="")
    except BaseException:
        handle.close()
        raise


def read_wxr(path: str | os.PathLike) -> Iterator[Record]:
    """Yield the channel's authors, categories, tags and items in file order, then the Channel.

    Raises WXRError for a file that is not XML, not well formed, not a WXR
    export, or that declares entities.
    """
    name = os.fspath(path)
    channel = Channel()
    stack: list[Element] = []
    seen_wxr = False
    position = 0
    source = open_export(name)
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if not stack and local_name(element.tag) != "rss":
                    raise WXRError(
                        f"{name} is not a WordPress export (WXR): its root element is "
                        f"<{local_name(element.tag)}>, not <rss>"
                    )
                if not seen_wxr and local_name(element.tag).startswith(("wp:", "excerpt:")):
                    seen_wxr = True
                stack.append(element)
                continue
            stack.pop()
            tag = local_name(element.tag)
            parent_tag = local_name(stack[-1].tag) if stack else ""
            if parent_tag != "channel":
                continue
            record: Record | None = None
            if tag == "item":
                position += 1
                record = parse_item(element, position)
            elif tag in CHANNEL_RECORDS:
                record = CHANNEL_RECORDS[tag](element)
            elif tag in CHANNEL_FIELDS:
                setattr(channel, CHANNEL_FIELDS[tag], _text(element))
            # Drop what was read, so the channel never holds more than one item.
            stack[-1].remove(element)
            element.clear()
            if record is not None:
                yield record
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise WXRError(f"{name}: line {line}, column {column}: {reason}; nothing was imported") from exc
    except EntitiesForbidden as exc:
        raise WXRError(
            f"{name}: refused: the file declares the entity {exc.name!r} (entity expansion is not "
            "allowed, it is how XML bombs work); nothing was imported"
        ) from exc
    except ExternalReferenceForbidden as exc:
        raise WXRError(
            f"{name}: refused: the file refers to an external resource ({exc.sysid or exc.pubid}); "
            "nothing was imported"
        ) from exc
    except DTDForbidden as exc:
        raise WXRError(f"{name}: refused: the file carries a document type declaration") from exc
    except DefusedXmlException as exc:
        raise WXRError(f"{name}: refused: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise WXRError(f"{name}: the file is not valid text in its declared encoding") from exc
    finally:
        source.close()
    raw = source.buffer.raw if isinstance(source, io.TextIOWrapper) else source
    channel.control_character_lines = getattr(raw, "lines", [])
    if not seen_wxr:
        raise WXRError(f"{name} is not a WordPress export (WXR): it has no WordPress (wp:) elements")
    yield channel
