"""Import articles from the plain-text article format kept in `seeds/`.

The format is the text of a news article page, paragraphs separated by blank
lines:

    Home » Section » … » Headline        (breadcrumb trail)
    Headline
    Subheadline                          (optional: short, no end punctuation)
    Standfirst.                          (optional: one short sentence)
    Body paragraphs and section headings…
    The study’s reference is: <citation with a doi>
    You may also like / Leave a Comment / …   (page chrome, dropped)

The format has no pictures: `seed_lead_picture` finds the demo photograph chosen
for an article (news/demo_photos), which `import_seeds` gives it as its lead.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site

from .demo_content import demo_photo_image
from .demo_photos import SEED_LEAD_PHOTOS, photo_named
from .models import CategoryIndexPage, NewsArticlePage

TRAIL_SEPARATOR = re.compile(r"\s*»\s*")
END_PUNCTUATION = re.compile(r"[.!?…:;][\"'”’)\]]*$")
REFERENCE_PREFIX = re.compile(r"^(?:the study[’']s reference is:|reference:)\s*", re.IGNORECASE)
DOI_IN_TEXT = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S+?)\.?\s*$", re.IGNORECASE)
# Vancouver style: "Authors. Title. Journal. Year:pages. doi: …"
VANCOUVER = re.compile(
    r"^(?P<authors>.+?(?:et al\.|\.))\s+(?P<title>.+?)\.\s+(?P<journal>[^.]+?)\.\s+"
    r"(?P<year>\d{4})(?::(?P<pages>[^.]+))?\.?$"
)
CHROME_LINES = (
    re.compile(r"^you may also like$", re.IGNORECASE),
    re.compile(r"^leave a (comment|reply)$", re.IGNORECASE),
    re.compile(r"^this site uses akismet to reduce spam\b", re.IGNORECASE),
)
# `*Nature*`: the one mark-up of the format, italics (a journal's or a book's name).
# The stars hug the words; `**`, a lone star ("5 * 3") and stars inside a word stay as typed.
EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
SUBHEADLINE_MAX_LENGTH = 160
STANDFIRST_MAX_LENGTH = 300
HEADING_MAX_LENGTH = 120


class SeedFormatError(ValueError):
    """The file is not in the article format; the message says what is wrong."""


@dataclass(frozen=True)
class LeadPicture:
    image: AbstractImage
    alt_text: str


@dataclass
class SeedArticle:
    sections: list[str]
    title: str
    subheadline: str = ""
    standfirst: str = ""
    body: list[tuple[str, object]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:255]


def _is_sentence(line: str) -> bool:
    return bool(END_PUNCTUATION.search(line))


def _is_chrome(line: str) -> bool:
    return any(pattern.search(line) for pattern in CHROME_LINES)


def parse_citation(text: str) -> dict:
    """Split a reference line into citation block fields; keeps the whole text if it can't."""
    doi_match = DOI_IN_TEXT.search(text)
    doi = doi_match.group(1) if doi_match else ""
    rest = text[: doi_match.start()].strip() if doi_match else text.strip()
    parts = VANCOUVER.match(rest)
    if parts:
        return {
            "authors": parts["authors"].strip(),
            "title": parts["title"].strip(),
            "journal": parts["journal"].strip(),
            "year": int(parts["year"]),
            "pages": (parts["pages"] or "").strip(),
            "doi": doi,
        }
    return {"authors": "", "title": rest.rstrip("."), "journal": "", "year": None, "pages": "", "doi": doi}


def paragraph_html(text: str) -> str:
    """A paragraph of the format as rich text: escaped, with `*words*` in italics."""
    parts, end = [], 0
    for match in EMPHASIS.finditer(text):
        parts += [escape(text[end : match.start()]), f"<i>{escape(match.group(1))}</i>"]
        end = match.end()
    parts.append(escape(text[end:]))
    return f"<p>{''.join(parts)}</p>"


def parse_seed(text: str) -> SeedArticle:
    paragraphs = [" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise SeedFormatError("the file is empty")

    trail = [part for part in TRAIL_SEPARATOR.split(paragraphs[0]) if part]
    if "»" not in paragraphs[0] or len(trail) < 3:
        raise SeedFormatError("the first line must be a breadcrumb trail like 'Home » Section » Headline'")
    sections = trail[1:-1]

    remaining = paragraphs[1:]
    if not remaining:
        raise SeedFormatError("there is no headline after the breadcrumb trail")
    article = SeedArticle(sections=sections, title=remaining.pop(0))

    while remaining and _is_chrome(remaining[-1]):
        remaining.pop()

    # Subheadline and standfirst are only taken while body text remains after them.
    for _ in range(2):
        if len(remaining) < 2:
            break
        line = remaining[0]
        if not article.subheadline and not article.standfirst and not _is_sentence(line):
            if len(line) > SUBHEADLINE_MAX_LENGTH:
                break
            article.subheadline = remaining.pop(0)
        elif not article.standfirst and _is_sentence(line) and len(line) <= STANDFIRST_MAX_LENGTH:
            article.standfirst = remaining.pop(0)
        else:
            break

    for line in remaining:
        if REFERENCE_PREFIX.match(line):
            article.body.append(("citation", parse_citation(REFERENCE_PREFIX.sub("", line))))
        elif len(line) <= HEADING_MAX_LENGTH and not _is_sentence(line):
            article.body.append(("heading", {"text": line, "level": "h2", "anchor": ""}))
        else:
            article.body.append(("paragraph", paragraph_html(line)))

    if not article.body:
        raise SeedFormatError("the article has no body text")
    return article


def _home_page() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise SeedFormatError("no default site with a home page exists; run migrate first")
    return site.root_page.specific


def _ensure_category(parent: Page, title: str) -> CategoryIndexPage:
    slug = slugify(title)
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        if not isinstance(existing, CategoryIndexPage):
            raise SeedFormatError(f"'{parent.url_path}{slug}/' exists and is not a category")
        return existing
    category = CategoryIndexPage(title=title, slug=slug, show_in_menus=True)
    parent.add_child(instance=category)
    category.save_revision(log_action=True).publish()
    return category


@transaction.atomic
def import_article(
    article: SeedArticle, lead_picture: LeadPicture | None = None
) -> tuple[NewsArticlePage, bool]:
    """Create the article (and missing sections), with `lead_picture` if given; returns (page, created).

    An article whose slug already exists in its section is left untouched, so
    re-importing never overwrites an editor's changes.
    """
    parent = _home_page()
    for section in article.sections:
        parent = _ensure_category(parent, section)

    existing = parent.get_children().filter(slug=article.slug).specific().first()
    if existing is not None:
        if not isinstance(existing, NewsArticlePage):
            raise SeedFormatError(f"'{existing.url_path}' exists and is not a news article")
        return existing, False

    page = NewsArticlePage(
        title=article.title,
        slug=article.slug,
        subheadline=article.subheadline,
        standfirst=article.standfirst,
        lead_image=lead_picture.image if lead_picture else None,
        lead_image_alt_text=lead_picture.alt_text if lead_picture else "",
        body=[
            {"type": block_type, "value": value, "id": str(uuid.uuid4())}
            for block_type, value in article.body
        ],
    )
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    page.refresh_from_db()
    return page, True


def seed_lead_picture(article: SeedArticle) -> LeadPicture | None:
    """The demo photograph chosen for the article, in the image library with its credit; None if none is.

    The caption and credit are the image's own, so the story's fields stay empty and readers
    see the photograph's (and an editor who corrects the image corrects every story using it).
    """
    file = SEED_LEAD_PHOTOS.get(article.slug)
    if file is None:
        return None
    photo = photo_named(file)
    return LeadPicture(image=demo_photo_image(photo), alt_text=photo.alt_text)


def seed_files(paths: list[Path]) -> list[Path]:
    """Every .txt file named, or found below a named folder, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.txt")))
        else:
            files.append(path)
    return files
