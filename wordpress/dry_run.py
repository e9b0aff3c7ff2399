"""A dry run that only reads and converts: the import's report, with nothing written.

The importer's own dry run rehearses the whole import inside a transaction it rolls
back, which costs as much as the import itself (minutes for a few thousand posts).
This one makes the same decisions from what it reads before it starts, in a handful of
queries whatever the export's size (what this export already imported, the sections,
authors, redirects and, once per existing parent, its children's slugs), and converts
the bodies, the slow part, in a pool of processes over batches of items. Items go
through in file order and only a few batches are held at a time, so memory stays flat.

What it cannot see without writing: comments added to posts imported by an earlier
run are counted when the import runs, not here.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from . import conversion, targets
from .importer import SLUG_MAX_LENGTH, Importer, ImportRefused, old_paths, scan
from .models import WordPressItem, WordPressKind
from .report import Report
from .wxr import Comment, Item, read_wxr

# Items handed to a conversion process at a time, and batches converted ahead of the
# one being reported: memory holds about (WINDOW + 1) × BATCH items.
BATCH = 200
WINDOW = 2
# Below this many items, starting the processes costs more than it saves.
POOL_MIN_ITEMS = 2_000


def _batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class DryRun(conversion.KnownInMemory, Importer):
    """`Importer`'s report for an export, read and converted but not written."""

    def __init__(
        self,
        path: str | os.PathLike,
        media_dir: str | os.PathLike | None = None,
        section_root: str | Page | None = None,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
        phase: Callable[[str], None] | None = None,
    ):
        super().__init__(
            path,
            media_dir=media_dir,
            section_root=section_root,
            dry_run=True,
            progress=progress,
            phase=phase,
        )
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        # (kind, WordPress id) → object id of what earlier runs imported from this export.
        self._known: dict[tuple[str, str], str] = {}
        self._section_pages: dict[str, Page] = {}
        self._author_slugs: set[str] = set()
        self._redirect_paths: set[str] = set()
        self._child_slugs: dict[object, set[str]] = {}
        self._pages: dict[str, Page] = {}
        self._sticky_status: tuple[str, str] | None = None
        # Bodies converted by the pool, by item position, for the batch being reported.
        self._converted: dict[int, tuple] = {}

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
        self.section_root = self._section_root()
        self._load_what_exists()
        self._image_ids = {
            key: value for key, value in self._known.items() if key[0] in conversion.IMAGE_KINDS
        }
        with self.report.phase("sections"):
            self._import_sections()
        self.phase("Checking each item (dry run)")
        with self.report.phase("convert"):
            self._convert_items()
        self._note_lead_story()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _load_what_exists(self) -> None:
        """Everything the items' decisions need from the database, in a few queries."""
        # Comments are left out: a million of them would not fit the memory budget, and
        # only posts already imported (whose comments the dry run does not count) need them.
        known = WordPressItem.objects.filter(source=self.source).exclude(kind=WordPressKind.COMMENT)
        self._known = {
            (kind, wordpress_id): object_id
            for kind, wordpress_id, object_id in known.values_list(
                "kind", "wordpress_id", "object_id"
            ).iterator()
        }
        sections = targets.SECTION_MODEL.objects.descendant_of(self.section_root).order_by("path")
        for section in sections.only("pk", "slug", "path", "depth", "title"):
            self._section_pages.setdefault(section.slug, section)
        self._section_by_pk = {str(section.pk): section for section in self._section_pages.values()}
        self._author_slugs = set(targets.AUTHOR_MODEL.objects.values_list("slug", flat=True))
        self._redirect_paths = set(
            Redirect.objects.filter(site__isnull=True).values_list("old_path", flat=True).iterator()
        )

    # The importer's look-ups, answered from memory

    @contextmanager
    def _unit(self):
        yield

    def _mapped_object(self, kind: str, wordpress_id: str, model):
        if kind == WordPressKind.PAGE:
            return self._pages.get(wordpress_id)
        return None

    def _existing_page(self, mapping: WordPressItem | None) -> Page | None:
        # Comments of posts imported earlier are not counted here (see the module's docstring).
        return None if mapping is None else SimpleNamespace(specific=None)

    def _remember(self, kind: str, wordpress_id: str, obj) -> None:
        pass

    def _remember_new(self, kind: str, wordpress_id: str, obj, stale=None) -> None:
        pass

    def _comments_already_imported(self, comments: list[Comment]) -> bool:
        return False

    def _section(self, slug: str, name: str, description: str, parent: Page) -> Page:
        mapped = self._known.get((WordPressKind.CATEGORY, slug))
        if mapped is not None and mapped in self._section_by_pk:
            self.sections[slug] = self._section_by_pk[mapped]
            self.report.count("section", "unchanged")
        elif slug in self._section_pages:
            self.sections[slug] = self._section_pages[slug]
            self.report.count("section", "matched")
        else:
            section = targets.new_section(
                title=name[:255], slug=self._free_slug(parent, slug, f"category {slug!r}")
            )
            self.sections[slug] = section
            self.report.count("section", "created")
        return self.sections[slug]

    def _free_slug(self, parent: Page, slug: str, label: str) -> str:
        """The importer's choice, from the parent's children's slugs read once (pages this
        run would create have no primary key: they are told apart by identity)."""
        key = parent.pk if parent.pk is not None else id(parent)
        taken = self._child_slugs.get(key)
        if taken is None:
            taken = set()
            if parent.pk is not None:
                taken.update(Page.objects.child_of(parent).values_list("slug", flat=True))
            self._child_slugs[key] = taken
        slug = slug[:SLUG_MAX_LENGTH] or "untitled"
        slug = self._unused_slug(slug, taken, label)
        taken.add(slug)
        return slug

    def _author(self, login: str):
        if login not in self.authors:
            if (WordPressKind.AUTHOR, login) not in self._known:
                record = self.index.authors.get(login)
                name = ""
                if record is not None:
                    name = record.display_name or " ".join(
                        p for p in (record.first_name, record.last_name) if p
                    )
                name = name or login
                slug = slugify(unquote(login))[:200] or slugify(name)[:200] or "author"
                self.report.count("author", "matched" if slug in self._author_slugs else "created")
                self._author_slugs.add(slug)
            self.authors[login] = SimpleNamespace(pk=("author", login))
        return self.authors[login]

    def _new_article(self, fields: targets.ArticleFields) -> SimpleNamespace:
        # Building the page model costs more than converting its fields: a stand-in will do.
        return SimpleNamespace(pk=None, title=fields.title, is_article=True)

    def _comment_content_type(self, page) -> ContentType | None:
        if getattr(page, "is_article", False):
            return ContentType.objects.get_for_model(targets.ARTICLE_MODEL)
        return super()._comment_content_type(page)

    def _comments_shown(self, page) -> bool:
        return getattr(page, "is_article", False) or super()._comments_shown(page)

    def _tag(self, name: str):
        return SimpleNamespace(pk=name)

    def _create_page(self, parent, page, item, published, modified, add_relations=None) -> str:
        status = self._publication_status(item, published, timezone.now())
        if (
            item.post_type == "post"
            and self.index.newest_sticky
            and item.post_id == self.index.newest_sticky[1]
        ):
            self._sticky_status = (status, page.title)
        if item.post_type == "page":
            self._pages[item.post_id] = page
        return status

    def _adopt_waiting_children(self, wordpress_id: str, page: Page) -> None:
        pass

    def _redirects(self, item: Item, page: Page, query_key: str) -> None:
        for old in old_paths(item, query_key):
            if len(old) > 255:
                self.report.note(item.label, "its old URL is too long for a redirect")
            elif old in self._redirect_paths:
                self.report.note(item.label, f"the old URL {old} already redirects elsewhere; left as it is")
            else:
                self._redirect_paths.add(old)
                self.report.count("redirect", "created")

    def _store_comments_in_bulk(self, item, page, content_type, max_level, ordered) -> None:
        """The counts and notes of Importer._store_comments_in_bulk, from the levels alone."""
        parents: dict[str, str | None] = {}
        levels: dict[str, int] = {}
        statuses = []
        for comment in ordered:
            parent = comment.parent if comment.parent in levels else None
            if parent is not None and levels[parent] >= max_level:
                while levels[parent] >= max_level:
                    parent = parents[parent]
                self._note_too_deep(comment, max_level)
            _, status = self._new_comment(item, page, content_type, comment, SimpleNamespace)
            parents[comment.id] = parent
            levels[comment.id] = 0 if parent is None else levels[parent] + 1
            statuses.append(status)
        for status in statuses:
            self.report.count("comment", status)

    _store_comments_one_by_one = _store_comments_in_bulk

    def _note_lead_story(self) -> None:
        if self._sticky_status is not None and self._sticky_status[0] == "published":
            self.report.note(
                self._sticky_status[1], "the newest sticky post is now the front page's lead story"
            )

    # Bodies, converted in a pool of processes

    def _body(self, item: Item) -> list[dict]:
        converted = self._converted.pop(item.position, None)
        if converted is None:
            super()._body(item)
            return []
        unmapped, missing, refused, would_import = converted
        self.report.unmapped.update(unmapped)
        for row in missing:
            self.report.missing(row["item"], row["file"])
        for row in refused:
            if (row["item"], row["file"]) not in self._reported_refusals:
                self._reported_refusals.add((row["item"], row["file"]))
                self.report.refused_media.append(row)
        if would_import:
            self.report.count("image", "would import", would_import)
        return []

    def _convert_items(self) -> None:
        items = (record for record in read_wxr(self.path) if isinstance(record, Item))
        done = 0
        if self.workers < 2 or self.index.items < POOL_MIN_ITEMS:
            for item in items:
                self._import_item(item)
                done += 1
                self._progress(done)
            return
        pending: deque[tuple[list[Item], Future]] = deque()
        state = conversion.WorkerState(self.media_dir, self.index, self._image_ids, self.source)
        with ProcessPoolExecutor(
            self.workers,
            mp_context=get_context("spawn"),
            initializer=conversion.start_worker,
            initargs=(state,),
        ) as pool:
            for batch in _batched(items, BATCH):
                bodies = [replace(item, comments=[]) for item in batch if item.post_type in ("post", "page")]
                pending.append((batch, pool.submit(conversion.convert_batch, bodies)))
                if len(pending) > WINDOW:
                    done = self._report_batch(*pending.popleft(), done)
            while pending:
                done = self._report_batch(*pending.popleft(), done)

    def _report_batch(self, batch: list[Item], converted: Future, done: int) -> int:
        self._converted = converted.result()
        for item in batch:
            self._import_item(item)
            done += 1
            self._progress(done)
        self._converted = {}
        return done

    def _progress(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.index.items)
