"""WordPress comments the reader comment form would refuse come in held to its limits, each
change noted in the report; a broken comment never stops its story or the import."""

import pytest
from django_comments_xtd.models import XtdComment

from django.conf import settings
from django.utils import timezone

from news.models import NewsArticlePage
from wordpress.dry_run import DryRun
from wordpress.importer import Importer

from .conftest import shared_export
from .wxr_builder import author, category, comment, item, write

pytestmark = pytest.mark.django_db


def notes_about(report, comment_id: int) -> list[str]:
    return [row["note"] for row in report.notes if row["item"] == f"comment {comment_id}"]


def import_comments(tmp_path, *comments: str):
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(1, date="2019-03-02 08:00:00", comments=list(comments)),
    )
    report = Importer(path).run()
    assert not report.failed
    assert NewsArticlePage.objects.count() == 1
    return report, {c.comment: c for c in XtdComment.objects.all()}


@pytest.mark.parametrize(
    "date", ["", "0000-00-00 00:00:00", "2019-13-45 99:99:99", "yesterday", "0042-01-01 00:00:00"]
)
def test_comment_without_a_valid_date_takes_the_posts_date(tmp_path, home_page, date):
    report, comments = import_comments(tmp_path, comment(5, "Undated", date=date))

    assert comments["Undated"].submit_date.isoformat() == "2019-03-02T08:00:00+00:00"
    assert notes_about(report, 5) == ["has no valid date; the post's date is used"]


def test_comment_dated_in_the_future_takes_the_posts_date(tmp_path, home_page):
    report, comments = import_comments(tmp_path, comment(5, "From the future", date="2999-01-01 00:00:00"))

    assert comments["From the future"].submit_date.isoformat() == "2019-03-02T08:00:00+00:00"
    assert notes_about(report, 5) == ["dated in the future (2999-01-01); the post's date is used"]


def test_reply_to_a_comment_that_does_not_exist_becomes_top_level(tmp_path, home_page):
    report, comments = import_comments(tmp_path, comment(5, "Orphan", parent=4242))

    assert comments["Orphan"].level == 0 and comments["Orphan"].parent_id == comments["Orphan"].pk
    assert notes_about(report, 5) == [
        "replies to comment 4242, which is not in the export; made a top-level comment"
    ]


def test_reply_to_a_trashed_comment_becomes_top_level(tmp_path, home_page):
    report, comments = import_comments(
        tmp_path, comment(4, "Binned", approved="trash"), comment(5, "Reply to binned", parent=4)
    )

    assert set(comments) == {"Reply to binned"}
    assert comments["Reply to binned"].level == 0
    assert notes_about(report, 5) == [
        "replies to comment 4, which is not in the export; made a top-level comment"
    ]


def test_nul_bytes_are_removed_from_every_field(tmp_path, home_page):
    report, comments = import_comments(
        tmp_path, comment(5, "Nul\x00led text", author_name="Ann\x00e", email="ann\x00e@example.org")
    )

    stored = comments["Nulled text"]
    assert (stored.user_name, stored.user_email) == ("Anne", "anne@example.org")
    line = (tmp_path / "export.xml").read_bytes().split(b"\x00")[0].count(b"\n") + 1
    assert {
        "item": "the export",
        "note": f"control characters XML does not allow (NUL and others) removed on 1 line(s): {line}",
    } in report.notes


def test_comment_longer_than_a_reader_may_write_is_cut_and_noted(tmp_path, home_page):
    huge = "word " * 200_000  # 1 MB
    report, comments = import_comments(tmp_path, comment(5, huge))

    (stored,) = comments.values()
    assert len(stored.comment) == settings.COMMENT_MAX_LENGTH
    assert stored.comment.endswith("…")
    assert notes_about(report, 5) == [
        f"999,999 characters, more than the {settings.COMMENT_MAX_LENGTH:,} a reader comment may have; cut"
    ]


@pytest.mark.parametrize("email", ["not an address", "a@b", "x" * 300 + "@example.org", "<script>@x.org"])
def test_invalid_email_address_is_left_out(tmp_path, home_page, email):
    report, comments = import_comments(tmp_path, comment(5, "Hello", email=email))

    assert comments["Hello"].user_email == ""
    assert notes_about(report, 5) == ["its author's e-mail address is not valid; left out"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "http://", "x" * 300])
def test_website_that_is_not_an_http_address_is_left_out(tmp_path, home_page, url):
    report, comments = import_comments(tmp_path, comment(5, "Hello", url=url))

    assert comments["Hello"].user_url == ""
    assert notes_about(report, 5) == ["its author's website is not a valid http(s) address; left out"]


def test_html_in_a_comment_is_kept_as_its_text(tmp_path, home_page):
    _, comments = import_comments(
        tmp_path, comment(5, "<p>Nice <strong>piece</strong>.<br/>Thanks<script>alert(1)</script></p>")
    )

    # Shown as typed, escaped, like a reader's comment: the script's text is harmless.
    assert set(comments) == {"Nice piece.\nThanks"}


def test_dry_run_reports_the_same_comment_counts_and_notes(tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(
            1,
            comments=[
                comment(5, "Fine"),
                comment(6, "Held", approved="0"),
                comment(7, "Spam", approved="spam"),
                comment(8, "Trash", approved="trash"),
                comment(9, "Ping", kind="pingback"),
                comment(10, "Bad mail", email="nope"),
            ],
        ),
    )

    dry = DryRun(path, workers=1).run()
    real = Importer(path).run()

    assert (
        dict(dry.counts["comment"])
        == dict(real.counts["comment"])
        == {
            "public": 2,
            "held": 1,
            "spam": 1,
            "skipped": 1,
            "skipped pingback": 1,
        }
    )
    assert dry.notes == real.notes


def test_comments_of_a_real_export_keep_their_threads_and_statuses(home_page):
    path = shared_export("small-export.xml")

    report = Importer(path).run()

    assert not report.failed
    stored = XtdComment.objects.count()
    assert stored == sum(
        n for status, n in report.counts["comment"].items() if not status.startswith("skipped")
    )
    again = Importer(path).run()
    assert XtdComment.objects.count() == stored
    assert "public" not in again.counts["comment"]


def test_comment_in_the_future_on_a_post_scheduled_for_later_takes_the_import_time(tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(
            1,
            status="future",
            date="2999-01-01 08:00:00",
            comments=[comment(5, "Early", date="2999-01-02 00:00:00")],
        ),
    )

    report = Importer(path).run()

    assert XtdComment.objects.get().submit_date <= timezone.now()
    assert notes_about(report, 5) == ["dated in the future (2999-01-02); the import's time is used"]
