#!/usr/bin/env python
"""Write a WordPress export (WXR 1.2) of any size for import benchmarks and rehearsals.

    python scripts/generate_wxr.py --posts 10000 --comments 100000 --attachments 2000 -o big.xml

The same --seed gives the same file byte for byte. The export has what real ones have:
nested categories, tags, several authors, attachments (with featured images and pictures
in bodies), block-editor and classic content, drafts, pending, scheduled, private and
password-protected posts, threaded comments (held, spam and pingbacks among them) and
pages nested under pages, with comments of their own. --missing-attachments adds posts
whose featured images name attachments the export does not hold.

Never imported by the app; it only needs the standard library.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

BASE = "https://archive.example"
HEADER = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
    xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
    <title>Generated Archive</title>
    <link>{BASE}</link>
    <wp:wxr_version>1.2</wp:wxr_version>
    <wp:base_site_url>{BASE}</wp:base_site_url>
    <wp:base_blog_url>{BASE}</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"
WORDS = (
    "council budget river harbour election school road festival market library hospital "
    "storm bridge museum train farm court mayor park station theatre club season report "
    "village city county water energy housing police fire health jobs weather art music"
).split()
# Share of each post status, in order; the rest is published.
STATUSES = [("draft", 0.03), ("pending", 0.01), ("future", 0.01), ("private", 0.02), ("password", 0.01)]
AUTHORS = ["editor", "reporter", "columnist", "photographer", "sports-desk"]
START = datetime(2012, 1, 1, 8, 0, 0)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def wp_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


class Generator:
    def __init__(self, args: argparse.Namespace, out: TextIO):
        self.args = args
        self.out = out
        self.rng = random.Random(args.seed)  # noqa: S311 (test data, reproducible)
        self.next_id = 1
        self.categories: list[tuple[str, str]] = []
        self.tags = [(f"topic-{n}", f"Topic {n}") for n in range(args.tags)]
        self.attachments: list[tuple[int, str]] = []
        self.comment_ids: list[int] = []

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def write(self) -> None:
        args = self.args
        self.out.write(HEADER)
        for login in AUTHORS:
            self.out.write(
                f"<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_email>{login}@archive.example</wp:author_email>"
                f"<wp:author_display_name>{cdata(login.replace('-', ' ').title())}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for n in range(args.categories):
            # Every third category is a sub-section of an earlier top-level one.
            parent = self.categories[(n // 3) * 3 - 3][0] if n % 3 == 2 and n >= 3 else ""
            slug, name = f"section-{n}", f"Section {n}"
            self.categories.append((slug, name))
            self.out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name>"
                "</wp:category>\n"
            )
        for slug, name in self.tags:
            self.out.write(
                f"<wp:tag><wp:tag_slug>{slug}</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        for _ in range(args.attachments):
            self.attachment()
        comments = self.spread(args.comments, args.posts)
        for n in range(args.posts):
            self.post(n, comments[n])
        page_ids: list[int] = []
        for n in range(args.pages):
            page_ids.append(self.page(n, page_ids))
        for n in range(args.missing_attachments):
            self.post(args.posts + n, 0, thumbnail=10_000_000 + n)
        self.out.write(FOOTER)

    def spread(self, total: int, among: int) -> list[int]:
        """`total` comments over `among` posts: each the same share, the rest to random posts."""
        if not among:
            return []
        counts = [total // among] * among
        for n in self.rng.sample(range(among), total % among):
            counts[n] += 1
        return counts

    def item(self, wp_id: int, title: str, slug: str, when: datetime, body: str, **extra: str) -> None:
        post_type = extra.get("post_type", "post")
        link = f"{BASE}/{when:%Y/%m/%d}/{slug}/" if post_type == "post" else f"{BASE}/{slug}/"
        self.out.write(
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            f"<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
            f"<dc:creator>{cdata(extra.get('creator', 'editor'))}</dc:creator>"
            f'<guid isPermaLink="false">{BASE}/?p={wp_id}</guid>'
            f"{extra.get('terms', '')}"
            f"<content:encoded>{cdata(body)}</content:encoded>"
            f"<excerpt:encoded>{cdata(extra.get('excerpt', ''))}</excerpt:encoded>"
            f"<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{wp_date(when)}</wp:post_date>"
            f"<wp:post_date_gmt>{wp_date(when)}</wp:post_date_gmt>"
            f"<wp:comment_status>{extra.get('comment_status', 'open')}</wp:comment_status>"
            f"<wp:post_name>{slug}</wp:post_name><wp:status>{extra.get('status', 'publish')}</wp:status>"
            f"<wp:post_parent>{extra.get('parent', 0)}</wp:post_parent><wp:menu_order>0</wp:menu_order>"
            f"<wp:post_type>{post_type}</wp:post_type>"
            f"<wp:post_password>{escape(extra.get('password', ''))}</wp:post_password>"
            f"<wp:is_sticky>{extra.get('sticky', 0)}</wp:is_sticky>"
            f"{extra.get('tail', '')}</item>\n"
        )

    def attachment(self) -> None:
        wp_id = self.new_id()
        when = START + timedelta(hours=wp_id)
        path = f"{when:%Y/%m}/photo-{wp_id}.jpg"
        url = f"{BASE}/wp-content/uploads/{path}"
        self.attachments.append((wp_id, url))
        tail = (
            f"<wp:attachment_url>{url}</wp:attachment_url>"
            f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{cdata(path)}</wp:meta_value></wp:postmeta>"
            f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            f"<wp:meta_value>{cdata(sentence(self.rng, 4))}</wp:meta_value></wp:postmeta>"
        )
        self.item(
            wp_id,
            f"Photo {wp_id}",
            f"photo-{wp_id}",
            when,
            "",
            post_type="attachment",
            status="inherit",
            tail=tail,
        )

    def body(self, block_editor: bool) -> str:
        rng = self.rng
        parts = []
        for n in range(rng.randint(4, 8)):
            text = sentence(rng, rng.randint(12, 24))
            if n == 2 and rng.random() < 0.5:
                heading = sentence(rng, 3)
                parts.append(
                    f"<!-- wp:heading -->\n<h2>{heading}</h2>\n<!-- /wp:heading -->"
                    if block_editor
                    else f"<h2>{heading}</h2>"
                )
            if n == 3 and self.attachments and rng.random() < 0.3:
                wp_id, url = rng.choice(self.attachments)
                sized = url.replace(".jpg", "-300x200.jpg")
                parts.append(
                    f'<!-- wp:image {{"id":{wp_id}}} -->\n<figure class="wp-block-image"><img src="{sized}" '
                    f'class="wp-image-{wp_id}" alt=""/></figure>\n<!-- /wp:image -->'
                    if block_editor
                    else f'<img class="alignnone wp-image-{wp_id}" src="{sized}" alt="" />'
                )
            if n == 4 and rng.random() < 0.2:
                quote = sentence(rng, 10)
                parts.append(
                    f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>{quote}</p></blockquote>'
                    "\n<!-- /wp:quote -->"
                    if block_editor
                    else f"<blockquote>{quote}</blockquote>"
                )
            linked = text.replace(" ", ' <a href="https://example.org/more">more</a> ', 1) if n == 1 else text
            parts.append(
                f"<!-- wp:paragraph -->\n<p>{linked}</p>\n<!-- /wp:paragraph -->" if block_editor else linked
            )
        return "\n\n".join(parts)

    def comments(self, count: int, when: datetime) -> str:
        rng = self.rng
        written: list[int] = []
        rows = []
        for n in range(count):
            wp_id = 1 + len(self.comment_ids)
            self.comment_ids.append(wp_id)
            # About a third reply to an earlier comment of the same post.
            parent = rng.choice(written) if written and rng.random() < 0.35 else 0
            approved = rng.choices(["1", "0", "spam"], weights=[92, 5, 3])[0]
            kind = "pingback" if rng.random() < 0.01 else ""
            date = wp_date(when + timedelta(minutes=5 * (n + 1)))
            rows.append(
                f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
                f"<wp:comment_author>{cdata(f'Reader {rng.randint(1, 5000)}')}</wp:comment_author>"
                f"<wp:comment_author_email>reader{rng.randint(1, 5000)}@mail.example"
                "</wp:comment_author_email>"
                "<wp:comment_author_url></wp:comment_author_url><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>"
                f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                f"<wp:comment_content>{cdata(sentence(rng, rng.randint(5, 30)))}</wp:comment_content>"
                f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>"
                f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
            )
            written.append(wp_id)
        return "".join(rows)

    def post(self, n: int, comment_count: int, thumbnail: int | None = None) -> None:
        rng = self.rng
        wp_id = self.new_id()
        when = START + timedelta(minutes=47 * n)
        roll = rng.random()
        status, password = "publish", ""
        for name, share in STATUSES:
            if roll < share:
                status = "publish" if name == "password" else name
                password = "letmein" if name == "password" else ""
                break
            roll -= share
        if status == "future":
            when = datetime(2099, 1, 1) + timedelta(minutes=n)
        title = f"{sentence(rng, rng.randint(4, 9))[:-1]} {n}"
        slug = "-".join(title.lower().split())
        cats = rng.sample(self.categories, k=min(len(self.categories), rng.choice([1, 1, 1, 2])))
        terms = "".join(f'<category domain="category" nicename="{s}">{cdata(c)}</category>' for s, c in cats)
        for slug_tag, name in rng.sample(self.tags, k=min(len(self.tags), rng.randint(0, 3))):
            terms += f'<category domain="post_tag" nicename="{slug_tag}">{cdata(name)}</category>'
        tail = ""
        if thumbnail is None and self.attachments and rng.random() < 0.5:
            thumbnail = rng.choice(self.attachments)[0]
        if thumbnail is not None:
            tail += (
                "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                f"<wp:meta_value>{thumbnail}</wp:meta_value></wp:postmeta>"
            )
        tail += self.comments(comment_count, when)
        self.item(
            wp_id,
            title,
            slug,
            when,
            self.body(block_editor=rng.random() < 0.6),
            creator=rng.choice(AUTHORS),
            terms=terms,
            excerpt=sentence(rng, 15) if rng.random() < 0.3 else "",
            status=status,
            password=password,
            comment_status="open" if rng.random() < 0.9 else "closed",
            sticky=1 if n % 5000 == 4999 else 0,
            tail=tail,
        )

    def page(self, n: int, earlier: list[int]) -> int:
        rng = self.rng
        wp_id = self.new_id()
        when = START + timedelta(days=n)
        parent = rng.choice(earlier) if earlier and rng.random() < 0.4 else 0
        status = "draft" if rng.random() < 0.05 else "publish"
        comments = self.comments(rng.choice([0, 0, 1, 3]), when)
        self.item(
            wp_id,
            f"Page {n}",
            f"page-{n}",
            when,
            self.body(block_editor=rng.random() < 0.5),
            post_type="page",
            status=status,
            parent=parent,
            tail=comments,
        )
        return wp_id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, help="The file to write (default: standard output).")
    parser.add_argument("--seed", type=int, default=1, help="The same seed writes the same file.")
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--comments", type=int, default=None, help="Comments in all (default: 2 a post).")
    parser.add_argument("--attachments", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--categories", type=int, default=12)
    parser.add_argument("--tags", type=int, default=50)
    parser.add_argument(
        "--missing-attachments",
        type=int,
        default=0,
        help="Extra posts, each with a featured image the export does not hold.",
    )
    args = parser.parse_args(argv)
    if args.comments is None:
        args.comments = 2 * args.posts
    for name in ("posts", "comments", "attachments", "pages", "categories", "tags", "missing_attachments"):
        if getattr(args, name) < 0:
            parser.error(f"--{name.replace('_', '-')} cannot be negative")
    if args.output is None:
        Generator(args, sys.stdout).write()
        return
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        Generator(args, out).write()


if __name__ == "__main__":
    main()
