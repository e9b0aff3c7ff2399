"""The rows a batch's stories write together at its end: a statement per table, not per story.

Each story is decided while its item is read (its page's place in the tree,
slug, URL path, byline, tags, redirects, comment threads), and queued here: its
page's rows in each table of the page's inheritance, the byline and tag rows,
its view restriction, its first revision and the page's pointers to it, its old
URLs' redirects and its comments with their threads and records. At the end of
the batch each table gets its rows in one insert, in an order that gives every
row the ids it refers to. An item that fails drops what it queued
(`marks`/`truncate`), as its savepoint drops what it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision

from discussion.models import CommentScreening

from .models import WordPressItem, WordPressKind

SPAM_REASON = "imported from WordPress as spam"


@dataclass(eq=False)
class ThreadNode:
    """A comment of a thread being built in memory (see Importer._store_comments_in_bulk)."""

    wordpress_id: str
    row: models.Model
    status: str
    parent: ThreadNode | None
    thread: list[ThreadNode] = field(default_factory=list)
    nested_count: int = 0
    # The commented page, which may be queued too: the row takes its id when written.
    page: Page | None = None

    @property
    def level(self) -> int:
        return 0 if self.parent is None else self.parent.level + 1


@dataclass
class FirstRevision:
    """A new page's first revision, made once its byline and tags have their ids."""

    page: Page
    live: bool
    created_at: datetime
    approved_go_live_at: datetime | None
    # The history entry of its publication, which names the revision.
    publish_entry: PageLogEntry | None = None


@dataclass
class QueuedPage:
    """A new page with its place in the tree (path, depth, URL path) decided, not yet stored."""

    parent: Page
    page: Page


@dataclass
class QueuedRows:
    """What a batch's items have decided to write, in the order it is written."""

    pages: list[QueuedPage] = field(default_factory=list)
    relation_rows: list[models.Model] = field(default_factory=list)
    # Saved one by one at the end, as each writes its own history entry (they are few).
    restrictions: list[PageViewRestriction] = field(default_factory=list)
    revisions: list[FirstRevision] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    threads: list[list[ThreadNode]] = field(default_factory=list)
    # Looked up by the batch's later items: the page each queued redirect goes to (not yet
    # stored, so told apart by identity), the WordPress ids of the queued comments, and the
    # slugs the queued pages take under each parent.
    redirect_pages: dict[str, Page] = field(default_factory=dict)
    comment_ids: set[str] = field(default_factory=set)
    slugs_under: dict[int, set[str]] = field(default_factory=dict)

    def marks(self) -> tuple[int, ...]:
        return (
            len(self.pages),
            len(self.relation_rows),
            len(self.restrictions),
            len(self.revisions),
            len(self.redirects),
            len(self.threads),
        )

    def truncate(self, marks: tuple[int, ...]) -> None:
        """Forget what was queued since `marks` (an item that failed)."""
        del self.pages[marks[0] :]
        del self.relation_rows[marks[1] :]
        del self.restrictions[marks[2] :]
        del self.revisions[marks[3] :]
        del self.redirects[marks[4] :]
        del self.threads[marks[5] :]
        self.redirect_pages = {redirect.old_path: redirect.redirect_page for redirect in self.redirects}
        self.comment_ids = {node.wordpress_id for thread in self.threads for node in thread}
        self.slugs_under = {}
        for queued in self.pages:
            self.slugs_under.setdefault(queued.parent.pk, set()).add(queued.page.slug)

    def clear(self) -> None:
        self.truncate((0,) * 6)

    def queue_page(self, parent: Page, page: Page) -> None:
        self.pages.append(QueuedPage(parent, page))
        self.slugs_under.setdefault(parent.pk, set()).add(page.slug)

    def queue_redirect(self, redirect: Redirect) -> None:
        self.redirects.append(redirect)
        self.redirect_pages[redirect.old_path] = redirect.redirect_page

    def queue_thread(self, nodes: Sequence[ThreadNode]) -> None:
        self.threads.append(list(nodes))
        self.comment_ids.update(node.wordpress_id for node in nodes)

    def write(self, source: str) -> None:
        """Every queued row, a few statements in all; then the queue is empty."""
        write_pages([queued.page for queued in self.pages])
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for row in self.relation_rows:
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            model._default_manager.bulk_create(rows)
        for restriction in self.restrictions:
            restriction.save()
        self._write_revisions()
        Redirect.objects.bulk_create(self.redirects)
        self.write_comments(source)
        self.clear()

    def _write_revisions(self) -> None:
        if not self.revisions:
            return
        revisions = [
            Revision(
                content_object=queued.page,
                base_content_type=queued.page.get_base_content_type(),
                # Serialised now that the byline and tag rows have their ids, as
                # save_revision would have them.
                content=queued.page.serializable_data(),
                object_str=str(queued.page),
                created_at=queued.created_at,
                approved_go_live_at=queued.approved_go_live_at,
            )
            for queued in self.revisions
        ]
        Revision.objects.bulk_create(revisions)
        pointers = []
        for queued, revision in zip(self.revisions, revisions, strict=True):
            page = queued.page
            page.latest_revision = revision
            page.live_revision = revision if queued.live else None
            if queued.publish_entry is not None:
                queued.publish_entry.revision = revision
            pointers.append(Page(pk=page.pk, latest_revision=revision, live_revision=page.live_revision))
        Page.objects.bulk_update(pointers, ["latest_revision", "live_revision"])

    def write_comments(self, source: str) -> None:
        """The queued threads: base rows, then their thread columns, spam screening and records."""
        nodes = [node for thread in self.threads for node in thread]
        if not nodes:
            return
        for node in nodes:
            if node.page is not None:
                node.row.object_pk = str(node.page.pk)
        BaseComment.objects.bulk_create([node.row for node in nodes])
        threaded = []
        for node in nodes:
            root = node.thread[0]
            threaded.append(
                XtdComment(
                    comment_ptr_id=node.row.pk,
                    thread_id=root.row.pk,
                    parent_id=node.parent.row.pk if node.parent is not None else node.row.pk,
                    level=node.level,
                    order=node.thread.index(node) + 1,
                    followup=False,
                    nested_count=node.nested_count,
                )
            )
        insert_own_rows(XtdComment, threaded)
        CommentScreening.objects.bulk_create(
            CommentScreening(comment_id=node.row.pk, is_spam=True, reasons=SPAM_REASON)
            for node in nodes
            if node.status == "spam"
        )
        comment_type = ContentType.objects.get_for_model(XtdComment, for_concrete_model=False)
        WordPressItem.objects.bulk_create(
            WordPressItem(
                source=source,
                kind=WordPressKind.COMMENT,
                wordpress_id=node.wordpress_id,
                content_type=comment_type,
                object_id=str(node.row.pk),
            )
            for node in nodes
        )
        self.threads.clear()
        self.comment_ids.clear()


def write_pages(pages: Sequence[Page]) -> None:
    """New pages, their paths already set: the Page rows in one insert, then each table below
    Page in their models' inheritance in one insert each, the Page rows' ids as their keys.

    What Page.save would add is set by the caller (URL path, locale, the model's own
    defaults); the receivers of post_save that matter here (search and reference
    indexes) are the ones the import runs per batch instead.
    """
    if not pages:
        return
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages]
    Page.objects.bulk_create(bases)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for page, base in zip(pages, bases, strict=True):
        page.id = base.pk
        for model in (type(page), *type(page)._meta.get_parent_list()):
            for link in model._meta.parents.values():
                if link is not None:
                    setattr(page, link.attname, base.pk)
        page._state.adding = False
        page._state.db = base._state.db
        for model in type(page)._meta.get_parent_list():
            if model is not Page:
                by_model.setdefault(model, []).append(page)
        by_model.setdefault(type(page), []).append(page)
    # Parents before children: each table's key refers to the table above it.
    for model in sorted(by_model, key=lambda model: len(model._meta.get_parent_list())):
        insert_own_rows(model, by_model[model])


def insert_own_rows(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert the rows of `model`'s own table for objects whose parent rows are stored.

    Django's bulk_create refuses a model with a parent table, and the way around
    it inside Django (`Manager._insert`) is private; this is one parameterised
    INSERT run for all rows through the database API's executemany, each value
    prepared by its field as a save would (`get_db_prep_save`).
    """
    if not objs:
        return
    fields = model._meta.local_concrete_fields
    # The connection itself, not django.db.connection: each attribute read through that
    # proxy looks the connection up again, and the fields read it once per value.
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    # Table and column names come from the model and are quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
