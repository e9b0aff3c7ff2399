"""Large archives: a story costs the same few queries however many came before, and what
the import writes in bulk (comment threads, pages, indexes) is what the one-at-a-time
Wagtail and django-comments-xtd paths would have written."""

import pytest
from django_comments_xtd.models import XtdComment

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageLogEntry, ReferenceIndex

from news.models import NewsArticlePage
from wordpress.importer import Importer
from wordpress.models import WordPressItem

from .wxr_builder import author, category, comment, item, write, write_generated

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_STORY = 25


def queries_per_story(path, monkeypatch) -> list[int]:
    """Queries run for each item of the export, in file order."""
    counts = count_queries_per_item(monkeypatch)
    Importer(path).run()
    return counts


def count_queries_per_item(monkeypatch) -> list[int]:
    """The queries each item costs, appended as the import runs."""
    counts: list[int] = []
    import_item = Importer._import_item

    def counted(importer, item):
        with CaptureQueriesContext(connection) as captured:
            import_item(importer, item)
        counts.append(len(captured.captured_queries))

    monkeypatch.setattr(Importer, "_import_item", counted)
    return counts


def test_a_story_costs_the_same_few_queries_from_the_first_to_the_fiftieth(tmp_path, home_page, monkeypatch):
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        *(item(n, tags=[("topic", "Topic")]) for n in range(1, 51)),
    )

    counts = queries_per_story(path, monkeypatch)

    assert NewsArticlePage.objects.filter(live=True).count() == 50
    # The first story also creates its author and tag, within the same bound.
    assert max(counts) <= MAX_QUERIES_PER_STORY, counts
    assert set(counts[1:]) == {counts[49]}, counts


def test_comments_add_a_few_queries_whatever_their_number(tmp_path, home_page, monkeypatch):
    replies = [comment(1000 + n, f"Reply {n}", parent=1000 + n - 1) for n in range(1, 30)]
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(1, tags=[("topic", "Topic")]),
        item(2, tags=[("topic", "Topic")]),
        item(3, tags=[("topic", "Topic")], comments=[comment(1000, "First"), *replies]),
    )

    without, _, with_comments = queries_per_story(path, monkeypatch)

    assert XtdComment.objects.count() == 30
    assert with_comments - without <= 5


def test_generated_export_imports_every_story_with_its_comments(tmp_path, home_page):
    path = write_generated(tmp_path / "generated.xml", posts=30)

    report = Importer(path).run()

    assert report.counts["post"]["published"] == 30
    assert XtdComment.objects.count() == 60
    assert not report.failed


# Threads: the same export imported in bulk (a new story) and through XtdComment.save,
# one comment at a time, must give the same threads.
THREADED = [
    comment(7, "Reply to 3 before its parent", parent=3),
    comment(1, "First root"),
    comment(2, "Second root"),
    comment(3, "Reply to 1", parent=1),
    comment(4, "Second reply to 1", parent=1),
    comment(5, "Reply to 2", parent=2),
    comment(6, "Reply to 4", parent=4),
    comment(8, "Orphan", parent=99),
    comment(9, "Held reply to 7", parent=7, approved="0"),
    comment(10, "Spam reply to 3", parent=3, approved="spam"),
    comment(11, "Third root"),
    # A chain deeper than the deepest level allowed (8): the last ones join level 8.
    *(comment(20 + n, f"Deep {n}", parent=(20 + n - 1) if n else 11) for n in range(11)),
    comment(40, "Reply to a deep one", parent=25),
]


def threads(source: str) -> dict:
    """Each imported comment's thread data, by WordPress id (the ids of its root and parent too)."""
    mapping = dict(
        WordPressItem.objects.filter(source=source, kind="comment").values_list("object_id", "wordpress_id")
    )
    rows = XtdComment.objects.filter(pk__in=[int(pk) for pk in mapping])
    by_pk = {str(c.pk): c for c in rows}
    return {
        mapping[str(c.pk)]: (
            mapping[str(c.thread_id)],
            mapping[str(c.parent_id)],
            c.level,
            c.order,
            c.nested_count,
            c.is_public,
            c.comment,
            c.submit_date,
            # Threads are listed by their root's id: the roots' order matters.
            sorted(by_pk, key=int).index(str(c.pk)) if c.level == 0 else None,
        )
        for c in rows
    }


def test_comment_threads_in_bulk_equal_those_saved_one_by_one(tmp_path, home_page, monkeypatch):
    bulk = write(tmp_path / "bulk.xml", item(1, title="Bulk", comments=THREADED), base="https://bulk.example")
    one_by_one = write(
        tmp_path / "slow.xml", item(1, title="Slow", comments=THREADED), base="https://slow.example"
    )
    bulk_report = Importer(bulk).run()
    with monkeypatch.context() as patched:
        patched.setattr(Importer, "_store_comments_in_bulk", Importer._store_comments_one_by_one)
        slow_report = Importer(one_by_one).run()

    assert threads("https://bulk.example") == threads("https://slow.example")
    assert len(threads("https://bulk.example")) == len(THREADED)
    assert bulk_report.counts["comment"] == slow_report.counts["comment"]
    assert [n for n in bulk_report.notes if n["item"].startswith("comment")] == [
        n for n in slow_report.notes if n["item"].startswith("comment")
    ]
    deep = threads("https://bulk.example")
    assert max(data[2] for data in deep.values()) == 8
    assert deep["40"][1] == "25"


def test_new_comments_on_an_imported_story_join_its_threads(tmp_path, home_page):
    first = write(
        tmp_path / "first.xml", item(1, comments=[comment(1, "Root"), comment(2, "Reply", parent=1)])
    )
    later = write(
        tmp_path / "later.xml",
        item(1, comments=[comment(1, "Root"), comment(2, "Reply", parent=1), comment(3, "Late", parent=1)]),
    )
    Importer(first).run()

    Importer(later).run()

    root, reply, late = (XtdComment.objects.get(comment=text) for text in ("Root", "Reply", "Late"))
    assert (late.parent_id, late.thread_id, late.level, late.order) == (root.pk, root.pk, 1, 3)
    assert XtdComment.objects.get(pk=root.pk).nested_count == 2


def test_imported_pages_keep_the_page_tree_consistent(tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        category("world", "World"),
        category("europe", "Europe", parent="world"),
        *(item(n, categories=[("europe", "Europe")]) for n in range(1, 6)),
        item(6, categories=[("world", "World")]),
        item(7, title="About", post_type="page", slug="about"),
        item(8, title="Team", post_type="page", slug="team", parent=7),
    )

    Importer(path).run()

    assert Page.find_problems() == ([], [], [], [], [])
    europe = Page.objects.get(slug="europe")
    assert europe.numchild == 5 and europe.get_children().count() == 5
    assert [p.url_path for p in europe.get_children()] == [
        f"/home/world/europe/story-{n}/" for n in range(1, 6)
    ]


def test_imported_story_has_the_revision_history_and_indexes_wagtail_would_give_it(
    tmp_path, home_page, admin_client
):
    path = write(
        tmp_path / "export.xml", author("ana", "Ana Lima"), item(1, title="Harbour news", creator="ana")
    )

    Importer(path).run()

    story = NewsArticlePage.objects.get()
    revision = story.latest_revision
    assert story.live_revision == revision and not story.has_unpublished_changes
    assert revision.created_at == story.last_published_at == story.latest_revision_created_at
    assert [a.name for a in revision.as_object().get_authors()] == ["Ana Lima"]
    assert list(PageLogEntry.objects.filter(page=story).order_by("pk").values_list("action", flat=True)) == [
        "wagtail.create",
        "wagtail.publish",
    ]
    assert ReferenceIndex.get_references_for_object(story).exists()
    assert list(NewsArticlePage.objects.search("harbour")) == [story]
    assert admin_client.get(f"/admin/pages/{story.pk}/edit/").status_code == 200


def test_missing_attachments_are_reported_once_each_without_a_query_each(tmp_path, home_page, monkeypatch):
    # Posts 1-40 each name an attachment the export does not hold; posts 41-50 all name
    # attachment 9001, as featured image and in their bodies.
    lost = "https://gazette.example/wp-content/uploads/2020/05/lost.jpg"
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(100, title="Warm-up"),
        item(101, title="Without pictures"),
        *(item(n, meta={"_thumbnail_id": str(9000 + n)}) for n in range(2, 41)),
        *(
            item(n, content=f'<img class="wp-image-9001" src="{lost}">', meta={"_thumbnail_id": "9001"})
            for n in range(41, 51)
        ),
    )
    counts = count_queries_per_item(monkeypatch)
    report = Importer(path).run()

    without_pictures = counts[1]
    assert set(counts[1:]) == {without_pictures}, counts
    missing = [row["file"] for row in report.missing_media]
    assert missing == [*(f"attachment {9000 + n}" for n in range(2, 41)), "attachment 9001", lost]
    assert report.counts["post"]["published"] == 51


@pytest.mark.parametrize(("posts", "per_post"), [(20, 100), (50, 1000)])
def test_thousands_of_missing_attachments_are_each_reported_once_with_no_query_each(
    tmp_path, home_page, monkeypatch, posts, per_post
):
    # Posts naming attachments the export does not hold: 2,000, then 50,000 in all.
    def pictures(post: int) -> str:
        return "".join(f'<img class="wp-image-{post * 1000 + n}" src="">' for n in range(per_post))

    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(100, title="Warm-up"),
        item(101, title="Without pictures"),
        *(item(n, content=pictures(n), meta={"_thumbnail_id": str(n * 1000)}) for n in range(1, posts + 1)),
    )
    counts = count_queries_per_item(monkeypatch)
    report = Importer(path).run()

    assert set(counts[1:]) == {counts[1]}, counts
    missing = [row["file"] for row in report.missing_media]
    assert len(missing) == len(set(missing)) == posts * per_post
    assert report.counts["post"]["published"] == posts + 2
