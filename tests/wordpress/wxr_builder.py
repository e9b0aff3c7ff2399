"""Small WordPress exports written by the tests themselves (no copied fixtures)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

HEADER = """<?xml version="1.0" encoding="{encoding}" ?>
<rss version="2.0"
    xmlns:excerpt="{excerpt_scheme}://wordpress.org/export/{version}/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:wp="{scheme}://wordpress.org/export/{version}/">
<channel>
    <title>Test Gazette</title>
    <link>{base}</link>
    <wp:wxr_version>{version}</wp:wxr_version>
    <wp:base_site_url>{base}</wp:base_site_url>
    <wp:base_blog_url>{base}</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"
BASE = "https://gazette.example"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login: str, name: str = "", email: str = "") -> str:
    return (
        f"<wp:author><wp:author_login>{escape(login)}</wp:author_login>"
        f"<wp:author_email>{escape(email or login + '@example.org')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name or login)}</wp:author_display_name></wp:author>\n"
    )


def category(slug: str, name: str, parent: str = "", description: str = "") -> str:
    return (
        f"<wp:category><wp:category_nicename>{escape(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{escape(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name>"
        f"<wp:category_description>{cdata(description)}</wp:category_description></wp:category>\n"
    )


def comment(
    comment_id: int,
    text: str,
    parent: int = 0,
    approved: str = "1",
    kind: str = "",
    author_name: str = "Reader",
    email: str = "reader@example.org",
    url: str = "",
    date: str = "2020-05-01 10:00:00",
) -> str:
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author>{cdata(author_name)}</wp:comment_author>"
        f"<wp:comment_author_email>{escape(email)}</wp:comment_author_email>"
        f"<wp:comment_author_url>{escape(url)}</wp:comment_author_url>"
        f"<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>"
        f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(text)}</wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
    )


def item(
    post_id: int,
    title: str = "",
    content: str = "<p>Body text.</p>",
    post_type: str = "post",
    status: str = "publish",
    slug: str | None = None,
    date: str = "2020-05-01 09:00:00",
    date_gmt: str | None = None,
    creator: str = "editor",
    categories: Iterable[tuple[str, str]] = (("news", "News"),),
    tags: Iterable[tuple[str, str]] = (),
    excerpt: str = "",
    comments: Iterable[str] = (),
    comment_status: str = "open",
    password: str = "",
    parent: int = 0,
    sticky: bool = False,
    link: str | None = None,
    meta: dict[str, str] | None = None,
    attachment_url: str = "",
) -> str:
    title = title if title or post_type == "attachment" else f"Story {post_id}"
    slug = slug if slug is not None else "-".join(title.lower().replace("&", " ").split())
    link = link if link is not None else f"{BASE}/2020/05/01/{slug}/"
    terms = "".join(
        f'<category domain="category" nicename="{escape(s)}">{cdata(n)}</category>' for s, n in categories
    )
    terms += "".join(
        f'<category domain="post_tag" nicename="{escape(s)}">{cdata(n)}</category>' for s, n in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{escape(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    return (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<dc:creator>{cdata(creator)}</dc:creator>{terms}"
        f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
        f"<wp:post_date_gmt>{date if date_gmt is None else date_gmt}</wp:post_date_gmt>"
        f"<wp:comment_status>{comment_status}</wp:comment_status><wp:post_name>{escape(slug)}</wp:post_name>"
        f"<wp:status>{status}</wp:status><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:post_type>{post_type}</wp:post_type><wp:post_password>{escape(password)}</wp:post_password>"
        f"<wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>"
        + (f"<wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>" if attachment_url else "")
        + metas
        + "".join(comments)
        + "</item>\n"
    )


def wxr(
    *parts: str,
    version: str = "1.2",
    base: str = BASE,
    scheme: str = "http",
    excerpt_scheme: str | None = None,
    encoding: str = "UTF-8",
) -> str:
    """`scheme` is the wp namespace's (WordPress writes http://), `excerpt_scheme` the
    excerpt namespace's (the same unless given)."""
    header = HEADER.format(
        version=version,
        base=base,
        scheme=scheme,
        excerpt_scheme=excerpt_scheme or scheme,
        encoding=encoding,
    )
    return header + "".join(parts) + FOOTER


def write(path: Path, *parts: str, encoding: str = "UTF-8", **kwargs) -> Path:
    """The export written in `encoding`, which its XML declaration names."""
    path.write_bytes(wxr(*parts, encoding=encoding, **kwargs).encode(encoding))
    return path


def write_generated(path: Path, posts: int, paragraphs: int = 8, encoding: str = "UTF-8") -> Path:
    """An export of `posts` stories, written item by item (it can be large)."""
    body = "\n\n".join(
        f"Paragraph {n} of a generated story, with <em>some</em> words and a <a href='https://example.org'>link</a>."
        for n in range(paragraphs)
    )
    with path.open("w", encoding=encoding) as out:
        out.write(
            HEADER.format(version="1.2", base=BASE, scheme="http", excerpt_scheme="http", encoding=encoding)
        )
        out.write(author("editor", "The Editor"))
        out.write(category("news", "News"))
        for n in range(1, posts + 1):
            out.write(
                item(
                    n,
                    content=body,
                    tags=[(f"topic-{n % 20}", f"Topic {n % 20}")],
                    comments=[comment(n * 10, "First!"), comment(n * 10 + 1, "A reply.", parent=n * 10)],
                )
            )
        out.write(FOOTER)
    return path
