"""WordPress post content to the article body's blocks.

Block-editor content is split on its comment delimiters (`<!-- wp:paragraph -->`)
and each block mapped to the nearest article block; classic content gets
WordPress's own paragraph rule (wpautop) first. Whatever has no block of its
own becomes a paragraph of its text and is counted, so the report can say
what was simplified: no text is lost without a trace.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from wagtail.embeds.finders.oembed import OEmbedFinder

from news.blocks import RICH_TEXT_FEATURES

HEADING_MAX_LENGTH = 255
CAPTION_MAX_LENGTH = 500
ATTRIBUTION_MAX_LENGTH = 255
ALT_MAX_LENGTH = 255

# What the paragraph block's rich text keeps (RICH_TEXT_FEATURES), by HTML tag.
FEATURE_TAGS = {
    "bold": ("b", "strong"),
    "italic": ("i", "em"),
    "superscript": ("sup",),
    "subscript": ("sub",),
}
INLINE_TAGS = {
    tag: canonical
    for feature, tags in FEATURE_TAGS.items()
    if feature in RICH_TEXT_FEATURES
    for canonical in tags[:1]
    for tag in tags
}
LIST_TAGS = {tag for tag in ("ol", "ul") if tag in RICH_TEXT_FEATURES}
LINKS = "link" in RICH_TEXT_FEATURES
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "tel", "")

BLOCK_LEVEL = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "ul", "iframe", "script", "style", "noscript", "video", "audio", "object", "embed",
    "wp-embed", "wp-gallery", "svg", "canvas", "select", "textarea", "menu",
}  # fmt: skip
CONTAINERS = {"article", "aside", "center", "details", "div", "footer", "header", "hgroup", "main",
              "nav", "section", "summary", "fieldset", "form", "menu"}  # fmt: skip
NO_TEXT = {"script", "style", "noscript", "svg", "canvas", "select", "textarea", "object", "embed"}

WHOLE_BLOCKS = {"list", "quote", "pullquote", "table"}
# Blocks with no reader-visible text of their own: nothing to keep.
DROPPED_BLOCKS = {"separator", "spacer", "more", "nextpage"}
# Layout blocks: their inner blocks are kept in order, the wrapper is not.
LAYOUT_BLOCKS = {"columns", "column", "group", "cover", "media-text", "row", "stack", "buttons",
                 "button", "details"}  # fmt: skip
TEXT_BLOCKS = {"paragraph", "heading", "list", "list-item", "quote", "pullquote", "table", "image",
               "gallery", "html", "freeform", "code", "preformatted", "verse", "shortcode"}  # fmt: skip

BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
# Shortcodes WordPress core and the common plugins register; an unknown [word]
# is left alone unless it has a closing tag or attributes, as it was ordinary
# text on the WordPress site too.
KNOWN_SHORTCODES = {
    "audio", "video", "playlist", "wp_caption", "caption", "gallery", "embed", "contact-form",
    "contact-form-7", "gravityform", "soundcloud", "youtube", "vimeo", "tweet", "googlemaps",
    "code", "sourcecode", "latex", "polldaddy", "slideshow", "recipe", "portfolio", "archives",
    "instagram", "dailymotion", "ted", "scribd", "wpvideo", "blip.tv", "vr", "mailchimp",
}  # fmt: skip
SHORTCODE_TAG = re.compile(r"\[(?P<close>/)?(?P<name>[A-Za-z][\w.-]*)(?P<attrs>(?:\s[^\]]*)?)\]")
SHORTCODE_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
RESIZED_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
WHITESPACE = re.compile(r"\s+")

_oembed = OEmbedFinder()


@dataclass(frozen=True)
class RefusedImage:
    """The file is there but is not taken as an image (an SVG, a file whose bytes are not
    what its name says...): not missing, and the report says why."""

    file: str
    reason: str


class MediaResolver(Protocol):
    """Finds (and imports) the image behind a WordPress attachment id or upload URL."""

    def image_for_attachment(self, attachment_id: str) -> tuple[int, str] | RefusedImage | None:
        """(image id, alt text), RefusedImage, or None when the file is not available."""

    def image_for_url(self, url: str, alt: str = "") -> tuple[int, str] | RefusedImage | None:
        """(image id, alt text), RefusedImage, or None when the file is not available."""

    def attachments_of_post(self) -> list[str]:
        """Attachment ids of the post being converted (for [gallery] without ids)."""


@dataclass
class Conversion:
    blocks: list[dict] = field(default_factory=list)
    # "core/latest-posts", "<iframe>", "[contact-form]": what was simplified or dropped, counted.
    unmapped: Counter = field(default_factory=Counter)
    missing_media: list[str] = field(default_factory=list)
    refused_media: list[RefusedImage] = field(default_factory=list)

    def add(self, block_type: str, value) -> None:
        self.blocks.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})


def collapse(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


# --- rich text ---------------------------------------------------------------


def _safe_href(href: str) -> str | None:
    href = href.strip()
    if not href or "\x00" in href:
        return None
    scheme = urlparse(href).scheme.lower()
    return href if scheme in SAFE_LINK_SCHEMES else None


def _inline_html(node, allow_lists: bool = True) -> str:
    """The node's content as rich text inline HTML with only the allowed features."""
    if isinstance(node, Comment):
        return ""
    if isinstance(node, NavigableString):
        return html.escape(str(node), quote=False)
    if not isinstance(node, Tag):
        return ""
    name = node.name
    if name in NO_TEXT:
        return ""
    if name == "br":
        return "<br/>"
    if name == "img":
        return ""
    inner = "".join(_inline_html(child, allow_lists) for child in node.children)
    if name in INLINE_TAGS:
        tag = INLINE_TAGS[name]
        return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
    if name == "a" and LINKS:
        href = _safe_href(node.get("href") or "")
        if href and inner.strip():
            return f'<a href="{html.escape(href)}">{inner}</a>'
        return inner
    return inner


def _list_html(node: Tag) -> str:
    tag = node.name if node.name in LIST_TAGS else None
    items = []
    for child in node.children:
        if isinstance(child, Tag) and child.name == "li":
            parts = []
            for grandchild in child.children:
                if isinstance(grandchild, Tag) and grandchild.name in ("ul", "ol"):
                    parts.append(_list_html(grandchild))
                elif isinstance(grandchild, Tag) and grandchild.name == "p":
                    parts.append(_inline_html(grandchild))
                else:
                    parts.append(_inline_html(grandchild))
            items.append("".join(parts).strip())
        elif isinstance(child, Tag):
            text = _inline_html(child).strip()
            if text:
                items.append(text)
        elif isinstance(child, NavigableString) and not isinstance(child, Comment) and str(child).strip():
            items.append(html.escape(str(child).strip(), quote=False))
    items = [item for item in items if item]
    if not items:
        return ""
    if tag is None:
        return "".join(f"<p>{item}</p>" for item in items)
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def clean_rich_text(fragment: str) -> str:
    """Any HTML fragment as paragraph-block rich text: <p> and lists, with the allowed inline features."""
    soup = BeautifulSoup(fragment, "html.parser")
    return _rich_text_of(soup)


def _rich_text_of(node: Tag) -> str:
    out: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        text = "".join(inline).strip()
        text = re.sub(r"^(?:<br/>\s*)+|(?:\s*<br/>)+$", "", text)
        if _has_text(text):
            out.append(f"<p>{text}</p>")
        inline.clear()

    for child in node.children:
        if isinstance(child, Tag) and child.name in NO_TEXT:
            continue
        if isinstance(child, Tag) and child.name in ("ul", "ol", "dl"):
            flush()
            out.append(_list_html(child) if child.name != "dl" else _definition_list(child))
        elif isinstance(child, Tag) and (child.name in BLOCK_LEVEL or child.name == "li"):
            flush()
            out.append(_rich_text_of(child))
        else:
            inline.append(_inline_html(child))
    flush()
    return "".join(part for part in out if part)


def _definition_list(node: Tag) -> str:
    parts = []
    for child in node.find_all(["dt", "dd"]):
        text = _inline_html(child).strip()
        if text:
            parts.append(f"<b>{text}</b>" if child.name == "dt" and "bold" in RICH_TEXT_FEATURES else text)
    return "".join(f"<p>{part}</p>" for part in parts)


def _has_text(fragment: str) -> bool:
    return bool(re.sub(r"<[^>]+>|&nbsp;|\s|\xa0", "", fragment))


# --- wpautop -----------------------------------------------------------------

ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
    r"|footer|nav|figure|figcaption|details|menu|summary|wp-embed|wp-gallery)"
)


def wpautop(text: str) -> str:
    """WordPress's rule for classic content: blank lines make paragraphs, single newlines <br />.

    A port of the main steps of wp-includes/formatting.php's wpautop().
    """
    if not text.strip():
        return ""
    preserved: list[str] = []

    def keep(match: re.Match) -> str:
        preserved.append(match.group(0))
        return f"<pre wp-pre-tag-{len(preserved) - 1}></pre>"

    text = re.sub(r"<(pre|script|style|svg)\b.*?</\1>", keep, text + "\n", flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<" + ALLBLOCKS + r"[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(</" + ALLBLOCKS + r">)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = re.split(r"\n[ \t]*\n", text)
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs if p.strip())
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!<br />)[ \t]*\n", "<br />\n", text)
    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.IGNORECASE
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    for index, original in enumerate(preserved):
        text = text.replace(f"<pre wp-pre-tag-{index}></pre>", original)
    return text


# --- shortcodes --------------------------------------------------------------


def shortcode_attrs(text: str) -> dict[str, str]:
    attrs = {}
    for match in SHORTCODE_ATTR.finditer(html.unescape(text)):
        attrs[match.group(1).lower()] = next(g for g in match.groups()[1:] if g is not None)
    return attrs


def expand_shortcodes(text: str, unmapped: Counter) -> str:
    """[caption], [embed] and [gallery] as markup the mapper knows; other shortcodes
    stripped with their inner text kept (and counted)."""
    out: list[str] = []
    position = 0
    for match in SHORTCODE_TAG.finditer(text):
        if match.start() < position:
            continue
        name = match["name"].lower()
        closing = f"[/{match['name']}]"
        end = text.find(closing, match.end()) if not match["close"] else -1
        known = name in KNOWN_SHORTCODES or end != -1 or "=" in match["attrs"]
        if not known:
            continue
        out.append(text[position : match.start()])
        position = match.end()
        if match["close"]:
            continue  # a stray closing tag: drop it
        attrs = shortcode_attrs(match["attrs"])
        inner = text[match.end() : end] if end != -1 else ""
        if end != -1:
            position = end + len(closing)
        if name in ("caption", "wp_caption"):
            out.append(_caption_markup(inner, attrs))
        elif name == "embed":
            out.append(f'<wp-embed url="{html.escape(collapse(html.unescape(inner)))}"></wp-embed>')
        elif name == "gallery":
            out.append(f'<wp-gallery ids="{html.escape(attrs.get("ids", attrs.get("include", "")))}">')
            out.append("</wp-gallery>")
            if inner:
                out.append(expand_shortcodes(inner, unmapped))
        elif name in ("youtube", "vimeo", "dailymotion", "tweet", "instagram", "soundcloud") and (
            attrs.get("url") or collapse(inner) or match["attrs"].strip()
        ):
            url = attrs.get("url") or collapse(html.unescape(inner)) or match["attrs"].strip()
            out.append(f'<wp-embed url="{html.escape(url)}"></wp-embed>')
        else:
            unmapped[f"[{name}]"] += 1
            if inner:
                out.append(expand_shortcodes(inner, unmapped))
    out.append(text[position:])
    return "".join(out)


def _caption_markup(inner: str, attrs: dict[str, str]) -> str:
    attachment = attrs.get("id", "").removeprefix("attachment_")
    soup = BeautifulSoup(inner, "html.parser")
    image = soup.find("img")
    caption = attrs.get("caption", "")
    if image is not None:
        # The caption is whatever text follows the image inside the shortcode.
        holder = image.parent if image.parent is not None and image.parent.name == "a" else image
        holder.extract()
        caption = caption or soup.get_text(" ")
        image_html = str(image)
    else:
        image_html = ""
        caption = caption or soup.get_text(" ")
    return (
        f'<figure data-attachment-id="{html.escape(attachment)}">{image_html}'
        f"<figcaption>{html.escape(collapse(caption))}</figcaption></figure>"
    )


# --- HTML to blocks ----------------------------------------------------------


class Converter:
    def __init__(self, media: MediaResolver | None):
        self.media = media
        self.result = Conversion()

    # Entry points

    def convert(self, content: str) -> Conversion:
        if "<!-- wp:" in content:
            for part in parse_blocks(content):
                self.block(part)
        else:
            self.classic(content)
        return self.result

    def classic(self, fragment: str) -> None:
        if not fragment.strip():
            return
        fragment = expand_shortcodes(fragment, self.result.unmapped)
        fragment = self._auto_embeds(fragment)
        self.html(wpautop(fragment))

    def html(self, fragment: str, attachment_id: str = "") -> None:
        if not fragment.strip():
            return
        soup = BeautifulSoup(fragment, "html.parser")
        self.nodes(list(soup.children), attachment_id)

    # Block editor

    def block(self, block: Block) -> None:
        name = block.name
        short = name.removeprefix("core/") if name else "freeform"
        if short in DROPPED_BLOCKS:
            return
        if short == "freeform":
            self.classic(block.inner_html)
        elif short in ("embed", "video") or short.startswith("core-embed/") or name.startswith("core-embed/"):
            url = block.attrs.get("url") or ""
            soup = BeautifulSoup(block.inner_html, "html.parser")
            caption = collapse(soup.figcaption.get_text(" ")) if soup.figcaption else ""
            if not url:
                url = collapse(soup.get_text(" ")).split(" ")[0] if soup.get_text().strip() else ""
            if url.startswith(("http://", "https://")) and short != "video":
                self.result.add("embed", {"embed": url, "caption": caption[:CAPTION_MAX_LENGTH]})
            else:
                self.result.unmapped[name] += 1
                self.nodes(list(soup.children))
        elif short == "image":
            self.html(block.inner_html, attachment_id=str(block.attrs.get("id") or ""))
        elif short == "shortcode":
            self.classic(block.inner_html)
        elif short in ("html",):
            self.html(block.inner_html)
        elif short in WHOLE_BLOCKS:
            # Their inner blocks (list items, quoted paragraphs) only make sense together.
            self.html(block.full_html)
        elif short in TEXT_BLOCKS or short in LAYOUT_BLOCKS:
            self.parts(block)
        else:
            text = BeautifulSoup(block.inner_html, "html.parser").get_text(" ")
            self.result.unmapped[name] += 1
            if block.inner_blocks or collapse(text):
                self.parts(block)

    def parts(self, block: Block) -> None:
        if not block.inner_blocks:
            self.html(block.inner_html)
            return
        for part in block.parts:
            if isinstance(part, Block):
                self.block(part)
            elif collapse(BeautifulSoup(part, "html.parser").get_text(" ")) or "<img" in part:
                self.html(part)

    # HTML nodes

    def nodes(self, nodes: Iterable, attachment_id: str = "") -> None:
        inline: list = []

        def flush() -> None:
            if inline:
                self.paragraph_from(inline)
                inline.clear()

        for node in nodes:
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                inline.append(node)
            elif isinstance(node, Tag) and node.name == "img":
                flush()
                self.image(node, attachment_id=attachment_id)
            elif (
                isinstance(node, Tag)
                and node.name == "a"
                and node.find("img")
                and not collapse(node.get_text())
            ):
                flush()
                for image in node.find_all("img"):
                    self.image(image, attachment_id=attachment_id)
            elif isinstance(node, Tag) and node.name in BLOCK_LEVEL:
                flush()
                self.element(node, attachment_id)
            else:
                inline.append(node)
        flush()

    def paragraph_from(self, nodes: list) -> None:
        images = [img for node in nodes if isinstance(node, Tag) for img in node.find_all("img")]
        text = "".join(_inline_html(node) for node in nodes).strip()
        text = re.sub(r"^(?:<br/>\s*)+|(?:\s*<br/>)+$", "", text)
        if _has_text(text):
            self.result.add("paragraph", f"<p>{text}</p>")
        for image in images:
            self.image(image)

    def element(self, node: Tag, attachment_id: str = "") -> None:
        name = node.name
        if name == "p":
            images = node.find_all("img")
            if images:
                for image in images:
                    (image.parent if image.parent.name == "a" else image).extract()
                    self.image(image, attachment_id=attachment_id)
            self.rich_text(node)
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(node)
        elif name in ("ul", "ol"):
            if node.find("img") and not collapse(node.get_text()):
                for image in node.find_all("img"):
                    self.image(image)  # an old block-editor gallery
            else:
                self.rich_text_html(_list_html(node))
        elif name == "dl":
            self.rich_text_html(_definition_list(node))
        elif name == "blockquote":
            self.quote(node)
        elif name == "figure":
            self.figure(node, attachment_id)
        elif name == "table":
            self.table(node)
        elif name == "pre":
            text = html.escape(node.get_text().strip("\n"), quote=False).replace("\n", "<br/>")
            if text.strip():
                self.result.add("paragraph", f"<p>{text}</p>")
        elif name == "hr":
            return
        elif name == "iframe":
            url = _embed_url_for_frame(node.get("src") or "")
            if url:
                self.result.add("embed", {"embed": url, "caption": ""})
            else:
                self.result.unmapped["<iframe>"] += 1
        elif name == "wp-embed":
            url = node.get("url") or ""
            if url.startswith(("http://", "https://")):
                self.result.add("embed", {"embed": url, "caption": ""})
            else:
                self.result.unmapped["[embed]"] += 1
        elif name == "wp-gallery":
            ids = [part.strip() for part in (node.get("ids") or "").split(",") if part.strip()]
            if not ids and self.media is not None:
                ids = self.media.attachments_of_post()
            for attachment in ids:
                self.image(None, attachment_id=attachment)
        elif name in ("video", "audio", "object", "embed"):
            self.result.unmapped[f"<{name}>"] += 1
            self.rich_text(node)
        elif name in NO_TEXT:
            self.result.unmapped[f"<{name}>"] += 1
        elif name in CONTAINERS or name in ("li", "dd", "dt", "figcaption", "address"):
            self.nodes(list(node.children), attachment_id)
        else:
            self.result.unmapped[f"<{name}>"] += 1
            self.rich_text(node)

    def rich_text(self, node: Tag) -> None:
        self.rich_text_html(_rich_text_of(node))

    def rich_text_html(self, value: str) -> None:
        if _has_text(value):
            self.result.add("paragraph", value)

    def heading(self, node: Tag) -> None:
        text = collapse(node.get_text(" "))
        if not text:
            return
        if len(text) > HEADING_MAX_LENGTH:
            # Too long for a heading block: kept whole, as bold text.
            self.result.unmapped[f"<{node.name}> longer than {HEADING_MAX_LENGTH}"] += 1
            self.result.add("paragraph", f"<p><b>{html.escape(text, quote=False)}</b></p>")
            return
        level = "h2" if node.name in ("h1", "h2") else "h3"
        self.result.add("heading", {"text": text, "level": level, "anchor": ""})

    def quote(self, node: Tag, caption: str = "") -> None:
        cite = node.find("cite") or node.find("footer")
        attribution = collapse(cite.get_text(" ")) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [collapse(p.get_text(" ")) for p in node.find_all("p")]
        text = "\n\n".join(p for p in paragraphs if p) or collapse(node.get_text(" "))
        attribution = attribution or caption
        if len(attribution) > ATTRIBUTION_MAX_LENGTH:
            text, attribution = f"{text}\n\n— {attribution}", ""
        if text:
            self.result.add("quote", {"text": text, "attribution": attribution, "role": ""})
        elif attribution:
            self.result.add("paragraph", f"<p>{html.escape(attribution, quote=False)}</p>")

    def figure(self, node: Tag, attachment_id: str = "") -> None:
        figcaption = node.find("figcaption")
        caption = collapse(figcaption.get_text(" ")) if figcaption else ""
        if figcaption:
            figcaption.extract()
        attachment_id = node.get("data-attachment-id") or attachment_id
        images = node.find_all("img")
        if node.find("blockquote"):
            self.quote(node.find("blockquote"), caption)
        elif node.find("table"):
            self.table(node.find("table"), caption)
        elif images:
            for index, image in enumerate(images):
                self.image(image, caption=caption if index == 0 else "", attachment_id=attachment_id)
            if len(images) > 1 and caption:
                self.result.add("paragraph", f"<p>{html.escape(caption, quote=False)}</p>")
        else:
            self.nodes(list(node.children))
            if caption:
                self.result.add("paragraph", f"<p>{html.escape(caption, quote=False)}</p>")

    def image(self, node: Tag | None, caption: str = "", attachment_id: str = "") -> None:
        alt = collapse(node.get("alt") or "") if node is not None else ""
        src = (node.get("src") or "") if node is not None else ""
        if not attachment_id and node is not None:
            match = re.search(r"\bwp-image-(\d+)\b", " ".join(node.get("class") or []))
            attachment_id = match.group(1) if match else ""
        found = None
        if self.media is not None:
            if attachment_id:
                found = self.media.image_for_attachment(attachment_id)
            if found is None and src:
                found = self.media.image_for_url(src, alt)
        if found is None or isinstance(found, RefusedImage):
            if isinstance(found, RefusedImage):
                if found not in self.result.refused_media:
                    self.result.refused_media.append(found)
            else:
                missing = src or f"attachment {attachment_id}"
                if missing and missing not in self.result.missing_media:
                    self.result.missing_media.append(missing)
            if caption:
                # The picture is gone but its caption is text: keep it.
                self.result.add("paragraph", f"<p>{html.escape(caption, quote=False)}</p>")
            return
        image_id, stored_alt = found
        self.result.add(
            "image",
            {
                "image": image_id,
                "alt_text": (alt or stored_alt or caption)[:ALT_MAX_LENGTH],
                "caption": caption[:CAPTION_MAX_LENGTH],
                "credit": "",
            },
        )
        if len(caption) > CAPTION_MAX_LENGTH:
            self.result.add("paragraph", f"<p>{html.escape(caption, quote=False)}</p>")

    def table(self, node: Tag, caption: str = "") -> None:
        caption_node = node.find("caption")
        if caption_node is not None:
            caption = caption or collapse(caption_node.get_text(" "))
            caption_node.extract()
        rows = []
        header = False
        for row_index, row in enumerate(node.find_all("tr")):
            cells = row.find_all(["td", "th"])
            if row_index == 0 and cells and all(cell.name == "th" for cell in cells):
                header = True
            if row_index == 0 and row.find_parent("thead") is not None:
                header = True
            rows.append([collapse(cell.get_text(" ")) for cell in cells])
        if not rows or not any(any(row) for row in rows):
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        if len(caption) > 255:
            self.result.add("paragraph", f"<p>{html.escape(caption, quote=False)}</p>")
            caption = ""
        self.result.add(
            "table",
            {
                "caption": caption,
                "table": {
                    "data": rows,
                    "first_row_is_table_header": header,
                    "first_col_is_header": False,
                    "table_header_choice": "row" if header else "neither",
                    "table_caption": "",
                },
            },
        )

    def _auto_embeds(self, fragment: str) -> str:
        """A URL alone on its line is an embed in WordPress when a provider knows it."""

        def replace(match: re.Match) -> str:
            url = match.group(2)
            if _oembed.accept(url):
                return f'{match.group(1)}<wp-embed url="{html.escape(url)}"></wp-embed>{match.group(3)}'
            return match.group(0)

        return re.sub(r"(^|\n)[ \t]*(https?://[^\s<>\"]+)[ \t]*(?=(\n|$))", replace, fragment)


def _embed_url_for_frame(src: str) -> str:
    """The page URL behind an embedded player, for the providers Wagtail can embed."""
    if src.startswith("//"):
        src = "https:" + src
    parsed = urlparse(src)
    host = parsed.netloc.lower()
    if "youtube" in host and parsed.path.startswith("/embed/"):
        video = parsed.path.removeprefix("/embed/").split("/")[0]
        return f"https://www.youtube.com/watch?v={video}" if video else ""
    if host == "player.vimeo.com" and parsed.path.startswith("/video/"):
        return f"https://vimeo.com/{parsed.path.removeprefix('/video/').split('/')[0]}"
    if "url" in parse_qs(parsed.query):
        candidate = parse_qs(parsed.query)["url"][0]
        return candidate if _oembed.accept(candidate) else ""
    return src if src.startswith("http") and _oembed.accept(src) else ""


# --- block parser ------------------------------------------------------------


@dataclass
class Block:
    name: str
    attrs: dict = field(default_factory=dict)
    parts: list = field(default_factory=list)  # str (HTML between inner blocks) and Block, in order

    @property
    def inner_blocks(self) -> list[Block]:
        return [part for part in self.parts if isinstance(part, Block)]

    @property
    def full_html(self) -> str:
        return "".join(part if isinstance(part, str) else part.full_html for part in self.parts)

    @property
    def inner_html(self) -> str:
        return "".join(part for part in self.parts if isinstance(part, str))


def parse_blocks(content: str) -> list[Block]:
    """Split block-editor content on its delimiters; HTML outside any block is a freeform block.

    Unclosed blocks end where the content ends, and a stray closer is ignored,
    so damaged markup loses no text.
    """
    top: list[Block] = []
    stack: list[Block] = []
    position = 0

    def emit_text(text: str) -> None:
        if not text:
            return
        if stack:
            stack[-1].parts.append(text)
        elif text.strip():
            top.append(Block(name="", parts=[text]))

    def emit_block(block: Block) -> None:
        (stack[-1].parts if stack else top).append(block)

    for match in BLOCK_DELIMITER.finditer(content):
        emit_text(content[position : match.start()])
        position = match.end()
        name = match["name"]
        if "/" not in name:
            name = f"core/{name}"
        attrs: dict = {}
        if match["attrs"]:
            try:
                parsed = json.loads(match["attrs"])
                attrs = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                attrs = {}
        if match["void"]:
            emit_block(Block(name=name, attrs=attrs))
        elif match["closer"]:
            if any(block.name == name for block in stack):
                while stack:
                    block = stack.pop()
                    emit_block(block)
                    if block.name == name:
                        break
        else:
            stack.append(Block(name=name, attrs=attrs))
    emit_text(content[position:])
    while stack:
        block = stack.pop()
        emit_block(block)
    return top


def convert_body(content: str, media: MediaResolver | None = None) -> Conversion:
    """The article body blocks for a WordPress post's content, with what was simplified."""
    return Converter(media).convert(content)


def resized_original(path: str) -> str:
    """'2013/03/photo-300x200.jpg' → '2013/03/photo.jpg': WordPress's size variants."""
    return RESIZED_SUFFIX.sub("", path)
