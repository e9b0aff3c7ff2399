"""Every form of WXR WordPress and other tools write imports: namespaces and encodings."""

import pytest
from django_comments_xtd.models import XtdComment

from django.core.management import CommandError

from news.models import CategoryIndexPage, NewsArticlePage
from wordpress.importer import Importer

from .wxr_builder import category, comment, item, write

pytestmark = pytest.mark.django_db


def _story_export(path, title="Harbour news", section="World", reply="Well written.", **kwargs):
    return write(
        path,
        category("world", section),
        item(
            1,
            title=title,
            slug="harbour",
            categories=[("world", section)],
            excerpt=f"<p>{title}: the excerpt.</p>",
            comments=[comment(2, reply), comment(3, "A reply.", parent=2)],
        ),
        **kwargs,
    )


@pytest.mark.parametrize("excerpt_scheme", ["http", "https"])
@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_namespace_imports_a_post_with_its_excerpt_comments_and_category(
    run_import, tmp_path, version, scheme, excerpt_scheme
):
    path = _story_export(
        tmp_path / "export.xml", version=version, scheme=scheme, excerpt_scheme=excerpt_scheme
    )

    run_import(path)

    story = NewsArticlePage.objects.get()
    assert (story.title, story.standfirst) == ("Harbour news", "Harbour news: the excerpt.")
    assert story.get_parent().specific == CategoryIndexPage.objects.get(title="World")
    assert list(XtdComment.objects.order_by("level").values_list("comment", "level")) == [
        ("Well written.", 0),
        ("A reply.", 1),
    ]


# A title, a category and a comment in each encoding's own script.
ENCODED = {
    "UTF-7": ("Café ☃ + 東京", "Actualités", "Très bien +1"),
    "Shift_JIS": ("東京の天気", "ニュース", "いいね"),
    "EUC-JP": ("大阪の祭り", "ニュース", "すばらしい"),
    "GB2312": ("北京新闻", "新闻", "很好"),
    "Big5": ("臺北新聞", "新聞", "很好"),
}


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_export_in_a_multi_byte_encoding_imports_with_its_text(run_import, tmp_path, encoding):
    title, section, reply = ENCODED[encoding]
    path = _story_export(tmp_path / "export.xml", title, section, reply, encoding=encoding)

    run_import(path)

    story = NewsArticlePage.objects.get()
    assert (story.title, story.standfirst) == (title, f"{title}: the excerpt.")
    assert story.get_parent().title == section
    assert XtdComment.objects.get(level=0).comment == reply


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_importer_reads_a_multi_byte_encoding(tmp_path, home_page, encoding):
    title, section, reply = ENCODED[encoding]
    path = _story_export(tmp_path / "export.xml", title, section, reply, encoding=encoding)

    report = Importer(path).run()

    assert report.counts["post"]["published"] == 1
    assert not report.failed
    assert NewsArticlePage.objects.get().title == title


def test_export_in_an_unknown_encoding_is_refused_by_name(run_import, tmp_path):
    path = _story_export(tmp_path / "export.xml")
    path.write_bytes(path.read_bytes().replace(b'encoding="UTF-8"', b'encoding="x-klingon"'))

    with pytest.raises(CommandError, match=r"export\.xml: refused: .*encoding 'x-klingon'.*not known"):
        run_import(path)

    assert not NewsArticlePage.objects.exists()


def test_bytes_that_are_not_text_in_the_declared_encoding_are_refused(run_import, tmp_path):
    path = _story_export(tmp_path / "export.xml", "東京の天気", encoding="Shift_JIS")
    # 0x85 0x40 is no character in Shift_JIS.
    path.write_bytes(path.read_bytes().replace("東京".encode("shift_jis"), b"\x85\x40"))

    with pytest.raises(
        CommandError, match=r"export\.xml: the file is not valid text in its declared encoding"
    ):
        run_import(path)

    assert not NewsArticlePage.objects.exists()
