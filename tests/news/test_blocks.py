"""Each article body block renders through its template and refuses bad values."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup

from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from news.blocks import ArticleBodyBlock, CitationBlock, HeadingBlock, ImageBlock

body_block = ArticleBodyBlock()


def render(block_type: str, raw_value) -> BeautifulSoup:
    block = body_block.child_blocks[block_type]
    value = block.to_python(raw_value)
    return BeautifulSoup(block.render(value), "html.parser")


def test_paragraph_renders_its_rich_text():
    html = render("paragraph", "<p>Plain <b>bold</b> text.</p>")
    assert html.select_one(".block-paragraph b").get_text() == "bold"


def test_heading_renders_at_its_level_with_an_anchor():
    html = render("heading", {"text": "What the study found", "level": "h3", "anchor": ""})
    heading = html.select_one("h3")
    assert heading.get_text() == "What the study found"
    assert heading["id"] == "what-the-study-found"


def test_heading_uses_the_editors_anchor_and_refuses_a_bad_one():
    html = render("heading", {"text": "Results", "level": "h2", "anchor": "key-results"})
    assert html.select_one("h2")["id"] == "key-results"
    block = HeadingBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"text": "Results", "level": "h2", "anchor": "Not an anchor!"}))


@pytest.mark.django_db
def test_image_renders_with_alt_text_caption_and_credit():
    image = Image.objects.create(title="Cells", file=get_test_image_file())
    html = render(
        "image",
        {"image": image.pk, "alt_text": "Cells under a microscope", "caption": "Lung tissue", "credit": "CU"},
    )
    assert html.select_one("img")["alt"] == "Cells under a microscope"
    assert "Lung tissue" in html.select_one("figcaption").get_text()
    assert html.select_one(".credit").get_text() == "CU"


@pytest.mark.django_db
def test_image_without_alt_text_is_refused():
    image = Image.objects.create(title="Cells", file=get_test_image_file())
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": "", "credit": ""}))
    assert "alt_text" in error.value.block_errors


def test_quote_renders_text_attribution_and_role():
    html = render(
        "quote", {"text": "Like embers.", "attribution": "James DeGregori", "role": "senior author"}
    )
    assert html.select_one("blockquote").get_text(strip=True) == "Like embers."
    assert html.select_one("figcaption").get_text() == "James DeGregori, senior author"


def test_quote_text_is_escaped():
    html = render("quote", {"text": "<script>alert(1)</script>", "attribution": "", "role": ""})
    assert html.select_one("script") is None
    assert "<script>alert(1)</script>" in html.select_one("blockquote").get_text()


@pytest.mark.django_db
def test_embed_renders_the_providers_html_without_network():
    fake_embed = mock.Mock(html='<iframe src="https://video.example/1"></iframe>')
    with mock.patch("wagtail.embeds.embeds.get_embed", return_value=fake_embed):
        html = render("embed", {"embed": "https://video.example/watch/1", "caption": "The interview"})
    assert html.select_one("iframe")["src"] == "https://video.example/1"
    assert html.select_one("figcaption").get_text() == "The interview"


def test_fact_box_renders_title_and_body():
    html = render("fact_box", {"title": "Key facts", "body": "<ul><li>17.7 million survivors</li></ul>"})
    assert html.select_one("aside h3").get_text() == "Key facts"
    assert html.select_one("aside li").get_text() == "17.7 million survivors"


def test_table_renders_header_and_cells():
    html = render(
        "table",
        {
            "caption": "Risk by cohort",
            "table": {
                "data": [["Cohort", "Risk"], ["UK Biobank", "2x"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        },
    )
    assert [th.get_text(strip=True) for th in html.select("th")] == ["Cohort", "Risk"]
    assert "UK Biobank" in html.select_one("td").get_text()
    assert html.select_one("figcaption").get_text() == "Risk by cohort"


def test_citation_links_its_doi_to_doi_org():
    html = render(
        "citation",
        {
            "authors": "Chia SB, Johnson BJ, Hu J, et al.",
            "title": "Respiratory viral infections awaken metastatic breast cancer cells in lungs",
            "journal": "Nature",
            "year": 2025,
            "pages": "1-11",
            "doi": "10.1038/s41586-025-09332-0",
        },
    )
    link = html.select_one("a")
    assert link["href"] == "https://doi.org/10.1038/s41586-025-09332-0"
    assert link.get_text() == "10.1038/s41586-025-09332-0"
    assert "Nature" in html.get_text()


@pytest.mark.parametrize("doi", ["not-a-doi", "https://doi.org/10.1038/x", "10.12/too-short-prefix"])
def test_citation_refuses_a_malformed_doi(doi):
    block = CitationBlock()
    value = block.to_python({"authors": "Doe J", "title": "A title", "doi": doi})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "doi" in error.value.block_errors
