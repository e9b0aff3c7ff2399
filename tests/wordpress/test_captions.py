"""An attachment's caption (its excerpt) becomes its image's caption, and credit when it names one."""

import pytest

from wagtail.images import get_image_model

from core.image_credits import ImageCredit, credit_of
from tests.core.picture_files import jpeg, jpeg_with_byline_and_credit
from wordpress.captions import caption_and_credit

from .wxr_builder import item, write

pytestmark = pytest.mark.django_db

UPLOADS = "https://gazette.example/wp-content/uploads/2020/05"


def export(tmp_path, *attachments: tuple[int, str, str, bytes]):
    """Attachments as (id, file name, excerpt, file bytes), each under uploads/2020/05/, and a story."""
    folder = tmp_path / "uploads" / "2020" / "05"
    folder.mkdir(parents=True, exist_ok=True)
    parts = [item(1, title="Harbour story")]
    for post_id, name, excerpt, data in attachments:
        (folder / name).write_bytes(data)
        parts.append(
            item(
                post_id,
                title=f"Picture {post_id}",
                post_type="attachment",
                status="inherit",
                attachment_url=f"{UPLOADS}/{name}",
                excerpt=excerpt,
                parent=1,
            )
        )
    return write(tmp_path / "export.xml", *parts), tmp_path / "uploads"


def image_of(title: str):
    return get_image_model().objects.get(title=title)


def test_the_attachments_caption_and_credit_are_the_images(run_import, tmp_path):
    path, media = export(
        tmp_path,
        (40, "boats.jpg", "Boats at dawn. Photo: Jane Doe/Reuters", jpeg()),
        (41, "bell.jpg", "Bell on wharf in San Francisco", jpeg()),
        (42, "plain.jpg", "", jpeg()),
    )

    run_import(path, "--media-dir", str(media))

    boats = credit_of(image_of("Picture 40"))
    assert (boats.caption, boats.credit) == ("Boats at dawn.", "Jane Doe/Reuters")
    bell = credit_of(image_of("Picture 41"))
    assert (bell.caption, bell.credit) == ("Bell on wharf in San Francisco", "")
    assert credit_of(image_of("Picture 42")) is None


def test_the_files_own_credit_stays_beside_the_wordpress_caption(run_import, tmp_path):
    picture = jpeg_with_byline_and_credit("Ann Lee", "AFP")
    path, media = export(tmp_path, (40, "boats.jpg", "Boats at dawn", picture))

    run_import(path, "--media-dir", str(media))

    row = credit_of(image_of("Picture 40"))
    assert (row.caption, row.credit) == ("Boats at dawn", "Ann Lee / AFP")


def test_a_reimport_keeps_what_editors_changed(run_import, tmp_path):
    path, media = export(tmp_path, (40, "boats.jpg", "Boats at dawn. Photo: Jane Doe", jpeg()))
    run_import(path, "--media-dir", str(media))
    image = image_of("Picture 40")
    ImageCredit.objects.filter(image=image).update(credit="Jane Doe for The Gazette")

    run_import(path, "--media-dir", str(media))

    assert get_image_model().objects.count() == 1
    assert ImageCredit.objects.get(image=image).credit == "Jane Doe for The Gazette"


def test_a_dry_run_stores_no_caption(run_import, tmp_path):
    path, media = export(tmp_path, (40, "boats.jpg", "Boats. Photo: Jane Doe", jpeg()))
    run_import(path, "--media-dir", str(media), "--dry-run")
    assert not ImageCredit.objects.exists()


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        ("<p>Boats &amp; ships. <em>Photo:</em> Jane Doe</p>", ("Boats & ships.", "Jane Doe")),
        ("Boats\x00 at\x07 dawn", ("Boats at dawn", "")),
        ("x " * 2000 + "Photo: Jane Doe", ("x " * 249 + "x", "")),
        ("", ("", "")),
    ],
)
def test_captions_are_cleaned_and_cut(excerpt, expected):
    assert caption_and_credit(excerpt) == expected
