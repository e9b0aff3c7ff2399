"""Images from --media-dir pass the checks of an image upload in the admin, by every route.

An export and its uploads folder are untrusted: an SVG carrying a script, a
file whose bytes are not what its name says, or a small file that decodes to
a huge bitmap must not become a Wagtail image, whether it comes as an
attachment, a featured image or a picture in a post's body.
"""

import functools
import io
import json

import pytest
from PIL import Image as PILImage
from PIL import ImageFile as PILImageFile

from wagtail.images import get_image_model

from news.models import Author, NewsArticlePage
from wordpress.models import WordPressItem

from .wxr_builder import item, write

pytestmark = pytest.mark.django_db

UPLOADS = "https://gazette.example/wp-content/uploads/2020/05"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    b'<script>alert(document.cookie)</script><rect width="400" height="300" fill="red"/></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _picture(size: tuple[int, int], image_format: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, image_format)
    return buffer.getvalue()


@functools.cache
def _huge_png() -> bytes:
    """12,000 × 12,000 pixels in a few kilobytes: blank, one bit per pixel."""
    return _picture((12_000, 12_000), "PNG", mode="1")


# name under uploads/2020/05/, its bytes, and words of the reason the report gives.
BAD_FILES = {
    "svg with a script": ("drawing.svg", lambda: SVG_WITH_SCRIPT, "Not a supported image format"),
    "12000x12000 png": ("huge.png", _huge_png, "too many pixels"),
    "svg named .png": ("drawing.png", lambda: SVG_WITH_SCRIPT, "does not match the file format (svg)"),
    "html named .png": ("page.png", lambda: HTML_PAGE, "does not match the file format"),
    "png named .jpg": (
        "photo.jpg",
        lambda: _picture((40, 30), "PNG"),
        "does not match the file format (png)",
    ),
}


def _export(tmp_path, route: str, name: str):
    url = f"{UPLOADS}/{name}"
    attachment = item(
        40, title="Suspicious picture", post_type="attachment", status="inherit", attachment_url=url, parent=1
    )
    tags = [("harbour", "Harbour")]
    story = {
        "attachment": item(1, title="Harbour story", tags=tags),
        "featured image": item(1, title="Harbour story", tags=tags, meta={"_thumbnail_id": "40"}),
        "body": item(
            1, title="Harbour story", tags=tags, content=f'<p>Before.</p>\n\n<img src="{url}" alt="A">'
        ),
    }[route]
    # The story comes first, so the featured image is taken by the story's route, not the attachment's.
    parts = [story] if route == "body" else [story, attachment]
    return write(tmp_path / "export.xml", *parts)


def _run(run_import, tmp_path, route: str, bad: str, *args: str) -> tuple[dict, str]:
    name, content, _ = BAD_FILES[bad]
    uploads = tmp_path / "uploads"
    (uploads / "2020" / "05").mkdir(parents=True)
    (uploads / "2020" / "05" / name).write_bytes(content())
    report_path = tmp_path / "report.json"
    output = run_import(
        _export(tmp_path, route, name), "--media-dir", str(uploads), "--report", str(report_path), *args
    )
    return json.loads(report_path.read_text()), output


@pytest.mark.parametrize("route", ["attachment", "featured image", "body"])
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_file_an_upload_would_refuse_is_refused_and_its_post_imported(
    run_import, tmp_path, client, route, bad
):
    name, _, reason = BAD_FILES[bad]

    report, output = _run(run_import, tmp_path, route, bad)

    assert not get_image_model().objects.exists()
    assert not WordPressItem.objects.filter(kind__in=["image", "image_file"]).exists()
    refused = {row["item"].split(" (")[0]: row for row in report["refused_media"]}
    # The item that referred to the file names it; an attachment is refused on its own account too.
    assert set(refused) == ({"post 1"} if route != "attachment" else set()) | (
        {"attachment 40"} if route != "body" else set()
    )
    assert {row["file"] for row in refused.values()} == {f"2020/05/{name}"}
    assert all(reason in row["reason"] for row in refused.values())
    assert f"2020/05/{name} (in {next(iter(refused.values()))['item']}): " in output
    # Refused is not missing: the file is there, and the report says why it was left out.
    assert not report["missing_media"]
    story = NewsArticlePage.objects.get()
    assert story.live
    assert story.lead_image is None
    assert [block.block_type for block in story.body] == ["paragraph"]
    section = story.get_parent()
    author = Author.objects.get()
    for url in [
        "/",
        section.url,
        story.url,
        "/tags/harbour/",
        author.get_absolute_url(),
        "/search/?q=Harbour",
    ]:
        assert client.get(url).status_code == 200, url


def test_refused_file_is_checked_and_reported_once_per_item(run_import, tmp_path):
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "drawing.svg").write_bytes(SVG_WITH_SCRIPT)
    url = f"{UPLOADS}/drawing.svg"
    path = write(
        tmp_path / "export.xml",
        item(
            1, title="First", meta={"_thumbnail_id": "40"}, content=f'<img class="wp-image-40" src="{url}">'
        ),
        item(2, title="Second", content=f'<img src="{url}">\n\n<img src="{url}">'),
        item(40, title="Drawing", post_type="attachment", status="inherit", attachment_url=url),
    )
    report_path = tmp_path / "report.json"

    run_import(path, "--media-dir", str(tmp_path / "uploads"), "--report", str(report_path))

    refused = json.loads(report_path.read_text())["refused_media"]
    assert [(row["item"].split(" (")[0], row["file"]) for row in refused] == [
        ("post 1", "2020/05/drawing.svg"),
        ("post 2", "2020/05/drawing.svg"),
        ("attachment 40", "2020/05/drawing.svg"),
    ]
    assert NewsArticlePage.objects.count() == 2
    assert not get_image_model().objects.exists()


def test_dry_run_reports_the_files_it_would_refuse(run_import, tmp_path):
    report, output = _run(run_import, tmp_path, "featured image", "svg with a script", "--dry-run")

    assert "dry run" in output
    assert [(row["item"].split(" (")[0], row["file"]) for row in report["refused_media"]] == [
        ("post 1", "2020/05/drawing.svg"),
        ("attachment 40", "2020/05/drawing.svg"),
    ]


def test_file_within_the_upload_limits_is_imported(run_import, tmp_path, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 2_000
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "small.png").write_bytes(_picture((40, 30), "PNG"))
    (uploads / "large.png").write_bytes(_picture((50, 50), "PNG"))
    path = write(
        tmp_path / "export.xml",
        item(1, content=f'<img src="{UPLOADS}/small.png">\n\n<img src="{UPLOADS}/large.png">'),
    )
    report_path = tmp_path / "report.json"

    run_import(path, "--media-dir", str(tmp_path / "uploads"), "--report", str(report_path))

    assert list(get_image_model().objects.values_list("width", "height")) == [(40, 30)]
    refused = json.loads(report_path.read_text())["refused_media"]
    assert [row["file"] for row in refused] == ["2020/05/large.png"]
    assert "too many pixels (2500)" in refused[0]["reason"]


def test_file_over_the_upload_size_is_refused_before_it_is_read(run_import, tmp_path, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "photo.jpg").write_bytes(_picture((40, 30), "JPEG"))
    path = write(tmp_path / "export.xml", item(1, content=f'<img src="{UPLOADS}/photo.jpg">'))
    report_path = tmp_path / "report.json"

    run_import(path, "--media-dir", str(tmp_path / "uploads"), "--report", str(report_path))

    assert not get_image_model().objects.exists()
    refused = json.loads(report_path.read_text())["refused_media"]
    assert "This file is too big" in refused[0]["reason"]


def test_huge_bitmap_is_refused_without_being_decoded(run_import, tmp_path, monkeypatch):
    decoded = []
    original_load = PILImageFile.ImageFile.load
    monkeypatch.setattr(
        PILImageFile.ImageFile, "load", lambda image: decoded.append(image.size) or original_load(image)
    )

    report, _ = _run(run_import, tmp_path, "body", "12000x12000 png")

    assert "too many pixels (144000000)" in report["refused_media"][0]["reason"]
    # Counting its pixels by decoding it would take a 144 MB bitmap.
    assert decoded == []
