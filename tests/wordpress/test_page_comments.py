"""Comments on WordPress pages come in with the content page they became: threaded, counted
and recorded like a story's, kept though content pages do not show reader comments."""

import pytest
from django_comments_xtd.models import XtdComment

from django.contrib.contenttypes.models import ContentType

from pages.models import ContentPage
from wordpress.dry_run import DryRun
from wordpress.importer import Importer
from wordpress.models import WordPressItem

from .wxr_builder import author, comment, item, write

pytestmark = pytest.mark.django_db


def page_with_comments(tmp_path, *comments: str, name: str = "export.xml"):
    return write(
        tmp_path / name,
        author("editor"),
        item(7, title="About us", post_type="page", categories=(), comments=list(comments)),
    )


def test_comments_on_a_page_are_imported_onto_its_content_page_in_their_threads(tmp_path, home_page):
    path = page_with_comments(
        tmp_path,
        comment(1, "Nice page"),
        comment(2, "Thanks", parent=1),
        comment(3, "Waiting", approved="0"),
        comment(4, "Buy now", approved="spam"),
        comment(5, "", kind="pingback"),
    )

    report = Importer(path).run()

    page = ContentPage.objects.get(slug="about-us")
    comments = {c.comment: c for c in XtdComment.objects.all()}
    assert set(comments) == {"Nice page", "Thanks", "Waiting", "Buy now"}
    page_type = ContentType.objects.get_for_model(ContentPage)
    assert {(c.content_type_id, c.object_pk) for c in comments.values()} == {(page_type.pk, str(page.pk))}
    assert comments["Thanks"].parent_id == comments["Nice page"].pk
    assert comments["Thanks"].thread_id == comments["Nice page"].thread_id
    assert comments["Thanks"].level == 1
    assert dict(report.counts["comment"]) == {"public": 2, "held": 1, "spam": 1, "skipped pingback": 1}
    assert {
        "item": "page 7 ('About us')",
        "note": ("4 comment(s) kept with the page; its page type does not show reader comments"),
    } in report.notes
    assert WordPressItem.objects.filter(kind="comment").count() == 4


def test_comments_on_a_page_are_not_shown_on_it(tmp_path, home_page, client):
    Importer(page_with_comments(tmp_path, comment(1, "A reader on the about page"))).run()

    response = client.get("/about-us/")

    assert response.status_code == 200
    assert "A reader on the about page" not in response.content.decode()


def test_page_comments_come_in_once_and_a_later_exports_new_ones_join_them(tmp_path, home_page):
    Importer(page_with_comments(tmp_path, comment(1, "First"))).run()
    Importer(page_with_comments(tmp_path, comment(1, "First"))).run()
    assert XtdComment.objects.count() == 1

    later = page_with_comments(tmp_path, comment(1, "First"), comment(2, "Reply", parent=1), name="later.xml")
    report = Importer(later).run()

    assert report.counts["comment"]["public"] == 1
    first, reply = XtdComment.objects.order_by("pk")
    assert (reply.parent_id, reply.thread_id, reply.level) == (first.pk, first.pk, 1)


def test_dry_run_counts_page_comments_as_the_import_does(tmp_path, home_page):
    path = page_with_comments(tmp_path, comment(1, "Nice page"), comment(2, "Thanks", parent=1))

    dry = DryRun(path, workers=1).run()
    real = Importer(path).run()

    assert dict(dry.counts["comment"]) == dict(real.counts["comment"]) == {"public": 2}
    assert dry.notes == real.notes
