"""Items are imported in batches: one transaction each, the per-object receivers (fragment
cache, purges, picture tasks) suspended and their work done once, and a run stopped inside a
batch leaves nothing of that batch and is carried on by the next run."""

import pytest
from django_comments_xtd.models import XtdComment
from modelsearch.backends import get_search_backends

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from core import fragments
from news.models import NewsArticlePage
from wordpress import importer as importer_module
from wordpress.batch_writes import QueuedRows
from wordpress.importer import Importer
from wordpress.models import WordPressItem

from .site_rows import site_rows
from .wxr_builder import author, category, comment, item, write

pytestmark = pytest.mark.django_db


def export_of(tmp_path, posts: int, name: str = "export.xml"):
    return write(
        tmp_path / name,
        author("editor"),
        category("news", "News"),
        *(
            item(n, tags=[("topic", "Topic")], comments=[comment(10_000 + n, f"On {n}")])
            for n in range(1, posts + 1)
        ),
    )


def queries_to_import(path, **options) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = Importer(path, **options).run()
    assert not report.failed
    return len(captured.captured_queries)


def test_twenty_posts_cost_at_most_a_fixed_number_of_queries_more_each_than_ten(tmp_path, home_page):
    ten = queries_to_import(export_of(tmp_path, 10, "ten.xml"), batch_size=5)
    NewsArticlePage.objects.all().delete()
    WordPressItem.objects.all().delete()
    XtdComment.objects.all().delete()
    twenty = queries_to_import(export_of(tmp_path, 20, "twenty.xml"), batch_size=5)

    assert NewsArticlePage.objects.count() == 20
    # Each story with its comment, and each batch of 5 (indexes, history, tree counts).
    assert twenty - ten <= 10 * 16 + 2 * 12, (ten, twenty)


def test_receivers_are_suspended_during_the_import_and_their_work_done_once(tmp_path, home_page, monkeypatch):
    bumped = []
    monkeypatch.setattr(fragments, "_bump_key", lambda key: bumped.append(key))
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(1, status="private", comments=[comment(3, "Hi")]),
        *(item(n) for n in range(2, 12)),
    )

    Importer(path, batch_size=4).run()

    # The section's publication bumps pages and menus, as an editor's would; then one bump
    # for every version at the end, none for each story, restriction or comment.
    assert sorted(bumped) == sorted(
        [fragments._VERSION_KEY.format(name) for name in (fragments.PAGES, fragments.MENU)]
        + [fragments._VERSION_KEY.format(name) for name in fragments.VERSION_NAMES]
    )
    # The receivers are back afterwards: an editor's change bumps again.
    bumped.clear()
    story = NewsArticlePage.objects.get(slug="story-2")
    story.save_revision().publish()
    assert fragments._VERSION_KEY.format(fragments.PAGES) in bumped


def test_a_run_stopped_inside_a_batch_leaves_nothing_of_it_and_the_next_run_carries_on(
    tmp_path, home_page, monkeypatch
):
    path = export_of(tmp_path, 12)
    import_post = Importer._import_post

    def stopped_at_the_ninth(self, item, stale=None):
        if item.post_id == "9":
            # A killed worker or Ctrl-C, not an error in the item: nothing catches it.
            raise KeyboardInterrupt
        return import_post(self, item, stale)

    monkeypatch.setattr(Importer, "_import_post", stopped_at_the_ninth)
    with pytest.raises(KeyboardInterrupt):
        Importer(path, batch_size=5).run()

    # The first batch (posts 1 to 5) is in; of the second (6 to 10) nothing: no page, no
    # comment, no record, and the section's child count is right.
    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == [
        f"story-{n}" for n in range(1, 6)
    ]
    assert XtdComment.objects.count() == 5
    assert WordPressItem.objects.filter(kind="post").count() == 5
    section = Page.objects.get(slug="news")
    assert section.numchild == 5 == section.get_children().count()

    monkeypatch.setattr(Importer, "_import_post", import_post)
    report = Importer(path, batch_size=5).run()

    assert report.counts["post"] == {"unchanged": 5, "published": 7}
    assert NewsArticlePage.objects.count() == 12
    assert XtdComment.objects.count() == 12
    section.refresh_from_db()
    assert section.numchild == 12 == section.get_children().count()
    paths = list(Page.objects.child_of(section).values_list("path", flat=True))
    assert len(set(paths)) == 12


def test_an_item_that_fails_inside_a_batch_leaves_the_others_of_the_batch_in(
    tmp_path, home_page, monkeypatch
):
    path = export_of(tmp_path, 6)
    redirects = Importer._redirects

    def failing_for_the_third(self, item, page, key):
        if item.post_id == "3":
            raise RuntimeError("disk full")
        return redirects(self, item, page, key)

    monkeypatch.setattr(importer_module.Importer, "_redirects", failing_for_the_third)
    report = Importer(path, batch_size=10).run()

    assert [row["item"] for row in report.failed] == ["post 3 ('Story 3')"]
    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == [
        f"story-{n}" for n in (1, 2, 4, 5, 6)
    ]
    section = Page.objects.get(slug="news")
    assert section.numchild == 5 == section.get_children().count()
    # The failed story's slug is free again: a later run gives it its own.
    monkeypatch.setattr(importer_module.Importer, "_redirects", redirects)
    Importer(path, batch_size=10).run()
    assert NewsArticlePage.objects.filter(slug="story-3").exists()


def test_new_comments_on_stories_imported_earlier_purge_each_page_once(tmp_path, home_page, monkeypatch):
    first = write(
        tmp_path / "first.xml",
        author("editor"),
        category("news", "News"),
        item(1, comments=[comment(3, "First")]),
        item(2),
    )
    Importer(first).run()
    bumped = []
    monkeypatch.setattr(fragments, "bump_comments", lambda keys: bumped.append(sorted(keys)))
    later = write(
        tmp_path / "later.xml",
        author("editor"),
        category("news", "News"),
        item(1, comments=[comment(3, "First"), comment(4, "Second", parent=3), comment(5, "Third")]),
        item(2, comments=[comment(6, "On two")]),
    )

    Importer(later).run()

    assert XtdComment.objects.count() == 4
    # Both stories' comment fragments, once each, at the end; not once per comment.
    story_type = ContentType.objects.get_for_model(NewsArticlePage)
    assert bumped == [
        sorted((story_type.pk, str(pk)) for pk in NewsArticlePage.objects.values_list("pk", flat=True))
    ]

    bumped.clear()
    Importer(later).run()
    # Nothing new the second time: nothing to clear.
    assert bumped == []


def test_each_batch_costs_the_same_few_queries_however_many_came_before(tmp_path, home_page, monkeypatch):
    path = export_of(tmp_path, 100)
    counts = []
    import_batch = Importer._import_batch

    def counted(importer, batch, done):
        with CaptureQueriesContext(connection) as captured:
            done = import_batch(importer, batch, done)
        counts.append(len(captured.captured_queries))
        return done

    monkeypatch.setattr(Importer, "_import_batch", counted)
    Importer(path, batch_size=20).run()

    assert NewsArticlePage.objects.count() == 100
    # The first batch also creates the author and the tag; the others cost the same.
    assert len(set(counts[1:])) == 1, counts
    # Each story its savepoint (and its release); the batch's rows a statement per table.
    assert counts[-1] <= 2 * 20 + 40, counts


def test_a_run_killed_between_batches_is_carried_on_into_the_same_site(tmp_path, home_page, monkeypatch):
    path = export_of(tmp_path, 12)
    with transaction.atomic():
        Importer(path, batch_size=5).run()
        uninterrupted = site_rows()
        transaction.set_rollback(True)
    import_batch = Importer._import_batch
    started = []

    def killed_before_the_second(importer, batch, done):
        started.append(batch)
        if len(started) == 2:
            # Killed once the first batch is committed, before the second writes anything.
            raise KeyboardInterrupt
        return import_batch(importer, batch, done)

    monkeypatch.setattr(Importer, "_import_batch", killed_before_the_second)
    with pytest.raises(KeyboardInterrupt):
        Importer(path, batch_size=5).run()
    assert NewsArticlePage.objects.count() == 5
    assert XtdComment.objects.count() == 5

    monkeypatch.setattr(Importer, "_import_batch", import_batch)
    report = Importer(path, batch_size=5).run()

    assert report.counts["post"] == {"unchanged": 5, "published": 7}
    resumed = site_rows()
    for table in uninterrupted:
        assert resumed[table] == uninterrupted[table], table


def refusing_story_3(monkeypatch) -> list[int]:
    """Writing queued rows fails in the database (a NOT NULL column left empty) whenever they
    include story 3's page; returns how many pages each write held."""
    write = QueuedRows.write
    pages_per_write = []

    def write_refusing_story_3(queue, source):
        pages_per_write.append(len(queue.pages))
        for queued in queue.pages:
            if queued.page.slug == "story-3":
                queued.page.title = None
        return write(queue, source)

    monkeypatch.setattr(QueuedRows, "write", write_refusing_story_3)
    return pages_per_write


def first_lines(failed: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(row["item"], row["reason"].splitlines()[0]) for row in failed]


def test_a_database_error_in_a_batchs_writes_loses_the_failing_item_alone(tmp_path, home_page, monkeypatch):
    path = export_of(tmp_path, 12)
    pages_per_write = refusing_story_3(monkeypatch)
    with transaction.atomic():
        # The same export written item by item, for what the report should say.
        expected = Importer(path, batch_size=5, write_per_item=True).run()
        transaction.set_rollback(True)
    pages_per_write.clear()

    report = Importer(path, batch_size=5).run()

    # The first batch's five stories written together failed; then each of its stories was
    # written alone; the later batches together (the writes with no pages are the sections'
    # batch and the last one).
    assert [n for n in pages_per_write if n] == [5, 1, 1, 1, 1, 1, 5, 2]
    assert [row["item"] for row in report.failed] == ["post 3 ('Story 3')"]
    assert "IntegrityError" in report.failed[0]["reason"]
    fallbacks = [note for note in report.notes if note["note"].endswith("imported again item by item")]
    assert [note["item"] for note in fallbacks] == ["items 1 to 5"]
    assert "IntegrityError" in fallbacks[0]["note"]
    # The report says what the batch imported once, as the same run item by item does.
    assert report.counts == expected.counts
    assert report.counts["post"] == {"published": 11, "failed": 1}
    assert report.counts["author"] == {"created": 1}
    assert [note for note in report.notes if note not in fallbacks] == expected.notes
    # (PostgreSQL's message goes on with the row, its id and random key included.)
    assert first_lines(report.failed) == first_lines(expected.failed)

    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == sorted(
        f"story-{n}" for n in range(1, 13) if n != 3
    )
    assert not Page.objects.filter(slug="story-3").exists()
    assert not Redirect.objects.filter(old_path="/?p=3").exists()
    assert not WordPressItem.objects.filter(kind="post", wordpress_id="3").exists()
    assert not WordPressItem.objects.filter(kind="comment", wordpress_id="10003").exists()
    assert XtdComment.objects.count() == 11
    assert not XtdComment.objects.filter(comment="On 3").exists()
    assert WordPressItem.objects.filter(kind="post").count() == 11
    section = Page.objects.get(slug="news")
    assert section.numchild == 11 == section.get_children().count()
    # The stories of the retried batch have their byline and tag (made again by the retry).
    story = NewsArticlePage.objects.get(slug="story-1")
    assert list(story.story_authors.values_list("author__slug", flat=True)) == ["editor"]
    assert list(story.tagged_items.values_list("tag__name", flat=True)) == ["Topic"]

    site = site_rows()
    again = Importer(path, batch_size=5).run()

    assert site_rows() == site
    assert again.counts["post"] == {"unchanged": 11, "failed": 1}
    assert [row["item"] for row in again.failed] == ["post 3 ('Story 3')"]

    monkeypatch.undo()
    Importer(path, batch_size=5).run()
    assert NewsArticlePage.objects.filter(slug="story-3").exists()


def test_a_dry_run_falls_back_the_same_and_writes_nothing(tmp_path, home_page, monkeypatch):
    path = export_of(tmp_path, 12)
    refusing_story_3(monkeypatch)

    rehearsal = Importer(path, batch_size=5, dry_run=True).run()

    assert [row["item"] for row in rehearsal.failed] == ["post 3 ('Story 3')"]
    assert rehearsal.counts["post"] == {"published": 11, "failed": 1}
    assert any(note["note"].endswith("imported again item by item") for note in rehearsal.notes)
    assert not NewsArticlePage.objects.exists()
    assert not WordPressItem.objects.exists()

    report = Importer(path, batch_size=5).run()
    assert report.counts == rehearsal.counts
    assert first_lines(report.failed) == first_lines(rehearsal.failed)


def test_search_title_norms_are_refreshed_once_a_run_and_come_out_as_wagtails_own(tmp_path, home_page):
    path = export_of(tmp_path, 12)
    with CaptureQueriesContext(connection) as captured:
        Importer(path, batch_size=5).run()

    # The average title length is read over the whole index once, not once a batch.
    averages = [q["sql"] for q in captured.captured_queries if "AVG(" in q["sql"] and "title" in q["sql"]]
    assert len(averages) == 1, averages
    entries = IndexEntry.objects.order_by("pk")
    imported = list(entries.values_list("title", "title_norm"))
    assert len(imported) >= 12
    # The norms the backend itself gives when it refreshes the whole index (titles longer
    # or shorter than the average weigh less or more than 1.0).
    for backend in get_search_backends():
        index = backend.get_index_for_model(NewsArticlePage)
        if hasattr(index, "_refresh_title_norms"):
            index._refresh_title_norms(full=True)
    refreshed = list(entries.values_list("title", "title_norm"))
    assert [title for title, _ in refreshed] == [title for title, _ in imported]
    assert [norm for _, norm in refreshed] == pytest.approx([norm for _, norm in imported])


def test_the_planners_statistics_are_refreshed_each_time_the_items_double(tmp_path, home_page, monkeypatch):
    monkeypatch.setattr(importer_module, "ANALYZE_FIRST_AT", 5)
    path = export_of(tmp_path, 22)
    with CaptureQueriesContext(connection) as captured:
        Importer(path, batch_size=5).run()

    analyzed = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    # After 5, 10 and 20 items, and once at the end; only PostgreSQL is asked.
    assert len(analyzed) == (4 if connection.vendor == "postgresql" else 0), analyzed
    assert NewsArticlePage.objects.count() == 22
