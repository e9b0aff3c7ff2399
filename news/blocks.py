"""StreamField blocks for article bodies.

To add a block: subclass `StructBlock` here with an icon, label, template and
preview, add it to `ArticleBodyBlock`, write `templates/news/blocks/<name>.html`,
and run `makemigrations`.
"""

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.text import slugify

from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from core.images import images_with_renditions

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")

# House rules checked before publishing; a draft may break them (see StoryPage.publication_problems).
MISSING_ALT_TEXT = "Describe the image for readers who cannot see it: alt text is needed to publish."
NOT_A_DOI = "Not a DOI. A DOI looks like 10.1234/abc.123 (without https://doi.org/)."


def is_doi(value: str) -> bool:
    return bool(DOI_PATTERN.match(value))


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """Loads every image of a stream, with its renditions, in one query once they exist.

    Without this, each image block of a long body would cost a rendition query.
    Every rendition is loaded, not only the body's (core.images.RENDITIONS["body"]):
    the editor's chooser shows the same images in its own sizes, and Wagtail
    makes a rendition missing from a prefetch again on every view.
    """

    def bulk_to_python(self, values):
        images = images_with_renditions(value for value in values if value is not None)
        return [images.get(value) for value in values]


def image_ids_in(stream: StreamValue) -> list[int]:
    """The ids of the pictures in `stream`'s image blocks, read from its stored form.

    For loading them with a page's other images before the stream converts
    (see core.images.images_at_hand).
    """
    ids: list[int] = []
    for item in stream.raw_data:
        block = stream.stream_block.child_blocks.get(item.get("type"))
        value = item.get("value")
        if not isinstance(block, blocks.StructBlock) or not isinstance(value, dict):
            continue
        for name, child in block.child_blocks.items():
            if isinstance(child, PrefetchingImageChooserBlock) and isinstance(value.get(name), int):
                ids.append(value[name])
    return ids


def convert_streams(objects: Sequence[Model], field: str) -> None:
    """Convert the block field `field` of all `objects` together: each block type's
    values at once for all of them, so the images of every live blog entry on a page
    come in one query, not one per entry.

    Wagtail converts a stream when it is first read, one object at a time.
    """
    streams = [getattr(obj, field) for obj in objects]
    if not streams:
        return
    converted = streams[0].stream_block.bulk_to_python([list(stream.raw_data) for stream in streams])
    for obj, stream in zip(objects, converted, strict=True):
        setattr(obj, field, stream)


class HeadingValue(blocks.StructValue):
    @property
    def anchor_id(self) -> str:
        return self.get("anchor") or slugify(self.get("text", ""))

    @property
    def tag(self) -> str:
        return self.get("level") or "h2"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (level 2)"), ("h3", "Subsection heading (level 3)")],
        default="h2",
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Link target for this section (#anchor); made from the text when empty.",
    )

    def clean(self, value):
        value = super().clean(value)
        anchor = value.get("anchor")
        if anchor and slugify(anchor) != anchor:
            raise StructBlockValidationError(
                block_errors={"anchor": ValidationError("Use lowercase letters, digits and hyphens.")}
            )
        return value

    class Meta:
        icon = "title"
        label = "Heading"
        template = "news/blocks/heading_block.html"
        value_class = HeadingValue
        preview_value = {"text": "What the study found", "level": "h2"}
        description = "A section heading that readers can link to."


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Paragraph"
        template = "news/blocks/paragraph_block.html"
        preview_value = "<p>Common respiratory infections may reactivate dormant cancer cells.</p>"
        description = "Body text with bold, italic and links."


class ImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=255,
        help_text="Describe the image for readers who cannot see it; needed to publish.",
    )
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(required=False, max_length=255)

    def clean(self, value):
        value = super().clean(value)
        # A draft may leave it for later; publishing may not.
        if not self.is_deferred_validation and value.get("image") and not value.get("alt_text"):
            raise StructBlockValidationError(block_errors={"alt_text": ValidationError(MISSING_ALT_TEXT)})
        return value

    class Meta:
        icon = "image"
        label = "Image"
        template = "news/blocks/image_block.html"
        description = "A picture with caption and credit; alt text is required."


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)
    role = blocks.CharBlock(required=False, max_length=255, help_text="e.g. senior author")

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "news/blocks/quote_block.html"
        preview_value = {
            "text": "Dormant cancer cells are like the embers left in an abandoned campfire.",
            "attribution": "James DeGregori",
            "role": "senior author",
        }
        description = "A pull quote with the speaker's name and role."


class ArticleEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A video or post URL from a supported provider.")
    caption = blocks.CharBlock(required=False, max_length=500)

    class Meta:
        icon = "media"
        label = "Embed"
        template = "news/blocks/embed_block.html"
        description = "A video or social post from its URL."


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=255, default="Key facts")
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        label = "Fact box"
        template = "news/blocks/fact_box_block.html"
        preview_value = {
            "title": "Key facts",
            "body": "<ul><li>About 17.7 million cancer survivors live in the US.</li></ul>",
        }
        description = "A boxed summary set apart from the story."


class ArticleTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(required=False, max_length=255)
    table = TableBlock()

    class Meta:
        icon = "table"
        label = "Table"
        template = "news/blocks/table_block.html"
        description = "A data table with an optional header row."


class CitationValue(blocks.StructValue):
    @property
    def doi_url(self) -> str:
        doi = self.get("doi") or ""
        return f"https://doi.org/{doi}" if doi else ""


class CitationBlock(blocks.StructBlock):
    authors = blocks.CharBlock(max_length=500, help_text="e.g. Chia SB, Johnson BJ, Hu J, et al.")
    title = blocks.CharBlock(max_length=500)
    journal = blocks.CharBlock(required=False, max_length=255)
    year = blocks.IntegerBlock(required=False, min_value=1500, max_value=2200)
    pages = blocks.CharBlock(required=False, max_length=50, help_text="Volume, issue or pages.")
    doi = blocks.CharBlock(
        required=False,
        max_length=255,
        label="DOI",
        help_text="e.g. 10.1038/s41586-025-09332-0 (without https://doi.org/)",
    )

    def clean(self, value):
        value = super().clean(value)
        doi = value.get("doi") or ""
        # Checked on publishing; a draft may hold a reference still being looked up.
        if doi and not self.is_deferred_validation and not is_doi(doi):
            raise StructBlockValidationError(block_errors={"doi": ValidationError(NOT_A_DOI)})
        return value

    class Meta:
        icon = "doc-full"
        label = "Citation"
        template = "news/blocks/citation_block.html"
        value_class = CitationValue
        preview_value = {
            "authors": "Chia SB, Johnson BJ, Hu J, et al.",
            "title": "Respiratory viral infections awaken metastatic breast cancer cells in lungs",
            "journal": "Nature",
            "year": 2025,
            "doi": "10.1038/s41586-025-09332-0",
        }
        description = "A scientific reference; the DOI links to doi.org."


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = ArticleEmbedBlock()
    fact_box = FactBoxBlock()
    table = ArticleTableBlock()
    citation = CitationBlock()


class ReferencesBlock(blocks.StreamBlock):
    citation = CitationBlock()
