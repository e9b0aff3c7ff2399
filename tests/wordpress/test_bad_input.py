"""Exports with problems: each gets a clear line in the report, never a traceback or half a story."""

import io
import json

import pytest
from django_comments_xtd.models import XtdComment
from PIL import Image as PILImage

from django.core.management import CommandError

from wagtail.images import get_image_model

from news.models import Author, CategoryIndexPage, NewsArticlePage
from wordpress.models import WordPressItem

from .wxr_builder import author, category, comment, item, write

pytestmark = pytest.mark.django_db


def report_of(run_import, path, tmp_path, *args):
    report_path = tmp_path / "report.json"
    run_import(path, "--report", str(report_path), *args)
    return json.loads(report_path.read_text())


def notes(report) -> list[str]:
    return [f"{row['item']}: {row['note']}" for row in report["notes"]]


def test_malformed_file_is_refused_and_imports_nothing(run_import, tmp_path):
    path = write(tmp_path / "export.xml", category("news", "News"), item(1), item(2))
    path.write_text(path.read_text().replace("<wp:post_id>2</wp:post_id>", "<wp:post_id>2</wp:post_idd>"))

    with pytest.raises(CommandError, match=r"export\.xml: line \d+, column \d+: mismatched tag"):
        run_import(path)

    assert not NewsArticlePage.objects.exists()
    assert not CategoryIndexPage.objects.exists()


def test_xml_bomb_is_refused(run_import, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><title>&b;</title></channel></rss>"
    )

    with pytest.raises(CommandError, match="entity expansion is not allowed"):
        run_import(path)


def test_missing_file_is_refused_by_name(run_import, tmp_path):
    with pytest.raises(CommandError, match=r"nothere\.xml: no such file"):
        run_import(tmp_path / "nothere.xml")


def test_duplicate_slugs_get_a_suffix_and_a_note(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml", item(1, title="Same", slug="same"), item(2, title="Same", slug="same")
    )

    report = report_of(run_import, path, tmp_path)

    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == ["same", "same-2"]
    assert "post 2 ('Same'): the slug 'same' is already used here; imported as 'same-2'" in notes(report)


def test_post_whose_category_is_missing_gets_a_section_and_a_note(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml",
        item(1, title="Orphan", categories=[("ghost", "Ghost")]),
        item(2, title="No category", categories=[]),
    )

    report = report_of(run_import, path, tmp_path)

    assert NewsArticlePage.objects.get(title="Orphan").get_parent().title == "Ghost"
    assert NewsArticlePage.objects.get(title="No category").get_parent().slug == "uncategorized"
    assert any("'Ghost' is not declared in the export" in line for line in notes(report))
    assert any("has no category; filed under 'Uncategorized'" in line for line in notes(report))


def test_category_whose_parent_is_missing_or_circular_is_placed_at_the_top(run_import, tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        category("lost", "Lost", parent="nowhere"),
        category("a", "A", parent="b"),
        category("b", "B", parent="a"),
    )

    report = report_of(run_import, path, tmp_path)

    for slug in ("lost",):
        assert CategoryIndexPage.objects.get(slug=slug).get_parent().pk == home_page.pk
    assert CategoryIndexPage.objects.count() == 3
    assert any("not in the export; placed at the top level" in line for line in notes(report))
    assert any("form a cycle" in line for line in notes(report))


def test_comment_with_missing_parent_or_in_a_cycle_becomes_top_level(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml",
        item(
            1,
            comments=[
                comment(10, "Orphan reply", parent=99),
                comment(11, "Loop one", parent=12),
                comment(12, "Loop two", parent=11),
            ],
        ),
    )

    report = report_of(run_import, path, tmp_path)

    comments = {c.comment: c for c in XtdComment.objects.all()}
    assert comments["Orphan reply"].level == 0
    assert {comments["Loop one"].level, comments["Loop two"].level} == {0, 1}
    assert any("comment 99, which is not in the export" in line for line in notes(report))
    assert any("form a cycle" in line for line in notes(report))


def test_empty_and_zero_dates_are_reported_not_fatal(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml",
        item(1, title="Zero date", date="0000-00-00 00:00:00"),
        item(2, title="Empty date", date="", comments=[comment(5, "Undated", date="")]),
    )

    report = report_of(run_import, path, tmp_path)

    assert NewsArticlePage.objects.filter(live=True).count() == 2
    assert XtdComment.objects.get().comment == "Undated"
    assert any("has no valid date" in line for line in notes(report))


def test_author_without_login_is_skipped_and_the_post_still_imports(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml",
        "<wp:author><wp:author_display_name>Nobody</wp:author_display_name></wp:author>",
        item(1, title="Anonymous", creator=""),
    )

    report = report_of(run_import, path, tmp_path)

    assert NewsArticlePage.objects.get().get_authors() == []
    assert {"kind": "author", "item": "Nobody", "reason": "has no login"} in report["skipped"]


def test_authors_are_matched_by_login(run_import, tmp_path):
    path = write(
        tmp_path / "export.xml", author("ana", "Ana"), item(1, creator="ana"), item(2, creator="ana")
    )

    run_import(path)

    assert Author.objects.get().slug == "ana"
    assert WordPressItem.objects.get(kind="author").wordpress_id == "ana"


def test_tags_with_odd_characters_get_usable_addresses(run_import, tmp_path, client):
    path = write(
        tmp_path / "export.xml",
        item(
            1,
            title="Odd tags",
            tags=[("a", "☃☃"), ("b", "!!!"), ("c", "Ünïcödé, with comma"), ("d", "x" * 150)],
        ),
    )

    run_import(path)

    story = NewsArticlePage.objects.get()
    assert len(story.tag_names) == 4
    assert all(tag.slug for tag in story.get_tags())
    assert client.get(story.url).status_code == 200


def test_one_megabyte_body_imports_whole(run_import, tmp_path):
    body = "\n\n".join(f"Paragraph {n} of a very long story." for n in range(30_000))
    path = write(tmp_path / "export.xml", item(1, title="Long read", content=body))

    run_import(path)

    story = NewsArticlePage.objects.get()
    assert len(story.body) == 30_000
    assert str(story.body[-1].value) == "<p>Paragraph 29999 of a very long story.</p>"


def test_story_that_fails_is_not_half_imported(run_import, tmp_path, monkeypatch):
    from wordpress import importer

    def broken_redirects(self, item, page, key):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.Importer, "_redirects", broken_redirects)
    path = write(tmp_path / "export.xml", item(1, title="Doomed", comments=[comment(3, "Hi")]))

    with pytest.raises(CommandError, match="1 item"):
        run_import(path)

    assert not NewsArticlePage.objects.exists()
    assert not XtdComment.objects.exists()
    assert not WordPressItem.objects.filter(kind="post").exists()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def test_media_from_the_uploads_copy_become_images_and_lead_images(run_import, tmp_path):
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "photo.jpg").write_bytes(_jpeg())
    (uploads / "broken.jpg").write_bytes(b"not a picture")
    url = "https://gazette.example/wp-content/uploads/2020/05/photo.jpg"
    path = write(
        tmp_path / "export.xml",
        item(
            40,
            title="Harbour photo",
            post_type="attachment",
            status="inherit",
            attachment_url=url,
            meta={"_wp_attachment_image_alt": "Boats in the harbour"},
        ),
        item(
            1,
            title="With pictures",
            content=(
                '<img class="wp-image-40" src="https://gazette.example/wp-content/uploads/2020/05/photo-300x200.jpg">'
                '\n\n<img src="https://gazette.example/wp-content/uploads/2020/05/gone.jpg">'
                '\n\n<img src="https://gazette.example/wp-content/uploads/2020/05/broken.jpg">'
            ),
            meta={"_thumbnail_id": "40"},
        ),
    )

    report = report_of(run_import, path, tmp_path, "--media-dir", str(tmp_path / "uploads"))

    image = get_image_model().objects.get()
    assert (image.title, image.description, image.width) == ("Harbour photo", "Boats in the harbour", 40)
    story = NewsArticlePage.objects.get()
    assert story.lead_image == image
    assert story.lead_image_alt_text == "Boats in the harbour"
    assert [(b.block_type, b.value["image"]) for b in story.body] == [("image", image)]
    missing = [row["file"] for row in report["missing_media"]]
    assert missing == ["https://gazette.example/wp-content/uploads/2020/05/gone.jpg"]
    assert [(row["file"], row["reason"]) for row in report["refused_media"]] == [
        (
            "2020/05/broken.jpg",
            "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
        )
    ]


def test_media_dir_that_does_not_exist_is_refused(run_import, tmp_path):
    path = write(tmp_path / "export.xml", item(1))

    with pytest.raises(CommandError, match="is not a folder"):
        run_import(path, "--media-dir", str(tmp_path / "nope"))
