"""WordPress content to article blocks: what a reader of the imported story sees."""

import time

from wordpress.content import clean_rich_text, convert_body, parse_blocks, wpautop


def types(conversion):
    return [block["type"] for block in conversion.blocks]


def values(conversion):
    return [block["value"] for block in conversion.blocks]


class FakeMedia:
    """Attachment 5 and uploads/2020/05/photo.jpg exist; nothing else does."""

    def image_for_attachment(self, attachment_id):
        return (50, "A stored alt") if attachment_id == "5" else None

    def image_for_url(self, url, alt=""):
        return (51, alt) if url.endswith("/uploads/2020/05/photo.jpg") else None

    def attachments_of_post(self):
        return ["5"]


BLOCKS = """
<!-- wp:paragraph --><p>First <strong>bold</strong> and <span style="color:red">red</span>.</p><!-- /wp:paragraph -->
<!-- wp:heading {"level":4} --><h4>Deep heading</h4><!-- /wp:heading -->
<!-- wp:heading --><h2>Section</h2><!-- /wp:heading -->
<!-- wp:list --><ul><li>One</li><li>Two</li></ul><!-- /wp:list -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>To be.</p><cite>Hamlet</cite></blockquote><!-- /wp:quote -->
<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Pulled.</p><cite>Ed</cite></blockquote></figure><!-- /wp:pullquote -->
<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->
<!-- wp:spacer {"height":50} --><div style="height:50px" aria-hidden="true" class="wp-block-spacer"></div><!-- /wp:spacer -->
<!-- wp:image {"id":5} --><figure class="wp-block-image"><img src="https://x.example/wp-content/uploads/a.jpg" alt="Alt"/><figcaption>Cap</figcaption></figure><!-- /wp:image -->
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc","type":"video"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=abc</div></figure><!-- /wp:embed -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table></figure><!-- /wp:table -->
<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column"><!-- wp:paragraph --><p>Left</p><!-- /wp:paragraph --></div><!-- /wp:column --><!-- wp:column --><div class="wp-block-column"><!-- wp:paragraph --><p>Right</p><!-- /wp:paragraph --></div><!-- /wp:column --></div><!-- /wp:columns -->
"""  # noqa: E501


def test_block_editor_content_maps_block_by_block():
    result = convert_body(BLOCKS, FakeMedia())

    assert types(result) == [
        "paragraph", "heading", "heading", "paragraph", "quote", "quote", "image", "embed", "table",
        "paragraph", "paragraph",
    ]  # fmt: skip
    found = values(result)
    assert found[0] == "<p>First <b>bold</b> and red.</p>"
    assert found[1] == {"text": "Deep heading", "level": "h3", "anchor": ""}
    assert found[2]["level"] == "h2"
    assert found[3] == "<ul><li>One</li><li>Two</li></ul>"
    assert found[4] == {"text": "To be.", "attribution": "Hamlet", "role": ""}
    assert found[5] == {"text": "Pulled.", "attribution": "Ed", "role": ""}
    assert found[6] == {"image": 50, "alt_text": "Alt", "caption": "Cap", "credit": ""}
    assert found[7] == {"embed": "https://www.youtube.com/watch?v=abc", "caption": ""}
    assert found[8]["table"]["data"] == [["A", "B"], ["1", "2"]]
    assert found[8]["table"]["first_row_is_table_header"] is True
    assert found[9:] == ["<p>Left</p>", "<p>Right</p>"]
    assert not result.unmapped


def test_unknown_block_keeps_its_text_and_is_counted():
    result = convert_body(
        '<!-- wp:acme/callout --><div class="callout">Call us <b>now</b></div><!-- /wp:acme/callout -->'
    )

    assert values(result) == ["<p>Call us <b>now</b></p>"]
    assert result.unmapped == {"acme/callout": 1}


def test_dynamic_block_without_text_is_counted_not_invented():
    result = convert_body('<!-- wp:latest-posts {"postsToShow":3} /-->')

    assert result.blocks == []
    assert result.unmapped == {"core/latest-posts": 1}


def test_missing_image_is_listed_and_its_caption_kept():
    result = convert_body(
        '<!-- wp:image --><figure><img src="https://x.example/wp-content/uploads/gone.jpg"/>'
        "<figcaption>A harbour at dawn</figcaption></figure><!-- /wp:image -->",
        FakeMedia(),
    )

    assert values(result) == ["<p>A harbour at dawn</p>"]
    assert result.missing_media == ["https://x.example/wp-content/uploads/gone.jpg"]


def test_unclosed_block_loses_no_text():
    result = convert_body("<!-- wp:paragraph --><p>Cut off in the middle")

    assert values(result) == ["<p>Cut off in the middle</p>"]


def test_classic_content_follows_wordpress_paragraph_rule():
    text = "First line\nsame paragraph\n\nSecond paragraph\n\n<h3>Heading</h3>\nAfter the heading"

    result = convert_body(text)

    assert values(result) == [
        "<p>First line<br/>\nsame paragraph</p>",
        "<p>Second paragraph</p>",
        {"text": "Heading", "level": "h3", "anchor": ""},
        "<p>After the heading</p>",
    ]


def test_wpautop_matches_wordpress_on_a_simple_case():
    assert wpautop("a\nb\n\nc") == "<p>a<br />\nb</p>\n<p>c</p>\n"


def test_classic_lists_quotes_tables_and_images():
    text = (
        "<ul><li>x</li></ul>\n\n<blockquote>Said.</blockquote>\n\n"
        "<table><tr><td>1</td></tr></table>\n\n"
        '<a href="/full.jpg"><img class="wp-image-5" '
        'src="https://x.example/wp-content/uploads/a-300x200.jpg" '
        'alt="" /></a>'
    )

    result = convert_body(text, FakeMedia())

    assert types(result) == ["paragraph", "quote", "table", "image"]
    assert result.blocks[3]["value"]["image"] == 50
    assert result.blocks[3]["value"]["alt_text"] == "A stored alt"


def test_caption_embed_and_gallery_shortcodes_are_mapped():
    text = (
        '[caption id="attachment_5" align="alignleft" width="300"]<img src="x.jpg" alt="Boat" /> '
        'A boat[/caption]\n\n[embed]https://vimeo.com/123[/embed]\n\n[gallery ids="5"]'
    )

    result = convert_body(text, FakeMedia())

    assert values(result) == [
        {"image": 50, "alt_text": "Boat", "caption": "A boat", "credit": ""},
        {"embed": "https://vimeo.com/123", "caption": ""},
        {"image": 50, "alt_text": "A stored alt", "caption": "", "credit": ""},
    ]


def test_other_shortcodes_are_stripped_and_their_text_kept():
    result = convert_body('Before [contact-form to="a@b.c"] and [highlight]kept text[/highlight] [sic]')

    assert values(result) == ["<p>Before  and kept text [sic]</p>"]
    assert result.unmapped == {"[contact-form]": 1, "[highlight]": 1}


def test_youtube_url_alone_on_its_line_becomes_an_embed():
    result = convert_body("Watch:\n\nhttps://www.youtube.com/watch?v=xyz\n\nhttps://example.org/not-a-video")

    assert types(result) == ["paragraph", "embed", "paragraph"]


def test_rich_text_keeps_only_the_paragraph_features():
    cleaned = clean_rich_text(
        '<p style="x">A <em>b</em> <u>c</u> <a href="javascript:alert(1)">d</a> '
        '<a href="https://e.example" target="_blank">e</a> <sup>2</sup><script>bad()</script></p>'
    )

    assert cleaned == '<p>A <i>b</i> c d <a href="https://e.example">e</a> <sup>2</sup></p>'


def test_content_that_cannot_be_a_block_becomes_text():
    result = convert_body("<dl><dt>Term</dt><dd>Meaning</dd></dl>\n\n<marquee>Moving</marquee>")

    assert values(result) == ["<p><b>Term</b></p><p>Meaning</p>", "<p>Moving</p>"]


def test_overlong_heading_is_kept_whole_as_bold_text():
    result = convert_body(f"<h2>{'word ' * 100}</h2>")

    assert result.blocks[0]["type"] == "paragraph"
    assert result.blocks[0]["value"].startswith("<p><b>word word")


def test_block_parser_nests_and_reads_attributes():
    parsed = parse_blocks(
        '<!-- wp:group {"a":{"b":1}} --><!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --><!-- /wp:group -->'
    )

    assert parsed[0].name == "core/group"
    assert parsed[0].attrs == {"a": {"b": 1}}
    assert parsed[0].inner_blocks[0].name == "core/paragraph"


def test_a_one_megabyte_body_converts_in_seconds():
    body = "\n\n".join(
        f"Paragraph {n} with <em>emphasis</em> and [footnote]a note[/footnote]." for n in range(15_000)
    )
    assert len(body) > 1_000_000

    started = time.monotonic()
    result = convert_body(body)

    # Linear work takes a few seconds even on a busy machine; a quadratic step would take many minutes.
    assert time.monotonic() - started < 90
    assert len(result.blocks) == 15_000
