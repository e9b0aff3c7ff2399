"""Import a WordPress export (WXR) into sections, articles, content pages, comments and images.

Two passes over the file: the first checks it is a whole, well-formed export
and notes the small facts later items depend on (categories, authors,
attachments, page parents, sticky posts), so a broken file is refused before
anything is written; the second imports item by item, each story with its
comments in one transaction. What was imported is recorded in WordPressItem,
which makes a second run a no-op and lets an interrupted one carry on.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup
from django_comments_xtd.models import XtdComment, max_thread_level_for_content_type
from modelsearch.signal_handlers import post_save_signal_handler

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.search import index as search_index
from wagtail.signal_handlers import disable_reference_index_auto_update

from discussion.models import CommentScreening

from . import targets
from .content import MediaResolver, convert_body, resized_original
from .models import WordPressItem, WordPressKind
from .report import Report
from .wxr import Author, Category, Channel, Comment, Item, Tag, read_wxr

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff"}
INTERNAL_STATUSES = {"trash": "in the trash", "auto-draft": "an unsaved auto-draft", "inherit": "a revision"}
PUBLISHED_STATUSES = {"publish", "private"}
ZERO_DATE = "0000-00-00 00:00:00"
SLUG_MAX_LENGTH = 255
TITLE_MAX_LENGTH = 255
SPAM_REASON = "imported from WordPress as spam"


@contextmanager
def indexing_once_per_object():
    """Search and reference indexing off while a story is built, which saves a page three
    times (tree insert, revision, publication); `Importer._index` then indexes each object
    once. This halves the time per story.
    """
    indexed = [m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in indexed:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in indexed:
            post_save.connect(post_save_signal_handler, sender=model)


class ImportRefused(Exception):
    """The import cannot start (no home page, no such section root); nothing was written."""


@dataclass
class Attachment:
    id: str
    url: str
    title: str
    alt: str
    parent: str


@dataclass
class ExportIndex:
    """What the first pass learns: small per item, so it stays small for large exports."""

    channel: Channel = field(default_factory=Channel)
    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    attachment_by_path: dict[str, str] = field(default_factory=dict)
    attachments_by_parent: dict[str, list[str]] = field(default_factory=dict)
    page_parents: dict[str, str] = field(default_factory=dict)
    page_children: dict[str, list[str]] = field(default_factory=dict)
    newest_sticky: tuple[datetime, str] | None = None
    items: int = 0
    authors_without_login: int = 0


def uploads_path(url: str) -> str:
    """The part of an upload's URL after /uploads/ ('2013/03/photo.jpg'), or '' if none."""
    path = unquote(urlparse(url.strip()).path)
    if "/uploads/" in path:
        return path.split("/uploads/", 1)[1].lstrip("/")
    # WordPress.com serves uploads from blog.files.wordpress.com/<year>/<month>/…
    if ".files.wordpress.com" in urlparse(url.strip()).netloc:
        return path.lstrip("/")
    return ""


def parse_wp_date(value: str, is_gmt: bool) -> datetime | None:
    """'2012-01-03 10:11:37' as an aware datetime; empty or 0000-00-00 dates are None.

    Local WordPress times carry no zone in the export; they are read as UTC.
    """
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if parsed.year < 1000:
        return None
    return parsed.replace(tzinfo=dt_timezone.utc)


def parse_rss_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.year < 1000:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt_timezone.utc)


def item_date(item: Item) -> datetime | None:
    return (
        parse_wp_date(item.post_date_gmt, True)
        or parse_wp_date(item.post_date, False)
        or parse_rss_date(item.pub_date)
    )


def plain_text(fragment: str) -> str:
    """HTML (an excerpt, a comment) as text, line breaks kept."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    soup = BeautifulSoup(re.sub(r"<br\s*/?>", "\n", fragment, flags=re.IGNORECASE), "html.parser")
    return soup.get_text().strip()


def clean_text(value: str) -> str:
    # PostgreSQL refuses NUL in text.
    return value.replace("\x00", "")


def scan(path: str | os.PathLike, report: Report) -> ExportIndex:
    """First pass: check the whole file and collect what later items refer to."""
    index = ExportIndex()
    for record in read_wxr(path):
        if isinstance(record, Item):
            index.items += 1
            _index_item(index, record)
        elif isinstance(record, Author):
            if not record.login:
                index.authors_without_login += 1
                report.skip("author", record.display_name or record.email or "an author", "has no login")
            else:
                index.authors.setdefault(record.login, record)
        elif isinstance(record, Category):
            slug = _term_slug(record.slug, record.name)
            if slug:
                record.slug = slug
                record.parent_slug = _term_slug(record.parent_slug, "")
                index.categories.setdefault(slug, record)
        elif isinstance(record, Tag):
            if record.name or record.slug:
                index.tags[record.slug] = record.name or record.slug
        elif isinstance(record, Channel):
            index.channel = record
    return index


def _index_item(index: ExportIndex, item: Item) -> None:
    if item.post_type == "attachment" and item.post_id:
        url = item.attachment_url or item.guid
        attachment = Attachment(
            id=item.post_id,
            url=url,
            title=item.title,
            alt=item.meta.get("_wp_attachment_image_alt", ""),
            parent=item.post_parent,
        )
        index.attachments[item.post_id] = attachment
        path = item.meta.get("_wp_attached_file") or uploads_path(url)
        if path:
            index.attachment_by_path.setdefault(path, item.post_id)
        if item.post_parent and item.post_parent != "0":
            index.attachments_by_parent.setdefault(item.post_parent, []).append(item.post_id)
    elif item.post_type == "page" and item.post_id:
        if item.post_parent and item.post_parent != "0":
            index.page_parents[item.post_id] = item.post_parent
            index.page_children.setdefault(item.post_parent, []).append(item.post_id)
    elif item.post_type == "post" and item.is_sticky == "1" and item.status == "publish" and item.post_id:
        when = item_date(item)
        if when is not None and (index.newest_sticky is None or when > index.newest_sticky[0]):
            index.newest_sticky = (when, item.post_id)


def _term_slug(slug: str, name: str) -> str:
    # WordPress stores non-ASCII slugs percent-encoded.
    return (
        slugify(unquote(slug or ""), allow_unicode=True)[:SLUG_MAX_LENGTH]
        or slugify(name, allow_unicode=True)[:SLUG_MAX_LENGTH]
    )


class Importer:
    def __init__(
        self,
        path: str | os.PathLike,
        media_dir: str | os.PathLike | None = None,
        section_root: str | None = None,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.path = path
        self.media_dir = Path(media_dir) if media_dir else None
        self.section_root_slug = section_root
        self.dry_run = dry_run
        self.progress = progress
        self.report = Report(dry_run=dry_run)
        self.index = ExportIndex()
        self.source = ""
        self.sections: dict[str, Page] = {}
        self.authors: dict[str, object] = {}

    # Running

    def run(self) -> Report:
        started = time.monotonic()
        if self.media_dir is not None and not self.media_dir.is_dir():
            raise ImportRefused(f"--media-dir {self.media_dir} is not a folder")
        self.index = scan(self.path, self.report)
        self.source = self.index.channel.source or Path(self.path).name
        self.report.source = self.source
        self.home = targets.home_page()
        with indexing_once_per_object():
            if self.dry_run:
                with transaction.atomic():
                    self._import_all()
                    transaction.set_rollback(True)
            else:
                self._import_all()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _import_all(self) -> None:
        self.section_root = self._section_root()
        self._import_sections()
        done = 0
        for record in read_wxr(self.path):
            if not isinstance(record, Item):
                continue
            self._import_item(record)
            done += 1
            if self.progress is not None:
                self.progress(done, self.index.items)
        self._set_lead_story()

    # Mapping

    def _mapped(self, kind: str, wordpress_id: str) -> WordPressItem | None:
        return WordPressItem.objects.filter(source=self.source, kind=kind, wordpress_id=wordpress_id).first()

    def _mapped_object(self, kind: str, wordpress_id: str, model: type[models.Model]):
        mapping = self._mapped(kind, wordpress_id)
        if mapping is None:
            return None
        return model._default_manager.filter(pk=mapping.object_id).first()

    def _index(self, obj: models.Model) -> None:
        if self.dry_run:
            return
        search_index.insert_or_update_object(obj)
        ReferenceIndex.create_or_update_for_object(obj)

    def _remember(self, kind: str, wordpress_id: str, obj: models.Model) -> None:
        if kind != WordPressKind.COMMENT:
            self._index(obj)
        WordPressItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            wordpress_id=wordpress_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
                "object_id": str(obj.pk),
            },
        )

    # Sections

    def _section_root(self) -> Page:
        if not self.section_root_slug:
            return self.home
        found = targets.find_section(self.home, self.section_root_slug)
        if found is None:
            raise ImportRefused(
                f"--section-root: there is no section with the slug {self.section_root_slug!r}"
            )
        return found

    def _import_sections(self) -> None:
        categories = self.index.categories
        done: set[str] = set()

        def ensure(slug: str, chain: tuple[str, ...] = ()) -> Page:
            if slug in self.sections:
                return self.sections[slug]
            category = categories[slug]
            parent = self.section_root
            if category.parent_slug:
                if category.parent_slug in chain or category.parent_slug == slug:
                    self.report.note(
                        f"category {slug!r}", "its parents form a cycle; placed at the top level"
                    )
                elif category.parent_slug not in categories:
                    self.report.note(
                        f"category {slug!r}",
                        f"its parent {category.parent_slug!r} is not in the export; placed at the top level",
                    )
                else:
                    parent = ensure(category.parent_slug, (*chain, slug))
            section = self._section(slug, category.name or slug, category.description, parent)
            done.add(slug)
            return section

        for slug in categories:
            with transaction.atomic():
                ensure(slug)

    def _section(self, slug: str, name: str, description: str, parent: Page) -> Page:
        mapped = self._mapped_object(WordPressKind.CATEGORY, slug, targets.SECTION_MODEL)
        if mapped is not None:
            self.sections[slug] = mapped
            self.report.count("section", "unchanged")
            return mapped
        existing = targets.find_section(self.section_root, slug)
        if existing is not None:
            self.sections[slug] = existing
            self._remember(WordPressKind.CATEGORY, slug, existing)
            self.report.count("section", "matched")
            return existing
        section = targets.new_section(
            title=clean_text(name)[:TITLE_MAX_LENGTH],
            slug=self._free_slug(parent, slug, f"category {slug!r}"),
            intro=f"<p>{html.escape(clean_text(description))}</p>" if description.strip() else "",
        )
        parent.add_child(instance=section)
        section.save_revision().publish()
        self._remember(WordPressKind.CATEGORY, slug, section)
        self.sections[slug] = section
        self.report.count("section", "created")
        return section

    def _section_for_item(self, item: Item) -> tuple[Page, list[str]]:
        """The first category's section and the other categories' names (kept as tags)."""
        categories = [(slug, name) for domain, slug, name in item.terms if domain == "category"]
        if not categories:
            self.report.note(item.label, "has no category; filed under 'Uncategorized'")
            categories = [("uncategorized", "Uncategorized")]
        first_slug = _term_slug(categories[0][0], categories[0][1])
        if first_slug not in self.sections:
            if first_slug not in self.index.categories:
                self.report.note(
                    item.label,
                    f"its category {categories[0][1] or first_slug!r} is not declared in the export; "
                    "created at the top level",
                )
            self.sections[first_slug] = self._section(
                first_slug, categories[0][1] or first_slug, "", self.section_root
            )
        others = [name or slug for slug, name in categories[1:]]
        if others:
            self.report.note(
                item.label,
                f"in {len(categories)} categories: filed under {categories[0][1] or first_slug!r}, "
                f"tagged with {', '.join(repr(o) for o in others)}",
            )
        return self.sections[first_slug], others

    def _free_slug(self, parent: Page, slug: str, label: str) -> str:
        slug = slug[:SLUG_MAX_LENGTH] or "untitled"
        taken = set(parent.get_children().filter(slug__startswith=slug[:200]).values_list("slug", flat=True))
        if slug not in taken:
            return slug
        n = 2
        while f"{slug[: SLUG_MAX_LENGTH - 6]}-{n}" in taken:
            n += 1
        new = f"{slug[: SLUG_MAX_LENGTH - 6]}-{n}"
        self.report.note(label, f"the slug {slug!r} is already used here; imported as {new!r}")
        return new

    # Authors

    def _author(self, login: str):
        if login in self.authors:
            return self.authors[login]
        mapped = self._mapped_object(WordPressKind.AUTHOR, login, targets.AUTHOR_MODEL)
        if mapped is None:
            record = self.index.authors.get(login)
            name = ""
            if record is not None:
                name = record.display_name or " ".join(p for p in (record.first_name, record.last_name) if p)
            name = clean_text(name or login)
            slug = slugify(unquote(login))[:200] or slugify(name)[:200] or "author"
            mapped = targets.find_author(slug)
            if mapped is None:
                mapped = targets.create_author(name=name, slug=slug)
                self.report.count("author", "created")
            else:
                self.report.count("author", "matched")
            self._remember(WordPressKind.AUTHOR, login, mapped)
        self.authors[login] = mapped
        return mapped

    def _byline(self, item: Item) -> list:
        # Some exporters leave markup around the login (">themereviewteam").
        logins = [clean_text(item.creator).strip(" <>\"'")] if item.creator else []
        # Co-Authors Plus lists its authors as terms of the "author" taxonomy.
        logins += [unquote(slug).removeprefix("cap-") for domain, slug, _ in item.terms if domain == "author"]
        return [self._author(login) for login in dict.fromkeys(login for login in logins if login)]

    # Items

    def _import_item(self, item: Item) -> None:
        post_type = item.post_type
        if post_type == "attachment":
            self._import_attachment(item)
            return
        if post_type not in ("post", "page"):
            reason = "has no post type" if not post_type else f"post type {post_type!r} is not imported"
            self.report.skip(post_type or "unknown", item.label, reason)
            if item.comments:
                self.report.count("comment", "skipped", len(item.comments))
            return
        if not item.post_id:
            self.report.skip(post_type, item.label, "has no WordPress id")
            return
        if item.status in INTERNAL_STATUSES:
            self.report.skip(post_type, item.label, f"is {INTERNAL_STATUSES[item.status]}")
            return
        kind = WordPressKind.POST if post_type == "post" else WordPressKind.PAGE
        existing = self._mapped_object(kind, item.post_id, Page)
        if existing is not None:
            self.report.count(post_type, "unchanged")
            if kind == WordPressKind.POST and item.comments:
                # New comments on an imported post (a later export) still come in.
                with transaction.atomic():
                    self._import_comments(item, existing.specific)
            return
        try:
            with transaction.atomic():
                if kind == WordPressKind.POST:
                    self._import_post(item)
                else:
                    self._import_page(item)
        except Exception as exc:
            self.report.fail(item.label, f"{type(exc).__name__}: {exc}"[:500])
            self.report.count(post_type, "failed")
            # Authors and sections created inside the rolled-back transaction are gone.
            self.authors.clear()
            self.sections = {
                slug: section
                for slug, section in self.sections.items()
                if Page.objects.filter(pk=section.pk).exists()
            }

    def _dates(self, item: Item) -> tuple[datetime | None, datetime | None]:
        published = item_date(item)
        if published is None:
            self.report.note(item.label, "has no valid date (empty or 0000-00-00); the import time is used")
        modified = (
            parse_wp_date(item.post_modified_gmt, True)
            or parse_wp_date(item.post_modified, False)
            or published
        )
        return published, modified

    def _title_and_slug(self, item: Item) -> tuple[str, str]:
        title = " ".join(clean_text(html.unescape(item.title)).split())
        if not title:
            title = f"Untitled ({item.post_type} {item.post_id})"
            self.report.note(item.label, f"has no title; imported as {title!r}")
        if len(title) > TITLE_MAX_LENGTH:
            self.report.note(item.label, f"title longer than {TITLE_MAX_LENGTH} characters was shortened")
            title = title[: TITLE_MAX_LENGTH - 1] + "…"
        slug = _term_slug(item.post_name, "") or slugify(title, allow_unicode=True)[:SLUG_MAX_LENGTH]
        return title, slug or f"{item.post_type}-{item.post_id}"

    def _body(self, item: Item) -> list[dict]:
        conversion = convert_body(clean_text(item.content), MediaForItem(self, item))
        self.report.unmapped.update(conversion.unmapped)
        for missing in conversion.missing_media:
            attachment = self.index.attachments.get(missing.removeprefix("attachment "))
            self.report.missing(item.label, attachment.url if attachment else missing)
        return conversion.blocks

    def _import_post(self, item: Item) -> None:
        parent, other_categories = self._section_for_item(item)
        title, slug = self._title_and_slug(item)
        published, modified = self._dates(item)
        lead_image_id, lead_alt = None, ""
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail:
            found = MediaForItem(self, item).image_for_attachment(thumbnail)
            if found is not None:
                lead_image_id, lead_alt = found
            else:
                attachment = self.index.attachments.get(thumbnail)
                self.report.missing(item.label, attachment.url if attachment else f"attachment {thumbnail}")
        page = targets.new_article(
            targets.ArticleFields(
                title=title,
                slug=self._free_slug(parent, slug, item.label),
                standfirst=clean_text(plain_text(item.excerpt)),
                body=self._body(item),
                display_date=published,
                lead_image_id=lead_image_id,
                lead_image_alt_text=lead_alt[:255],
                comments_open=item.comment_status == "open",
            )
        )
        tag_names = [name or slug for domain, slug, name in item.terms if domain == "post_tag"]
        tag_names += other_categories
        tags = [targets.get_or_create_tag(clean_text(name)) for name in tag_names if clean_text(name).strip()]
        targets.set_tags(page, tags)
        targets.set_byline(page, self._byline(item))
        page.live = False
        parent.add_child(instance=page)
        status = self._publish(page, item, published, modified)
        targets.set_display_date(page, published)
        self._remember(WordPressKind.POST, item.post_id, page)
        self._redirects(item, page, "p")
        self.report.count("post", status)
        self._import_comments(item, page)

    def _import_page(self, item: Item) -> None:
        parent = self.home
        wp_parent = self.index.page_parents.get(item.post_id)
        if wp_parent:
            mapped_parent = self._mapped_object(WordPressKind.PAGE, wp_parent, Page)
            if mapped_parent is not None and isinstance(mapped_parent.specific, targets.CONTENT_PAGE_MODEL):
                parent = mapped_parent
        title, slug = self._title_and_slug(item)
        published, modified = self._dates(item)
        page = targets.new_content_page(title, self._free_slug(parent, slug, item.label), self._body(item))
        page.live = False
        parent.add_child(instance=page)
        status = self._publish(page, item, published, modified)
        self._remember(WordPressKind.PAGE, item.post_id, page)
        self._redirects(item, page, "page_id")
        self.report.count("page", status)
        if item.comments:
            self.report.skip(
                "comment",
                item.label,
                f"{len(item.comments)} comment(s) on a page: content pages show no reader comments",
            )
            self.report.count("comment", "skipped", len(item.comments) - 1)
        self._adopt_waiting_children(item.post_id, page)

    def _adopt_waiting_children(self, wordpress_id: str, page: Page) -> None:
        """Pages that came before their parent in the file move under it once it exists."""
        for child_id in self.index.page_children.get(wordpress_id, []):
            child = self._mapped_object(WordPressKind.PAGE, child_id, Page)
            if child is None or child.get_parent().pk != self.home.pk:
                continue
            child = child.specific
            if page.get_children().filter(slug=child.slug).exists():
                child.slug = self._free_slug(page, child.slug, f"page {child_id}")
                child.save(clean=False, update_fields=["slug"])
            child.move(page, pos="last-child")

    def _publish(self, page: Page, item: Item, published: datetime | None, modified: datetime | None) -> str:
        """Give the page the WordPress status; returns the status for the report."""
        status = item.status or "draft"
        if status == "future":
            page.go_live_at = published
            page.save(clean=False, update_fields=["go_live_at"])
            revision = page.save_revision()
            # Approved for scheduled publishing even when the date has passed (WordPress
            # missed its schedule): Wagtail's publish_scheduled command puts it live.
            revision.approved_go_live_at = published or timezone.now()
            revision.save(update_fields=["approved_go_live_at"])
            if published is not None and published <= timezone.now():
                self.report.note(
                    item.label,
                    "scheduled for a date already past: goes live on the next publish_scheduled run",
                )
            return "scheduled"
        if status not in ("publish", "private"):
            page.save_revision()
            if status not in ("draft", "pending"):
                self.report.note(item.label, f"unknown status {status!r}: imported as a draft")
            return "draft"
        restricted = ""
        if status == "private":
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
            restricted = "private"
        elif item.post_password:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password=item.post_password[:255]
            )
            restricted = "password-protected"
        revision = page.save_revision()
        revision.publish()
        when = published or timezone.now()
        Page.objects.filter(pk=page.pk).update(
            first_published_at=when,
            last_published_at=modified or when,
            latest_revision_created_at=modified or when,
        )
        type(revision).objects.filter(pk=revision.pk).update(created_at=modified or when)
        return restricted or "published"

    def _redirects(self, item: Item, page: Page, query_key: str) -> None:
        paths = []
        if item.link:
            parsed = urlparse(item.link.strip())
            if parsed.path not in ("", "/") or parsed.query:
                paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        paths.append(f"/?{query_key}={item.post_id}")
        for old in dict.fromkeys(Redirect.normalise_path(path) for path in paths):
            if len(old) > 255:
                self.report.note(item.label, "its old URL is too long for a redirect")
                continue
            existing = Redirect.objects.filter(old_path=old, site__isnull=True).first()
            if existing is None:
                Redirect.objects.create(old_path=old, site=None, redirect_page=page, is_permanent=True)
                self.report.count("redirect", "created")
            elif existing.redirect_page_id != page.pk:
                self.report.note(item.label, f"the old URL {old} already redirects elsewhere; left as it is")

    # Comments

    def _import_comments(self, item: Item, page: Page) -> None:
        if not item.comments:
            return
        if not isinstance(page, targets.comment_target_models()):
            return
        content_type = ContentType.objects.get_for_model(page)
        max_level = max_thread_level_for_content_type(content_type)
        by_id: dict[str, Comment] = {}
        for comment in item.comments:
            if not comment.id:
                self.report.skip("comment", f"a comment on {item.label}", "has no WordPress id")
            elif comment.id in by_id:
                self.report.skip("comment", f"comment {comment.id}", "appears twice; the first is kept")
            elif comment.type in ("pingback", "trackback"):
                self.report.count("comment", f"skipped {comment.type}")
            elif comment.approved in ("trash", "post-trashed"):
                self.report.skip("comment", f"comment {comment.id}", "is in the trash")
            else:
                by_id[comment.id] = comment

        stored: dict[str, XtdComment] = {}
        for comment in self._thread_order(by_id, item):
            mapped = self._mapped_object(WordPressKind.COMMENT, comment.id, XtdComment)
            if mapped is not None:
                stored[comment.id] = mapped
                self.report.count("comment", "unchanged")
                continue
            parent = stored.get(comment.parent) if comment.parent not in ("", "0") else None
            if parent is None and comment.parent not in ("", "0") and comment.parent not in by_id:
                parent = self._mapped_object(WordPressKind.COMMENT, comment.parent, XtdComment)
            if parent is not None and max_level and parent.level >= max_level:
                # Deeper than threads may go: the reply joins the deepest level allowed.
                while parent.level >= max_level:
                    parent = XtdComment.objects.get(pk=parent.parent_id)
                self.report.note(
                    f"comment {comment.id}",
                    f"reply nested deeper than {max_level} levels; attached at level {max_level}",
                )
            submitted = parse_wp_date(comment.date_gmt, True) or parse_wp_date(comment.date, False)
            if submitted is None:
                self.report.note(f"comment {comment.id}", "has no valid date; the post's date is used")
                submitted = item_date(item) or timezone.now()
            status = {"1": "public", "approve": "public", "spam": "spam"}.get(comment.approved, "held")
            xtd = XtdComment(
                content_type=content_type,
                object_pk=str(page.pk),
                site_id=settings.SITE_ID,
                user_name=clean_text(comment.author)[:50],
                user_email=clean_text(comment.author_email)[:254],
                user_url=clean_text(comment.author_url)[:200],
                comment=clean_text(plain_text(comment.content)),
                submit_date=submitted,
                is_public=status == "public",
                is_removed=False,
                parent_id=parent.pk if parent is not None else 0,
            )
            xtd.save()
            if status == "spam":
                CommentScreening.objects.create(comment=xtd, is_spam=True, reasons=SPAM_REASON)
            self._remember(WordPressKind.COMMENT, comment.id, xtd)
            stored[comment.id] = xtd
            self.report.count("comment", status)

    def _thread_order(self, by_id: dict[str, Comment], item: Item) -> list[Comment]:
        """Parents before replies, whatever the file's order; a reply whose parent is missing
        or part of a cycle becomes a top-level comment (reported)."""
        ordered: list[Comment] = []
        placed: set[str] = set()
        for comment_id in sorted(by_id, key=lambda c: (len(c), c)):
            # chain: the comment, its parent, its grandparent... until one is placed or a root.
            chain: list[str] = []
            current = comment_id
            while current in by_id and current not in placed:
                if current in chain:
                    # A cycle: the comment that closes it becomes top-level, so it goes
                    # first, then the rest of the cycle, then the replies leading to it.
                    self.report.note(
                        f"comment {current}", "its replies form a cycle; made a top-level comment"
                    )
                    by_id[current].parent = "0"
                    at = chain.index(current)
                    chain = chain[:at] + chain[at + 1 :] + [current]
                    break
                chain.append(current)
                parent = by_id[current].parent
                if parent in ("", "0"):
                    break
                if parent not in by_id:
                    if self._mapped(WordPressKind.COMMENT, parent) is None:
                        self.report.note(
                            f"comment {current}",
                            f"replies to comment {parent}, which is not in the export; "
                            "made a top-level comment",
                        )
                        by_id[current].parent = "0"
                    break
                current = parent
            for comment_id_in_chain in reversed(chain):
                if comment_id_in_chain not in placed:
                    placed.add(comment_id_in_chain)
                    ordered.append(by_id[comment_id_in_chain])
        return ordered

    # Media

    def _import_attachment(self, item: Item) -> None:
        url = item.attachment_url or item.guid
        if Path(urlparse(url).path).suffix.lower() not in IMAGE_EXTENSIONS:
            self.report.skip("attachment", item.label, "is not an image (documents are not imported)")
            return
        if self._mapped(WordPressKind.IMAGE, item.post_id) is not None:
            self.report.count("image", "unchanged")
            return
        found = MediaForItem(self, item).image_for_attachment(item.post_id)
        if found is None and self.media_dir is not None and not self.dry_run:
            self.report.missing(item.label, url)

    def image_from_file(self, relative: str, title: str, alt: str, kind: str, wordpress_id: str):
        """(image id, alt) for an upload under --media-dir, importing it once; None if missing."""
        mapped = self._mapped(kind, wordpress_id)
        if mapped is not None:
            image = get_image_model().objects.filter(pk=mapped.object_id).first()
            if image is not None:
                return image.pk, alt or getattr(image, "description", "")
        if self.media_dir is None or not relative:
            return None
        root = self.media_dir.resolve()
        for candidate in dict.fromkeys([resized_original(relative), relative]):
            file = (root / candidate).resolve()
            # An export must not reach files outside the media folder ('../../etc/passwd').
            if root not in file.parents or not file.is_file():
                continue
            if self.dry_run:
                self.report.count("image", "would import")
                return None
            try:
                with transaction.atomic(), file.open("rb") as handle:
                    image = get_image_model()(
                        title=clean_text(title or file.stem)[:255],
                        description=clean_text(alt)[:255],
                        file=ImageFile(handle, name=file.name),
                    )
                    image.save()
                    self._remember(kind, wordpress_id, image)
            except Exception as exc:
                self.report.note(
                    f"file {candidate}", f"not a readable image ({type(exc).__name__}); left out"
                )
                return None
            self.report.count("image", "imported")
            return image.pk, alt
        return None

    # Front page

    def _set_lead_story(self) -> None:
        if self.index.newest_sticky is None:
            return
        article = self._mapped_object(WordPressKind.POST, self.index.newest_sticky[1], Page)
        if article is None or not article.live:
            return
        article = article.specific
        if PageViewRestriction.objects.filter(page=article).exists():
            return
        if targets.set_lead_story(self.home, article):
            self._index(self.home)
            self.report.note(article.title, "the newest sticky post is now the front page's lead story")


class MediaForItem(MediaResolver):
    """Image look-ups on behalf of one item's body and featured image."""

    def __init__(self, importer: Importer, item: Item):
        self.importer = importer
        self.item = item

    def image_for_attachment(self, attachment_id: str) -> tuple[int, str] | None:
        attachment = self.importer.index.attachments.get(attachment_id)
        if attachment is None:
            return self.importer.image_from_file("", "", "", WordPressKind.IMAGE, attachment_id)
        relative = uploads_path(attachment.url)
        return self.importer.image_from_file(
            relative, attachment.title, attachment.alt, WordPressKind.IMAGE, attachment_id
        )

    def image_for_url(self, url: str, alt: str = "") -> tuple[int, str] | None:
        relative = uploads_path(url)
        if not relative:
            return None
        index = self.importer.index
        attachment_id = index.attachment_by_path.get(relative) or index.attachment_by_path.get(
            resized_original(relative)
        )
        if attachment_id:
            found = self.image_for_attachment(attachment_id)
            if found is not None:
                return found[0], alt or found[1]
            return None
        return self.importer.image_from_file(relative, "", alt, WordPressKind.IMAGE_FILE, relative)

    def attachments_of_post(self) -> list[str]:
        return self.importer.index.attachments_by_parent.get(self.item.post_id, [])
