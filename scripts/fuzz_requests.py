"""The hostile requests of `make fuzz` (scripts/fuzz.py): every public URL pattern with its query
parameters, the comment form, and the admin's search boxes, filled with values from one seeded
random generator, so a run can be repeated request for request.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

# Values that have broken, or could break, a layer of the stack: numbers past
# every integer column, dates that are no dates, field and model names, markup,
# encodings, and each full-text engine's operators.
NASTY = [
    "", " ", "  ", "\t", "0", "-1", "1.5", "1e9", "NaN", "null", "true", "[]", "{}", "%", "%00", "%25",
    str(2**31), str(2**31 - 1), str(2**63), str(2**64), str(10**40), "-" + str(2**63), "0x10", "١٢", "²",
    "../../etc/passwd", "'; DROP TABLE wagtailcore_page; --", "' OR '1'='1",
    '"><script>alert(1)</script>', "javascript:alert(1)", "<svg onload=alert(1)>", "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🦠", "a" * 5000, "quokka " * 500, "2026-13-45", "2026-02-30T25:61:61", "2026-01-01",
    "1999-12-31T23:59:59Z", "99999-01-01", "news.NewsArticlePage", "news.LiveBlogPage",
    "wagtailcore.Page", "auth.User", "news.Nope", "title", "-title", "id", "-id", "random",
    "first_published_at", "*", "_", "-", "id,title,owner", "*,-title", "title,body", "-*", "_,",
    "detail_url", "parent(title)", "\x00", "a\x00b", "\x1b[31m", "\r\nSet-Cookie: a=b", "\ud800", "/",
    "//evil.example/", "http://evil.example/", "https:evil.example", "\\\\evil.example", "en", "xx",
    "zh-hans",
]  # fmt: skip
# The pieces full-text queries are made of on SQLite (FTS5) and PostgreSQL (tsquery, websearch).
OPERATORS = [
    '"', "'", "*", "^", ":", "-", "+", "(", ")", "{", "}", "[", "]", "NEAR", "NEAR/2", "NEAR(", "AND",
    "OR", "NOT", "&", "|", "!", "<->", "<2>", ":*", "\\", "%", "%s", "_", ",", ".", "~", "@@", " ", "\t",
    "\u3000", "\x00", "\x01", "\x7f", "\u200b", "climate", "Health", "é", "İ", "٣", "🦠",
]  # fmt: skip
# Raw pieces of a query string, sent without encoding: bad escapes, bytes that are no UTF-8.
RAW = ["%ff", "%fe%ff", "%zz", "%", "%%", "%e2%80", "%ED%A0%80", "&", "=", "==", "&&", "[]", ";", "+", "%2B"]


class Values:
    """A value for a parameter: hostile, random, or one the site knows (so filters get past parsing)."""

    def __init__(self, rng: random.Random, known: list[str]) -> None:
        self.rng, self.known = rng, known

    def text(self, length: int = 20) -> str:
        ranges = [
            (0x20, 0x7E),
            (0x00, 0x1F),
            (0xA0, 0x2FF),
            (0x370, 0x6FF),
            (0x3000, 0x30FF),
            (0x1F300, 0x1F64F),
        ]
        chars = []
        for _ in range(self.rng.randint(0, length)):
            low, high = self.rng.choice(ranges)
            chars.append(chr(self.rng.randint(low, high)))
        return "".join(chars)

    def search(self) -> str:
        pieces = self.rng.choices(OPERATORS, k=self.rng.randint(1, 10))
        return self.rng.choice(["", " "]).join(pieces)

    def __call__(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice(NASTY)
        if roll < 0.55:
            return self.search()
        if roll < 0.7:
            return self.text()
        if roll < 0.85 and self.known:
            return self.rng.choice(self.known)
        return str(self.rng.choice([self.rng.randint(-5, 50), self.rng.randint(0, 2**40), -(2**31)]))


@dataclass
class Request:
    method: str
    path: str
    query: str = ""
    data: dict[str, str] | None = None
    admin: bool = False
    form: str | None = None  # the page whose comment form is posted with hostile fields
    hostile_fields: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


PAGES_API = [
    "offset", "limit", "fields", "order", "search", "search_operator", "type", "child_of", "descendant_of",
    "ancestor_of", "id", "title", "slug", "locale", "site", "first_published_at", "show_in_menus",
    "translation_of", "html_path",
]  # fmt: skip
STORY_API = [*PAGES_API, "display_date", "tags", "standfirst", "last_published_at"]
IMAGES_API = ["offset", "limit", "fields", "order", "search", "search_operator", "title", "id", "tags"]


def catalogue(world: dict) -> list[tuple[str, str, list[str], bool]]:
    """(method, path, parameters, signed in) for every URL pattern, with the world's own ids filled in."""
    w = world
    public = [
        ("GET", "/", ["page", "q"]),
        ("GET", w["section"], ["page"]),
        ("GET", w["section"] + "feed/", ["page"]),
        ("GET", w["article"], ["page", "comments_page", "c"]),
        ("GET", w["liveblog"], ["page", "after"]),
        ("GET", w["liveblog"] + "entries/", ["after", "page"]),
        ("GET", w["page"], ["page"]),
        ("GET", "/search/", ["q", "category", "page"]),
        ("GET", "/search/", ["q"]),
        ("GET", f"/tags/{w['tag']}/", ["page"]),
        ("GET", "/tags/{value}/", ["page"]),
        ("GET", f"/authors/{w['author']}/", ["page"]),
        ("GET", "/authors/{value}/", ["page"]),
        ("GET", "/corrections/", ["page"]),
        ("GET", "/feed/", ["page"]),
        ("GET", "/feed/atom/", ["page"]),
        ("GET", "/sitemap.xml", ["p", "page", "section"]),
        ("GET", "/sitemap-news.xml", ["page"]),
        ("GET", "/robots.txt", ["x"]),
        ("GET", "/favicon.ico", ["x"]),
        ("GET", "/healthz", ["x"]),
        ("GET", "/api/v2/pages/", PAGES_API),
        ("GET", "/api/v2/pages/?type=news.NewsArticlePage", STORY_API),
        ("GET", "/api/v2/pages/?type=news.LiveBlogPage", [*STORY_API, "entries"]),
        ("GET", f"/api/v2/pages/{w['article_id']}/", ["fields", "type"]),
        ("GET", "/api/v2/pages/{value}/", ["fields"]),
        ("GET", "/api/v2/pages/find/", ["id", "html_path", "type"]),
        ("GET", "/api/v2/images/", IMAGES_API),
        ("GET", f"/api/v2/images/{w['image_id']}/", ["fields"]),
        ("GET", "/api/v2/images/find/", ["id"]),
        ("GET", "/api/v2/documents/", IMAGES_API),
        ("GET", "/api/v2/documents/find/", ["id"]),
        ("GET", w["document"], ["x"]),
        ("GET", "/comments/posted/", ["c"]),
        ("GET", f"/comments/link/{w['comment_id']}/", ["x"]),
        ("GET", "/comments/link/{value}/", ["x"]),
        ("GET", f"/comments/reply/{w['comment_id']}/", ["x"]),
        ("GET", "/comments/reply/{value}/", ["x"]),
        ("GET", f"/comments/flag/{w['comment_id']}/", ["x"]),
        ("POST", f"/comments/flag/{w['comment_id']}/", ["x"]),
        ("POST", "/comments/flag/{value}/", ["x"]),
        ("GET", f"/comments/thread/{w['comment_id']}/", ["page"]),
        ("GET", "/comments/thread/{value}/", ["page"]),
        ("GET", "/comments/cr/{value}/{value}/", ["x"]),
        ("GET", "/comments/confirm/{value}/", ["x"]),
        ("GET", "/comments/mute/{value}/", ["x"]),
        ("POST", "/comments/post/", []),
        ("GET", "/_util/login/", ["next"]),
        ("GET", "/admin/login/", ["next"]),
    ]
    admin = [
        ("GET", "/admin/pages/search/", ["q", "ordering", "p", "content_type"]),
        ("GET", f"/admin/pages/{w['home_id']}/", ["q", "ordering", "p"]),
        ("GET", "/admin/choose-page/search/", ["q", "p", "page_type"]),
        ("GET", "/admin/stories/", ["q", "ordering", "p", "section", "status", "owner"]),
        ("GET", "/admin/images/", ["q", "p", "ordering", "collection_id", "tag"]),
        ("GET", "/admin/images/chooser/results/", ["q", "p", "collection_id", "tag"]),
        ("GET", "/admin/documents/", ["q", "p", "ordering", "collection_id"]),
        ("GET", "/admin/documents/chooser/results/", ["q", "p", "collection_id"]),
        ("GET", "/admin/snippets/news/author/", ["q", "p", "ordering"]),
        ("GET", "/admin/snippets/taggit/tag/", ["q", "p", "ordering"]),
        ("GET", "/admin/snippets/discussion/readercomment/", ["q", "p", "ordering", "status"]),
        ("GET", "/admin/snippets/choose/news/author/results/", ["q", "p"]),
        ("GET", "/admin/users/", ["q", "p", "ordering"]),
    ]
    return [(m, p, params, False) for m, p, params in public] + [
        (m, p, params, True) for m, p, params in admin
    ]


COMMENT_FIELDS = ["name", "email", "url", "comment", "reply_to", "followup", "honeypot", "next"]
SIGNED_FIELDS = ["content_type", "object_pk", "timestamp", "security_hash"]


def generate(world: dict, count: int, seed: int) -> list[Request]:
    """`count` requests, the same for the same world and seed."""
    rng = random.Random(seed)  # noqa: S311 (reproducible on purpose)
    values = Values(rng, world["known"])
    patterns = catalogue(world)
    requests = []
    for _ in range(count):
        method, path, parameters, admin = rng.choice(patterns)
        while "{value}" in path:
            path = path.replace("{value}", quote(values() or "x", safe="", errors="surrogatepass"), 1)
        if path == "/comments/post/":
            chosen = rng.sample(COMMENT_FIELDS + SIGNED_FIELDS, rng.randint(0, 4))
            fields = {name: values() for name in chosen}
            requests.append(Request("POST", path, form=world["article"], hostile_fields=fields))
            continue
        base, _, fixed = path.partition("?")
        query = [tuple(pair.split("=", 1)) for pair in fixed.split("&") if pair]
        for name in rng.sample(parameters, min(len(parameters), rng.randint(1, 3))):
            value = values.search() if name in {"q", "search"} and rng.random() < 0.5 else values()
            query.append((name, value))
        encoded = urlencode(query, errors="surrogatepass")
        if rng.random() < 0.1:
            encoded += "&" + "".join(rng.choices(RAW, k=rng.randint(1, 3)))
        requests.append(Request(method, base, encoded, admin=admin, data={} if method == "POST" else None))
    return requests
