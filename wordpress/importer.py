"""Import a WordPress export (WXR) into sections, articles, content pages, comments and images.

Two passes over the file: the first checks it is a whole, well-formed export
and notes the small facts later items depend on (categories, authors,
attachments, page parents, sticky posts), so a broken file is refused before
anything is written; the second imports item by item, in batches of items that
each commit once, each story with its comments in a savepoint of its own. What
was imported is recorded in WordPressItem, which makes a second run a no-op and
lets an interrupted one carry on from the batch it stopped in.

Large archives (tens of thousands of posts) set the costs: a story is decided
in memory in its final state (tree path, revision, byline, tags, redirects,
comment threads) instead of being created, revised and published one Wagtail
step at a time (about 130 queries), and a batch's stories are written together
at its end, a statement per table (see wordpress.batch_writes); the records,
tree counts, search and reference indexes and page history are written per
batch, and cache work once per run (see wordpress.batching).
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment, max_thread_level_for_content_type
from modelsearch.signal_handlers import post_save_signal_handler

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, connection, models, reset_queries, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify

from modelcluster.models import get_all_child_relations
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.search import index as search_index
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.purging import page_purge_urls, purge, purging_enabled
from discussion.models import CommentScreening

from . import targets
from .batch_writes import SPAM_REASON, FirstRevision, QueuedRows, ThreadNode
from .batching import Deferred, SearchIndexing, deferred_receivers, update_reference_index
from .captions import store_attachment_caption
from .content import MediaResolver, RefusedImage, convert_body, resized_original
from .media import upload_refusal
from .models import WordPressItem, WordPressKind
from .report import Report, ReportMark
from .wxr import Author, Category, Channel, Comment, Item, Tag, read_wxr

# Attachments WordPress treats as images; whether each file becomes one is the admin
# upload's checks' decision (wordpress.media), so an SVG is refused with a reason
# rather than skipped as a document.
IMAGE_EXTENSIONS = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".svg", ".heic",
}  # fmt: skip
INTERNAL_STATUSES = {"trash": "in the trash", "auto-draft": "an unsaved auto-draft", "inherit": "a revision"}
PUBLISHED_STATUSES = {"publish", "private"}
ZERO_DATE = "0000-00-00 00:00:00"
SLUG_MAX_LENGTH = 255
TITLE_MAX_LENGTH = 255
# A comment dated later than this past the import's clock has a broken date.
COMMENT_CLOCK_SKEW = timedelta(days=1)
# Items imported in one transaction, with one pass of search and reference indexing,
# page history and tree counts at its end: a run stopped mid-batch leaves none of that
# batch, and the next run carries on from it.
BATCH_SIZE = 200
# The planner's statistics are refreshed each time the items this run has imported
# double, from this many (see refresh_planner_statistics).
ANALYZE_FIRST_AT = 1000
# Values in one `IN (...)` look-up: well under SQLite's limit on a statement's parameters.
IN_QUERY_SIZE = 5000


@contextmanager
def indexing_once_per_object():
    """Search and reference indexing off while the import runs (sections are saved several
    times, and indexing one object at a time costs a few queries each); `Importer._index`
    queues what was written and `Importer._flush` indexes it in batches.
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


def refresh_planner_statistics() -> None:
    """ANALYZE on PostgreSQL, between batches.

    Autovacuum may be off, or behind an import's pace: planned with the statistics of
    the near-empty tables it started on, a batch's read of its 200 new stories walked
    every story (0.7 s at 45,000 stories, and growing). Refreshed each time the run's
    items double, the statistics cost a few seconds in all, whatever the archive's size.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def forget_logged_queries() -> None:
    """Empty the query log DEBUG keeps (up to 9,000 statements, whole batches' inserts among
    them, held for the whole run), unless a test is counting queries."""
    if not connection.force_debug_cursor:
        reset_queries()


class ImportRefused(Exception):
    """The import cannot start (no home page, no such section root); nothing was written."""


class QueuedWriteFailed(Exception):
    """Writing a batch's queued rows together failed with a database error; the batch's
    transaction rolls back and its items are imported again one by one (see _import_batch)."""


@dataclass(frozen=True)
class MemoryMark:
    """What an item or a batch can change in the report and the run's caches, taken before
    it: lengths and counters, so taking one costs the same however far the run has got."""

    report: ReportMark
    images: int
    new_under: int
    listed_tags: int
    listed_authors: int
    commented_pages: int


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


def old_paths(item: Item, query_key: str) -> list[str]:
    """The item's old addresses, as redirects store them: its permalink and /?p=<id>."""
    paths = []
    if item.link:
        parsed = urlparse(item.link.strip())
        if parsed.path not in ("", "/") or parsed.query:
            paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    paths.append(f"/?{query_key}={item.post_id}")
    return list(dict.fromkeys(Redirect.normalise_path(path) for path in paths))


def _same_page(target: Page | int | None, page: Page) -> bool:
    """Whether a redirect's page (queued, so a Page; or stored, its id) is `page`."""
    if isinstance(target, Page):
        return target is page
    return page.pk is not None and target == page.pk


def plain_text(fragment: str) -> str:
    """HTML (an excerpt, a comment) as text, line breaks kept."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    soup = BeautifulSoup(re.sub(r"<br\s*/?>", "\n", fragment, flags=re.IGNORECASE), "html.parser")
    return soup.get_text().strip()


def _is_valid(value: str, validator: Callable[[str], None], max_length: int) -> bool:
    if len(value) > max_length:
        return False
    try:
        validator(value)
    except ValidationError:
        return False
    return True


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
            lines = record.control_character_lines
            if lines:
                shown = ", ".join(str(line) for line in lines[:20]) + (" …" if len(lines) > 20 else "")
                report.note(
                    "the export",
                    f"control characters XML does not allow (NUL and others) removed on "
                    f"{len(lines)} line(s): {shown}",
                )
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
        section_root: str | Page | None = None,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
        phase: Callable[[str], None] | None = None,
        batch_size: int = BATCH_SIZE,
        write_per_item: bool = False,
    ):
        """`write_per_item` writes each item's rows as soon as it is read (in its savepoint)
        instead of with its batch's: slower, the same site; kept to compare the two."""
        self.path = path
        self.batch_size = batch_size
        self.write_per_item = write_per_item
        self.media_dir = Path(media_dir) if media_dir else None
        self.section_root_slug = section_root
        self.dry_run = dry_run
        self.progress = progress
        self.phase = phase or (lambda name: None)
        self.report = Report(dry_run=dry_run)
        self.index = ExportIndex()
        self.source = ""
        self.sections: dict[str, Page] = {}
        self.authors: dict[str, object] = {}
        self.tags: dict[str, object] = {}
        # Written by committed transactions, waiting for the next batch (see _flush).
        self._to_index: list[tuple[type[models.Model], models.Model]] = []
        self._to_log: list[PageLogEntry] = []
        # Pages that received new children, tags and authors with new stories: their
        # listings are purged from caches once, at the end.
        self._new_under: dict[int, Page] = {}
        self._listed_tags: dict[int, object] = {}
        self._listed_authors: dict[int, object] = {}
        # Files under --media-dir the upload checks refused, with why: each is checked once.
        self._refused_files: dict[Path, RefusedImage] = {}
        # (kind, WordPress id) → id of each image imported from this export (see _load_image_ids).
        self._image_ids: dict[tuple[str, str], str] = {}
        self._reported_refusals: set[tuple[str, str]] = set()
        # (kind, WordPress id) → record of what earlier runs and this one imported, but
        # comments (too many to hold): read once, so an item costs no query to find its own.
        self._records: dict[tuple[str, str], WordPressItem] = {}
        self._records_loaded = False
        # New records waiting for the end of the batch, and how to undo what a failed
        # item changed in `_records` (see _unit).
        self._to_record: list[WordPressItem] = []
        # Records of queued pages, whose ids are filled in once they are written.
        self._records_of_queued: list[tuple[WordPressItem, models.Model]] = []
        self._undo: list[tuple[tuple[str, str], WordPressItem | None]] = []
        # Per parent page, within a batch: its last child's path, and the children added
        # whose count is written at the end of the batch.
        self._last_child_path: dict[int, str] = {}
        self._new_children: dict[int, int] = {}
        self._deferred = Deferred()
        self._search_indexing = SearchIndexing()
        # What the batch's stories write at its end (see wordpress.batch_writes), and what
        # their items' look-ups need from the database, read once per batch.
        self._queued = QueuedRows()
        self._known_redirects: dict[str, int | None] | None = None
        self._known_comment_ids: set[str] | None = None
        # Slugs of the children of the sections this run created, which have no others; and
        # the slugs given out, to take back those of an item that fails (see _unit).
        self._child_slugs: dict[int, set[str]] = {}
        self._slugs_given: list[tuple[int, str | None]] = []

    # Running

    def run(self) -> Report:
        started = time.monotonic()
        if self.media_dir is not None and not self.media_dir.is_dir():
            raise ImportRefused(f"--media-dir {self.media_dir} is not a folder")
        self.phase("Checking the export")
        with self.report.phase("read and check"):
            self.index = scan(self.path, self.report)
        self.source = self.index.channel.source or Path(self.path).name
        self.report.source = self.source
        self.home = targets.home_page()
        self._load_image_ids()
        self._load_records()
        self.phase("Checking each item (dry run)" if self.dry_run else "Importing items")
        with indexing_once_per_object(), deferred_receivers(self._deferred):
            if self.dry_run:
                with self.report.phase("import (rolled back)"), transaction.atomic():
                    self._import_all()
                    transaction.set_rollback(True)
            else:
                # Each batch indexes what it wrote before it commits (see _batch); its time
                # is reported as a phase of its own, not twice.
                self.report.phases["import"] = 0.0
                with self.report.phase("import"):
                    self._import_all()
                self.report.phases["import"] -= self.report.phases.get("indexes and history", 0.0)
                self.phase("Clearing caches")
                with self.report.phase("cache purges"):
                    self._purge_listings()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _import_all(self) -> None:
        self.section_root = self._section_root()
        with self._batch():
            self._import_sections()
        done = 0
        analyze_at = ANALYZE_FIRST_AT
        batch: list[Item] = []
        for record in read_wxr(self.path):
            if isinstance(record, Item):
                batch.append(record)
            if len(batch) >= self.batch_size:
                done = self._import_batch(batch, done)
                batch = []
                forget_logged_queries()
                if done >= analyze_at and not self.dry_run:
                    refresh_planner_statistics()
                    analyze_at *= 2
        if batch:
            done = self._import_batch(batch, done)
        with self._batch():
            self._set_lead_story()
        with self.report.phase("indexes and history"), transaction.atomic():
            self._search_indexing.refresh_title_norms()
        if done >= ANALYZE_FIRST_AT and not self.dry_run:
            refresh_planner_statistics()

    def _import_batch(self, batch: list[Item], done: int) -> int:
        """The items in one transaction, each in a savepoint of its own (a failed item leaves
        nothing and the others go in); indexes, history and tree counts at its end.

        If writing the batch's stories together fails with a database error, the whole
        transaction is gone, the good items' rows with the bad one's: the batch is imported
        again with each item's rows written in its own savepoint, so that only the item
        whose rows the database refuses is lost (and reported), as it would be item by item.
        """
        mark = self._mark_memory()
        try:
            return self._import_items(batch, done)
        except QueuedWriteFailed as failed:
            self._rewind_memory(mark)
            cause = failed.__cause__
            self.report.note(
                f"items {done + 1} to {done + len(batch)}",
                f"writing the batch's stories together failed ({type(cause).__name__}: {cause}"[:400]
                + "); imported again item by item",
            )
        self.write_per_item, per_item = True, self.write_per_item
        try:
            return self._import_items(batch, done)
        finally:
            self.write_per_item = per_item

    def _import_items(self, batch: list[Item], done: int) -> int:
        with self._batch():
            self._read_what_the_batch_needs(batch)
            for item in batch:
                self._import_item(item)
                done += 1
                if self.progress is not None and item is not batch[-1]:
                    self.progress(done, self.index.items)
        if self.progress is not None:
            # The batch's last item is told once it is committed: on SQLite the admin's
            # progress row can only be written outside the import's transaction.
            self.progress(done, self.index.items)
        return done

    def _mark_memory(self) -> MemoryMark:
        return MemoryMark(
            report=self.report.mark(),
            images=len(self._deferred.images),
            new_under=len(self._new_under),
            listed_tags=len(self._listed_tags),
            listed_authors=len(self._listed_authors),
            commented_pages=len(self._deferred.commented_pages),
        )

    def _rewind_memory(self, mark: MemoryMark) -> None:
        """Forget what a rolled-back item or batch reported and remembered, beyond what `_unit`
        and `_batch` take back themselves: a batch is then imported again as if for the first
        time, and a failed item is reported as failed only."""
        for row in self.report.refused_media[mark.report.refused_media :]:
            self._reported_refusals.discard((row["item"], row["file"]))
        self.report.rewind(mark.report)
        gone = {str(pk) for pk in self._deferred.images[mark.images :]}
        del self._deferred.images[mark.images :]
        if gone:
            # Rare (a failure after images were imported), so read through once.
            self._image_ids = {key: pk for key, pk in self._image_ids.items() if pk not in gone}
        # Dicts keep their order: what the item or batch added is at their ends.
        for added, kept in (
            (self._new_under, mark.new_under),
            (self._listed_tags, mark.listed_tags),
            (self._listed_authors, mark.listed_authors),
            (self._deferred.commented_pages, mark.commented_pages),
        ):
            for key in list(islice(reversed(added), len(added) - kept)):
                del added[key]
        # Authors, tags and sections created inside the rolled-back transaction are gone.
        self.authors.clear()
        self.tags.clear()
        self.sections = {
            slug: section
            for slug, section in self.sections.items()
            if Page.objects.filter(pk=section.pk).exists()
        }

    @contextmanager
    def _batch(self):
        """One transaction; what it queued is written at its end, or forgotten if it rolls back."""
        self._last_child_path.clear()
        # Lists that a dry run keeps across batches (it writes no records or history).
        marks = (
            len(self._to_index),
            len(self._to_log),
            len(self._to_record),
            len(self._undo),
            len(self._slugs_given),
        )
        new_children = dict(self._new_children)
        try:
            with transaction.atomic():
                yield
                self._end_batch()
        except BaseException:
            self._queued.clear()
            self._records_of_queued.clear()
            del self._to_index[marks[0] :]
            del self._to_log[marks[1] :]
            del self._to_record[marks[2] :]
            self._new_children = new_children
            # The records and slugs the batch's items took, given back: the batch may be
            # imported again (see _import_batch).
            self._take_back(marks[3], marks[4])
            raise
        finally:
            self._last_child_path.clear()
            self._known_redirects = None
            self._known_comment_ids = None
        self._undo.clear()
        self._slugs_given.clear()

    def _end_batch(self) -> None:
        # A rehearsal writes them too, to roll them back with the rest: what it reports
        # depends on what earlier items wrote.
        self._write_queued_together()
        if self.dry_run:
            return
        self._write_child_counts()
        WordPressItem.objects.bulk_create(self._to_record)
        self._to_record.clear()
        with self.report.phase("indexes and history"):
            self._flush()

    def _write_queued(self) -> None:
        """What the batch's items queued, written; their redirects and comments stay known
        to the batch's later items."""
        redirected, comment_ids = dict(self._queued.redirect_pages), set(self._queued.comment_ids)
        self._queued.write(self.source)
        for record, obj in self._records_of_queued:
            record.object_id = str(obj.pk)
        self._records_of_queued.clear()
        if self._known_redirects is not None:
            self._known_redirects.update({old: page.pk for old, page in redirected.items()})
        if self._known_comment_ids is not None:
            self._known_comment_ids.update(comment_ids)

    def _write_queued_together(self) -> None:
        """`_write_queued` for several items' rows at once, outside their savepoints: a
        database error there cannot be put down to one item, and the batch falls back."""
        try:
            self._write_queued()
        except DatabaseError as exc:
            raise QueuedWriteFailed from exc

    def _write_child_counts(self) -> None:
        """The children added under each parent since the last call, one update per parent."""
        for parent_pk, added in self._new_children.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + added)
        self._new_children.clear()

    @contextmanager
    def _unit(self):
        """A savepoint; what it queued or remembered is dropped if it rolls back."""
        marks = (
            len(self._to_index),
            len(self._to_log),
            len(self._to_record),
            len(self._undo),
            len(self._slugs_given),
            len(self._records_of_queued),
        )
        queued = self._queued.marks()
        tree = dict(self._last_child_path), dict(self._new_children)
        try:
            with transaction.atomic():
                yield
                if self.write_per_item:
                    self._write_queued()
        except BaseException:
            del self._to_index[marks[0] :]
            del self._to_log[marks[1] :]
            del self._to_record[marks[2] :]
            self._take_back(marks[3], marks[4])
            del self._records_of_queued[marks[5] :]
            self._queued.truncate(queued)
            self._last_child_path, self._new_children = tree
            raise

    def _take_back(self, undo_mark: int, slugs_mark: int) -> None:
        """Undo what was changed in `_records` and `_child_slugs` since the marks."""
        for key, previous in reversed(self._undo[undo_mark:]):
            if previous is None:
                self._records.pop(key, None)
            else:
                self._records[key] = previous
        del self._undo[undo_mark:]
        for parent_pk, slug in reversed(self._slugs_given[slugs_mark:]):
            if slug is None:
                self._child_slugs.pop(parent_pk, None)
            else:
                self._child_slugs.get(parent_pk, set()).discard(slug)
        del self._slugs_given[slugs_mark:]

    # Mapping

    def _load_records(self) -> None:
        known = WordPressItem.objects.filter(source=self.source).exclude(kind=WordPressKind.COMMENT)
        self._records = {
            (record.kind, record.wordpress_id): record
            for record in known.only("pk", "source", "kind", "wordpress_id", "object_id").iterator()
        }
        self._records_loaded = True

    def _mapped(self, kind: str, wordpress_id: str) -> WordPressItem | None:
        if kind != WordPressKind.COMMENT and self._records_loaded:
            return self._records.get((kind, wordpress_id))
        return WordPressItem.objects.filter(source=self.source, kind=kind, wordpress_id=wordpress_id).first()

    def _set_record(self, record: WordPressItem) -> None:
        if record.kind == WordPressKind.COMMENT:
            return
        key = (record.kind, record.wordpress_id)
        self._undo.append((key, self._records.get(key)))
        self._records[key] = record

    def _mapped_object(self, kind: str, wordpress_id: str, model: type[models.Model]):
        mapping = self._mapped(kind, wordpress_id)
        if mapping is None:
            return None
        return model._default_manager.filter(pk=mapping.object_id).first()

    def _index(self, obj: models.Model) -> None:
        if self.dry_run:
            return
        model = obj.specific_class if isinstance(obj, Page) else type(obj)
        # The object, not its id: a story's page has its id once its batch is written.
        self._to_index.append((model, obj))

    def _flush(self) -> None:
        """Search index, reference index and page history for what the last stories wrote.

        The same entries Wagtail writes when saving one object at a time, in a few
        queries per batch instead of several per object.
        """
        if self.dry_run or not (self._to_index or self._to_log):
            return
        pending: dict[type[models.Model], list] = {}
        for model, obj in self._to_index:
            pending.setdefault(model, []).append(obj.pk)
        with transaction.atomic():
            PageLogEntry.objects.bulk_create(self._to_log)
            for model, pks in pending.items():
                # Read once for both indexes; the reference index reads every child
                # relation (byline, tags...).
                relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
                is_indexed = search_index.class_is_indexed(model)
                objects = model.get_indexed_objects() if is_indexed else model._default_manager.all()
                written = list(objects.filter(pk__in=pks).prefetch_related(*relations))
                if is_indexed:
                    self._search_indexing.add(model, written)
                    # A model may index a subset of its objects; the reference index takes all.
                    unindexed = set(pks) - {obj.pk for obj in written}
                    if unindexed:
                        rest = model._default_manager.filter(pk__in=unindexed).prefetch_related(*relations)
                        written += list(rest)
                update_reference_index(written)
        self._to_index.clear()
        self._to_log.clear()

    def _purge_listings(self) -> None:
        """Purge the listings that show the new pages from the front-end caches, once."""
        if not purging_enabled() or not self._new_under:
            return
        urls = [url for page in self._new_under.values() for url in page_purge_urls(page)]
        site = self.home.get_site()
        if site is not None:
            urls += [
                urljoin(f"{site.root_url}/", path)
                for path in targets.listing_paths(self._listed_tags.values(), self._listed_authors.values())
            ]
        purge(urls)

    def _remember(self, kind: str, wordpress_id: str, obj: models.Model) -> None:
        if kind != WordPressKind.COMMENT:
            self._index(obj)
        record, _ = WordPressItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            wordpress_id=wordpress_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
                "object_id": str(obj.pk),
            },
        )
        self._set_record(record)

    def _remember_new(
        self, kind: str, wordpress_id: str, obj: models.Model, stale: WordPressItem | None = None
    ) -> None:
        """`_remember` for an item whose record is known: none, or `stale` (its object was deleted)."""
        if stale is not None and stale.pk is not None:
            # Not stale.delete(), which clears its pk: if the item or its batch rolls back, the
            # row is there again and `_records` gets this record back as it was (see _take_back).
            WordPressItem.objects.filter(pk=stale.pk).delete()
        elif stale is not None:
            self._to_record.remove(stale)
        self._index(obj)
        record = WordPressItem(
            source=self.source,
            kind=kind,
            wordpress_id=wordpress_id,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        # Written with the rest of the batch; found in `_records` until then.
        self._to_record.append(record)
        if obj.pk is None:
            self._records_of_queued.append((record, obj))
        self._set_record(record)

    # Sections

    def _section_root(self) -> Page:
        if isinstance(self.section_root_slug, Page):
            return self.section_root_slug
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
            with self._unit():
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
        # treebeard reads the parent's child count and last child from the database.
        self._write_child_counts()
        self._last_child_path.pop(parent.pk, None)
        parent.add_child(instance=section)
        self._deferred.pages_changed = True
        self._child_slugs[section.pk] = set()
        self._slugs_given.append((section.pk, None))
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

    def _unused_slug(self, slug: str, taken: set[str], label: str) -> str:
        """`slug`, or the first `slug-2`, `slug-3`... not in `taken`, noted in the report."""
        if slug not in taken:
            return slug
        n = 2
        while f"{slug[: SLUG_MAX_LENGTH - 6]}-{n}" in taken:
            n += 1
        new = f"{slug[: SLUG_MAX_LENGTH - 6]}-{n}"
        self.report.note(label, f"the slug {slug!r} is already used here; imported as {new!r}")
        return new

    def _free_slug(self, parent: Page, slug: str, label: str) -> str:
        slug = slug[:SLUG_MAX_LENGTH] or "untitled"
        known = self._child_slugs.get(parent.pk)
        if known is not None:
            # A page this run created: its children are the ones this run gave it.
            taken = known
        else:
            # child_of, unlike get_children, does not trust the parent's numchild as read earlier.
            taken = set(
                Page.objects.child_of(parent)
                .filter(slug__startswith=slug[:200])
                .values_list("slug", flat=True)
            ) | self._queued.slugs_under.get(parent.pk, set())
        slug = self._unused_slug(slug, taken, label)
        if known is not None:
            known.add(slug)
            self._slugs_given.append((parent.pk, slug))
        return slug

    # Authors

    def _author(self, login: str):
        if login in self.authors:
            return self.authors[login]
        mapping = self._mapped(WordPressKind.AUTHOR, login)
        mapped = None
        if mapping is not None:
            mapped = targets.AUTHOR_MODEL._default_manager.filter(pk=mapping.object_id).first()
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
            self._remember_new(WordPressKind.AUTHOR, login, mapped, stale=mapping)
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
            # The image it became takes its caption and credit (wordpress.captions).
            if not self.dry_run:
                image_id = self._image_ids.get((WordPressKind.IMAGE, item.post_id))
                store_attachment_caption(image_id, item.excerpt)
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
        mapping = self._mapped(kind, item.post_id)
        if (mapping is not None and mapping.object_id in ("", "None")) or any(
            comment.id in self._queued.comment_ids for comment in item.comments
        ):
            # The same item twice in one batch: the first one's rows are written now, outside
            # this item's savepoint, for the second to find.
            self._write_queued_together()
        existing = self._existing_page(mapping)
        if existing is not None:
            self.report.count(post_type, "unchanged")
            if item.comments:
                # New comments on an imported post or page (a later export) still come in.
                with self._unit():
                    self._import_comments(item, existing.specific, new_page=False)
            return
        mark = self._mark_memory()
        try:
            with self._unit():
                # A page deleted since the last run (`mapping` then is stale) is imported again.
                if kind == WordPressKind.POST:
                    self._import_post(item, mapping)
                else:
                    self._import_page(item, mapping)
        except Exception as exc:
            # Nothing of the item is imported: what it counted or noted (its story as
            # published, a renamed slug) is taken back, and its failure reported instead.
            self._rewind_memory(mark)
            self.report.fail(item.label, f"{type(exc).__name__}: {exc}"[:500])
            self.report.count(post_type, "failed")

    def _existing_page(self, mapping: WordPressItem | None) -> Page | None:
        return Page.objects.filter(pk=mapping.object_id).first() if mapping is not None else None

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
        for refused in conversion.refused_media:
            self.report_refused(item.label, refused)
        return conversion.blocks

    def _import_post(self, item: Item, stale: WordPressItem | None = None) -> None:
        parent, other_categories = self._section_for_item(item)
        title, slug = self._title_and_slug(item)
        published, modified = self._dates(item)
        lead_image_id, lead_alt = None, ""
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail:
            found = MediaForItem(self, item).image_for_attachment(thumbnail)
            if isinstance(found, RefusedImage):
                self.report_refused(item.label, found)
            elif found is not None:
                lead_image_id, lead_alt = found
            else:
                attachment = self.index.attachments.get(thumbnail)
                self.report.missing(item.label, attachment.url if attachment else f"attachment {thumbnail}")
        page = self._new_article(
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
        tags = [self._tag(clean_text(name)) for name in tag_names if clean_text(name).strip()]
        authors = self._byline(item)

        def add_relations(page: Page) -> None:
            self._queued.relation_rows.extend(targets.byline_and_tags(page, authors, tags))

        status = self._create_page(parent, page, item, published, modified, add_relations)
        for tag in tags:
            self._listed_tags.setdefault(tag.pk, tag)
        for author in authors:
            self._listed_authors.setdefault(author.pk, author)
        self._remember_new(WordPressKind.POST, item.post_id, page, stale)
        self._redirects(item, page, "p")
        self.report.count("post", status)
        self._import_comments(item, page)

    def _new_article(self, fields: targets.ArticleFields) -> Page:
        return targets.new_article(fields)

    def _tag(self, name: str):
        """The tag named `name`, looked up once per run."""
        if name not in self.tags:
            self.tags[name] = targets.get_or_create_tag(name)
        return self.tags[name]

    def _import_page(self, item: Item, stale: WordPressItem | None = None) -> None:
        parent = self.home
        wp_parent = self.index.page_parents.get(item.post_id)
        if wp_parent:
            mapped_parent = self._mapped_object(WordPressKind.PAGE, wp_parent, Page)
            if mapped_parent is not None and isinstance(mapped_parent.specific, targets.CONTENT_PAGE_MODEL):
                parent = mapped_parent
        title, slug = self._title_and_slug(item)
        published, modified = self._dates(item)
        page = targets.new_content_page(title, self._free_slug(parent, slug, item.label), self._body(item))
        status = self._create_page(parent, page, item, published, modified)
        self._remember_new(WordPressKind.PAGE, item.post_id, page, stale)
        self._redirects(item, page, "page_id")
        self.report.count("page", status)
        self._import_comments(item, page)
        self._adopt_waiting_children(item.post_id, page)

    def _adopt_waiting_children(self, wordpress_id: str, page: Page) -> None:
        """Pages that came before their parent in the file move under it once it exists."""
        for child_id in self.index.page_children.get(wordpress_id, []):
            child = self._mapped_object(WordPressKind.PAGE, child_id, Page)
            if child is None or child.get_parent().pk != self.home.pk:
                continue
            child = child.specific
            # treebeard's move reads the child counts and last children from the database.
            self._write_child_counts()
            # Only the two pages' children change (stories, queued under sections, do not move).
            self._last_child_path.pop(page.pk, None)
            self._last_child_path.pop(self.home.pk, None)
            if page.get_children().filter(slug=child.slug).exists():
                child.slug = self._free_slug(page, child.slug, f"page {child_id}")
                child.save(clean=False, update_fields=["slug"])
            child.move(page, pos="last-child")

    def _create_page(
        self,
        parent: Page,
        page: Page,
        item: Item,
        published: datetime | None,
        modified: datetime | None,
        add_relations: Callable[[Page], None] | None = None,
    ) -> str:
        """Write `page` under `parent` in the state the WordPress status gives it; returns that
        status for the report.

        The page, its first revision and its publication are written as Wagtail's add_child,
        save_revision and publish would leave them (live revision, dates, draft title, a
        scheduled revision approved to go live), but each row once: publishing through
        Wagtail saves the page three times and reads it back twice.
        """
        now = timezone.now()
        when = published or now
        reported = self._publication_status(item, published, now)
        live = item.status in PUBLISHED_STATUSES
        approved_go_live_at = None
        if reported == "scheduled":
            page.go_live_at = published
            # Approved for scheduled publishing even when the date has passed (WordPress
            # missed its schedule): Wagtail's publish_scheduled command puts it live.
            approved_go_live_at = when
        page.live = live
        page.has_unpublished_changes = not live
        page.draft_title = page.title
        if live:
            page.first_published_at = when
            page.last_published_at = modified or when
        revised = (modified or when) if live else now
        page.latest_revision_created_at = revised
        self._insert_page(parent, page)

        # A new page has no rows in any child relation but those added here; holding them
        # in memory spares the revision's serialisation a query for each.
        for relation in get_all_child_relations(page):
            setattr(page, relation.get_accessor_name(), [])
        if add_relations is not None:
            add_relations(page)
        # Made at the end of the batch with the others' (see wordpress.batch_writes).
        first_revision = FirstRevision(page, live, revised, approved_go_live_at)
        self._queued.revisions.append(first_revision)

        if reported == "private":
            self._queued.restrictions.append(
                PageViewRestriction(page=page, restriction_type=PageViewRestriction.LOGIN)
            )
        elif reported == "password-protected":
            self._queued.restrictions.append(
                PageViewRestriction(
                    page=page,
                    restriction_type=PageViewRestriction.PASSWORD,
                    password=item.post_password[:255],
                )
            )
        self._log(page, "wagtail.create")
        if live:
            first_revision.publish_entry = self._log(page, "wagtail.publish")
        return reported

    def _publication_status(self, item: Item, published: datetime | None, now: datetime) -> str:
        """How the WordPress status is imported (published, draft, scheduled, private,
        password-protected), as the report counts it; odd statuses are noted."""
        status = item.status or "draft"
        if status == "future":
            if published is not None and published <= now:
                self.report.note(
                    item.label,
                    "scheduled for a date already past: goes live on the next publish_scheduled run",
                )
            return "scheduled"
        if status not in PUBLISHED_STATUSES:
            if status not in ("draft", "pending"):
                self.report.note(item.label, f"unknown status {status!r}: imported as a draft")
            return "draft"
        if status == "private":
            return "private"
        return "password-protected" if item.post_password else "published"

    def _insert_page(self, parent: Page, page: Page) -> None:
        """treebeard's add_child, without its lock and re-read of the parent, and the save
        without validation (the fields are built clean) and without the history entry (queued)."""
        page.depth = parent.depth + 1
        # The last child's path is read once per parent and batch, then counted on.
        last = self._last_child_path.get(parent.pk)
        if last is None:
            last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
        page.path = Page(path=last)._inc_path() if last else Page._get_path(parent.path, page.depth, 1)
        page.locale_id = parent.locale_id
        page._cached_parent_obj = parent
        # A new translation key: no site has this page as its root.
        page._is_site_root = False
        if targets.written_in_bulk(page):
            # Stored with its batch's (wordpress.batch_writes), with what its save would set.
            page.set_url_path(parent)
            targets.set_save_defaults(page)
            self._queued.queue_page(parent, page)
        else:
            page.save(clean=False, log_action=None)
        self._last_child_path[parent.pk] = page.path
        # The parent's child count is written once per batch (_write_child_counts).
        self._new_children[parent.pk] = self._new_children.get(parent.pk, 0) + 1
        parent.numchild += 1
        self._new_under.setdefault(parent.pk, parent)
        self._deferred.pages_changed = True

    def _log(self, page: Page, action: str) -> PageLogEntry | None:
        """The page history entry Wagtail writes for `action`, queued for the next batch."""
        if self.dry_run:
            return None
        entry = PageLogEntry(
            content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
            label=page.get_admin_display_title(),
            action=action,
            timestamp=timezone.now(),
            data={},
            page=page,
            content_changed=True,
        )
        self._to_log.append(entry)
        return entry

    def _redirects(self, item: Item, page: Page, query_key: str) -> None:
        olds = []
        for old in old_paths(item, query_key):
            if len(old) > 255:
                self.report.note(item.label, "its old URL is too long for a redirect")
            else:
                olds.append(old)
        existing = self._redirected_pages(olds)
        for old in olds:
            if old not in existing:
                self._queued.queue_redirect(
                    Redirect(old_path=old, site=None, redirect_page=page, is_permanent=True)
                )
                self.report.count("redirect", "created")
            elif not _same_page(existing[old], page):
                self.report.note(item.label, f"the old URL {old} already redirects elsewhere; left as it is")

    def _redirected_pages(self, olds: list[str]) -> dict[str, Page | int | None]:
        """The page each of these old paths already redirects to, if it has a redirect: from
        the batch's queue and what was read at its start, or else from the database."""
        found = {old: self._queued.redirect_pages[old] for old in olds if old in self._queued.redirect_pages}
        unknown = [old for old in olds if old not in found]
        if self._known_redirects is not None and all(old in self._known_redirects for old in unknown):
            stored = {old: self._known_redirects[old] for old in unknown}
            return found | {old: page_id for old, page_id in stored.items() if page_id != 0}
        stored_rows = Redirect.objects.filter(old_path__in=unknown, site__isnull=True)
        return found | dict(stored_rows.values_list("old_path", "redirect_page_id"))

    def _read_what_the_batch_needs(self, batch: list[Item]) -> None:
        """The redirects and comment records the batch's items will look for, in a query or
        two for the batch rather than one or two for each item."""
        olds = {
            old
            for item in batch
            if item.post_type in ("post", "page")
            for old in old_paths(item, "p" if item.post_type == "post" else "page_id")
            if len(old) <= 255
        }
        # 0 marks a path read and found to have no redirect.
        self._known_redirects = dict.fromkeys(olds, 0)
        comment_ids = [c.id for item in batch for c in item.comments if c.id]
        self._known_comment_ids = set()
        ordered_olds = sorted(olds)
        for start in range(0, max(len(olds), len(comment_ids)), IN_QUERY_SIZE):
            some_olds = ordered_olds[start : start + IN_QUERY_SIZE]
            if some_olds:
                stored = Redirect.objects.filter(old_path__in=some_olds, site__isnull=True)
                self._known_redirects.update(stored.values_list("old_path", "redirect_page_id"))
            some_ids = comment_ids[start : start + IN_QUERY_SIZE]
            if some_ids:
                self._known_comment_ids.update(
                    WordPressItem.objects.filter(
                        source=self.source, kind=WordPressKind.COMMENT, wordpress_id__in=some_ids
                    ).values_list("wordpress_id", flat=True)
                )

    # Comments

    def _import_comments(self, item: Item, page: Page, new_page: bool = True) -> None:
        """The item's comments under `page`; a page that was there before the run (`new_page`
        false) is purged from the caches at the end, once, if it gained any."""
        if not item.comments:
            return
        content_type = self._comment_content_type(page)
        if content_type is None:
            return
        max_level = max_thread_level_for_content_type(content_type)
        stored_before = self._comments_stored()
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
        ordered = self._thread_order(by_id, item)
        if not ordered:
            return
        if not max_level:
            # Threads are off for this page type: django-comments-xtd refuses any reply.
            for comment in ordered:
                if comment.parent not in ("", "0"):
                    self.report.note(f"comment {comment.id}", "threads are off: made a top-level comment")
                    comment.parent = "0"
        if self._comments_already_imported(ordered) or any(
            c.parent not in ("", "0") and c.parent not in by_id for c in ordered
        ):
            # Threads already stored (a later export of an imported post) grow one comment at a time.
            self._store_comments_one_by_one(item, page, content_type, max_level, ordered)
        else:
            self._store_comments_in_bulk(item, page, content_type, max_level, ordered)
        kept = self._comments_stored() - stored_before
        if kept and not self._comments_shown(page):
            # Kept with the page, so a page type that later shows comments has them.
            self.report.note(
                item.label,
                f"{kept} comment(s) kept with the page; its page type does not show reader comments",
            )
        if not new_page and not self.dry_run and self._comments_stored() > stored_before:
            # Its comments changed: its cached fragments and pages go, once, at the end.
            self._deferred.commented_pages.setdefault((content_type.pk, str(page.pk)), page)

    def _comments_stored(self) -> int:
        return sum(self.report.counts["comment"][status] for status in ("public", "held", "spam"))

    def _comment_content_type(self, page: Page) -> ContentType | None:
        """The page's content type if the import gives its type comments, else None."""
        if not isinstance(page, targets.comment_target_models()):
            return None
        return ContentType.objects.get_for_model(page)

    def _comments_shown(self, page: Page) -> bool:
        return targets.shows_reader_comments(page)

    def _comments_already_imported(self, comments: list[Comment]) -> bool:
        ids = {comment.id for comment in comments}
        if self._known_comment_ids is not None:
            return bool(ids & self._known_comment_ids)
        return WordPressItem.objects.filter(
            source=self.source, kind=WordPressKind.COMMENT, wordpress_id__in=[c.id for c in comments]
        ).exists()

    def _new_comment(self, item: Item, page: Page, content_type: ContentType, comment: Comment, model):
        """The comment as a `model` instance (not saved) and its status for the report.

        Held to what the reader comment form accepts: plain text of at most
        COMMENT_MAX_LENGTH characters, a name of at most 50, a valid e-mail address
        or none, an http(s) website or none; each change is noted in the report.
        """
        label = f"comment {comment.id}"
        submitted = parse_wp_date(comment.date_gmt, True) or parse_wp_date(comment.date, False)
        now = timezone.now()
        if submitted is None:
            self.report.note(label, "has no valid date; the post's date is used")
            submitted = item_date(item) or now
        elif submitted > now + COMMENT_CLOCK_SKEW:
            # A post scheduled for later has a date in the future too: then the import's time.
            posted = item_date(item)
            usable = posted is not None and posted <= now
            self.report.note(
                label,
                f"dated in the future ({submitted:%Y-%m-%d}); "
                + ("the post's date is used" if usable else "the import's time is used"),
            )
            submitted = posted if usable else now
        status = {"1": "public", "approve": "public", "spam": "spam"}.get(comment.approved, "held")
        text = clean_text(plain_text(clean_text(comment.content)))
        if len(text) > settings.COMMENT_MAX_LENGTH:
            self.report.note(
                label,
                f"{len(text):,} characters, more than the {settings.COMMENT_MAX_LENGTH:,} a reader "
                "comment may have; cut",
            )
            text = text[: settings.COMMENT_MAX_LENGTH - 1] + "…"
        email = clean_text(comment.author_email).strip()
        if email and not _is_valid(email, EmailValidator(), 254):
            self.report.note(label, "its author's e-mail address is not valid; left out")
            email = ""
        url = clean_text(comment.author_url).strip()
        if url and not _is_valid(url, URLValidator(schemes=["http", "https"]), 200):
            self.report.note(label, "its author's website is not a valid http(s) address; left out")
            url = ""
        row = model(
            content_type=content_type,
            object_pk=str(page.pk),
            site_id=settings.SITE_ID,
            user_name=" ".join(clean_text(comment.author).split())[:50],
            user_email=email,
            user_url=url,
            comment=text,
            submit_date=submitted,
            is_public=status == "public",
            is_removed=False,
        )
        return row, status

    def _note_too_deep(self, comment: Comment, max_level: int) -> None:
        self.report.note(
            f"comment {comment.id}",
            f"reply nested deeper than {max_level} levels; attached at level {max_level}",
        )

    def _store_comments_one_by_one(
        self, item: Item, page: Page, content_type: ContentType, max_level: int, ordered: list[Comment]
    ) -> None:
        """Each comment saved by django-comments-xtd, which threads it among those stored."""
        stored: dict[str, XtdComment] = {}
        for comment in ordered:
            mapped = self._mapped_object(WordPressKind.COMMENT, comment.id, XtdComment)
            if mapped is not None:
                stored[comment.id] = mapped
                self.report.count("comment", "unchanged")
                continue
            parent = None
            if comment.parent not in ("", "0"):
                parent = stored.get(comment.parent) or self._mapped_object(
                    WordPressKind.COMMENT, comment.parent, XtdComment
                )
            if parent is not None and parent.level >= max_level:
                # Deeper than threads may go: the reply joins the deepest level allowed.
                while parent.level >= max_level:
                    parent = XtdComment.objects.get(pk=parent.parent_id)
                self._note_too_deep(comment, max_level)
            xtd, status = self._new_comment(item, page, content_type, comment, XtdComment)
            xtd.parent_id = parent.pk if parent is not None else 0
            xtd.save()
            if status == "spam":
                CommentScreening.objects.create(comment=xtd, is_spam=True, reasons=SPAM_REASON)
            self._remember(WordPressKind.COMMENT, comment.id, xtd)
            if self._known_comment_ids is not None:
                self._known_comment_ids.add(comment.id)
            stored[comment.id] = xtd
            self.report.count("comment", status)

    def _store_comments_in_bulk(
        self, item: Item, page: Page, content_type: ContentType, max_level: int, ordered: list[Comment]
    ) -> None:
        """New threads in a few inserts, whatever their size.

        Threads as XtdComment.save builds them comment by comment, in the same
        order: a thread is its root's id; each comment has its depth (`level`),
        its place in the thread's reading order (`order`: a reply goes after its
        parent's last descendant) and its number of descendants (`nested_count`).
        """
        nodes: dict[str, ThreadNode] = {}
        for comment in ordered:
            parent = nodes.get(comment.parent)
            if parent is not None and parent.level >= max_level:
                while parent.level >= max_level:
                    parent = parent.parent
                self._note_too_deep(comment, max_level)
            row, status = self._new_comment(item, page, content_type, comment, BaseComment)
            node = ThreadNode(comment.id, row, status, parent, page=page)
            if parent is None:
                node.thread = [node]
            else:
                node.thread = parent.thread
                at = node.thread.index(parent) + 1
                while at < len(node.thread) and node.thread[at].level > parent.level:
                    at += 1
                node.thread.insert(at, node)
                ancestor = parent
                while ancestor is not None:
                    ancestor.nested_count += 1
                    ancestor = ancestor.parent
            nodes[comment.id] = node

        # Written with the batch's other threads (see wordpress.batch_writes).
        self._queued.queue_thread(list(nodes.values()))
        for node in nodes.values():
            self.report.count("comment", node.status)

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
        if (WordPressKind.IMAGE, item.post_id) in self._image_ids:
            self.report.count("image", "unchanged")
            return
        found = MediaForItem(self, item).image_for_attachment(item.post_id)
        if isinstance(found, RefusedImage):
            self.report_refused(item.label, found)
        elif found is None and self.media_dir is not None and not self.dry_run:
            self.report.missing(item.label, url)

    def _load_image_ids(self) -> None:
        """The images earlier runs imported from this export, read once: an archive whose
        posts name thousands of missing attachments costs no query for each."""
        imported = WordPressItem.objects.filter(
            source=self.source, kind__in=[WordPressKind.IMAGE, WordPressKind.IMAGE_FILE]
        )
        self._image_ids = {
            (kind, wordpress_id): object_id
            for kind, wordpress_id, object_id in imported.values_list("kind", "wordpress_id", "object_id")
        }

    def report_refused(self, label: str, refused: RefusedImage) -> None:
        """Once per item and file, however often the item refers to it."""
        if (label, refused.file) not in self._reported_refusals:
            self._reported_refusals.add((label, refused.file))
            self.report.refuse(label, refused.file, refused.reason)

    def image_from_file(
        self, relative: str, title: str, alt: str, kind: str, wordpress_id: str
    ) -> tuple[int, str] | RefusedImage | None:
        """(image id, alt) for an upload under --media-dir, importing it once; None if missing,
        RefusedImage if the admin's image upload would refuse the file."""
        mapped_id = self._image_ids.get((kind, wordpress_id))
        if mapped_id is not None:
            image = get_image_model().objects.filter(pk=mapped_id).first()
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
            if file not in self._refused_files:
                reason = upload_refusal(file)
                if reason is not None:
                    self._refused_files[file] = RefusedImage(file.relative_to(root).as_posix(), reason)
            if file in self._refused_files:
                return self._refused_files[file]
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
                    # Its story sizes are queued with the others' at the end (see batching).
                    self._deferred.images.append(image.pk)
                    self._image_ids[(kind, wordpress_id)] = str(image.pk)
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

    def image_for_attachment(self, attachment_id: str) -> tuple[int, str] | RefusedImage | None:
        attachment = self.importer.index.attachments.get(attachment_id)
        if attachment is None:
            return self.importer.image_from_file("", "", "", WordPressKind.IMAGE, attachment_id)
        relative = uploads_path(attachment.url)
        return self.importer.image_from_file(
            relative, attachment.title, attachment.alt, WordPressKind.IMAGE, attachment_id
        )

    def image_for_url(self, url: str, alt: str = "") -> tuple[int, str] | RefusedImage | None:
        relative = uploads_path(url)
        if not relative:
            return None
        index = self.importer.index
        attachment_id = index.attachment_by_path.get(relative) or index.attachment_by_path.get(
            resized_original(relative)
        )
        if attachment_id:
            found = self.image_for_attachment(attachment_id)
            if found is None or isinstance(found, RefusedImage):
                return found
            return found[0], alt or found[1]
        return self.importer.image_from_file(relative, "", alt, WordPressKind.IMAGE_FILE, relative)

    def attachments_of_post(self) -> list[str]:
        return self.importer.index.attachments_by_parent.get(self.item.post_id, [])
