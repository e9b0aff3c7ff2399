"""Reading WordPress exports: versions, hostile XML, broken files, memory."""

import tracemalloc

import pytest

from wordpress.wxr import Author, Category, Channel, Item, Tag, WXRError, read_wxr

from .conftest import shared_export
from .wxr_builder import author, category, comment, item, write, write_generated


def records(path):
    return list(read_wxr(path))


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read(tmp_path, version, scheme):
    path = write(
        tmp_path / "export.xml",
        author("ana", "Ana Lima"),
        category("news", "News"),
        item(7, title="Hello", excerpt="In short", comments=[comment(3, "Nice")]),
        version=version,
        scheme=scheme,
    )

    found = records(path)

    assert [type(r) for r in found] == [Author, Category, Item, Channel]
    story = found[2]
    assert (story.post_id, story.title, story.post_type, story.status) == ("7", "Hello", "post", "publish")
    assert story.excerpt == "In short"
    assert story.comments[0].content == "Nice"
    assert found[-1].source == "https://gazette.example"


def test_cdata_split_around_a_closing_marker_is_joined(tmp_path):
    path = write(tmp_path / "export.xml", item(1, content="Code: ]]> stays"))

    assert records(path)[0].content == "Code: ]]> stays"


def test_truncated_file_is_refused_with_its_line(tmp_path):
    text = (write(tmp_path / "whole.xml", item(1), item(2))).read_text()
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: len(text) // 2])

    with pytest.raises(WXRError, match=r"broken\.xml: line \d+, column \d+: .*nothing was imported"):
        records(broken)


@pytest.mark.parametrize("encoding", ["UTF-8", "Shift_JIS", "UTF-7"])
def test_entity_bomb_is_refused(tmp_path, encoding):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        "<rss><channel><title>&lol2;</title></channel></rss>"
    )

    with pytest.raises(WXRError, match="entity 'lol'.*XML bombs"):
        records(bomb)


@pytest.mark.parametrize("encoding", ["UTF-8", "Big5"])
def test_external_entity_is_refused_and_not_read(tmp_path, encoding):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<rss><channel><title>&x;</title></channel></rss>"
    )

    with pytest.raises(WXRError, match="refused") as error:
        records(xxe)
    assert "TOP SECRET" not in str(error.value)


def test_xml_that_is_not_an_export_is_refused_by_name(tmp_path):
    svg = tmp_path / "drawing.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')

    with pytest.raises(WXRError, match=r"drawing\.svg is not a WordPress export \(WXR\).*<svg>"):
        records(svg)


def test_plain_rss_feed_is_refused(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel><title>Blog</title><item><title>Post</title></item></channel></rss>")

    with pytest.raises(WXRError, match="no WordPress"):
        records(feed)


@pytest.mark.parametrize(
    "namespace", ["https://wordpress.org.example/export/1.2/", "http://example.org/wordpress.org/export/1.2/"]
)
def test_lookalike_of_the_wordpress_namespace_is_not_an_export(tmp_path, namespace):
    path = write(tmp_path / "export.xml", item(1))
    path.write_text(path.read_text().replace("http://wordpress.org/export/1.2/", namespace))

    with pytest.raises(WXRError, match="no WordPress"):
        records(path)


def test_shift_jis_export_is_read_as_it_streams(tmp_path):
    path = write(
        tmp_path / "export.xml",
        category("news", "ニュース"),
        item(1, title="東京の天気"),
        encoding="Shift_JIS",
    )

    found = records(path)

    assert (found[0].name, found[1].title) == ("ニュース", "東京の天気")


def test_not_xml_at_all_is_refused(tmp_path):
    text = tmp_path / "notes.xml"
    text.write_text("just some notes")

    with pytest.raises(WXRError, match="line 1"):
        records(text)


def test_wordpress_com_authors_and_tags_are_read(tmp_path):
    path = write(
        tmp_path / "export.xml",
        "<wp:wp_author><wp:author_login>team</wp:author_login></wp:wp_author>",
        "<wp:tag><wp:tag_slug>a-b</wp:tag_slug><wp:tag_name>A &amp; B</wp:tag_name></wp:tag>",
    )

    found = records(path)

    assert found[0] == Author(login="team")
    assert found[1] == Tag(slug="a-b", name="A & B")


def test_shared_malformed_export_is_refused_with_line():
    path = shared_export("malformed.xml")

    with pytest.raises(WXRError, match="line 90, column 2: mismatched tag"):
        records(path)


@pytest.mark.parametrize("name", ["valid-wxr-1.0.xml", "valid-wxr-1.1.xml", "wxr-comprehensive.xml"])
def test_shared_valid_exports_are_read(name):
    found = records(shared_export(name))

    assert any(isinstance(r, Item) for r in found)
    assert isinstance(found[-1], Channel)


def _peak_while_reading(path) -> int:
    tracemalloc.start()
    try:
        for _ in read_wxr(path):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("encoding", ["UTF-8", "Shift_JIS"])
def test_memory_stays_flat_as_the_export_grows(tmp_path, encoding):
    # Shift_JIS is decoded on the way to the parser (see open_export), a chunk at a time.
    small = write_generated(tmp_path / "small.xml", posts=100, encoding=encoding)
    large = write_generated(tmp_path / "large.xml", posts=1000, encoding=encoding)

    small_peak = _peak_while_reading(small)
    large_peak = _peak_while_reading(large)

    # Ten times the items, about the same peak: items are dropped once read.
    assert large.stat().st_size > 9 * small.stat().st_size
    assert large_peak < small_peak * 1.5
