from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from ..blocks import ArticleBodyBlock, ReferencesBlock
from .stories import StoryPage, stream_problems

MISSING_PARAGRAPH = "The body needs at least one paragraph of text to publish."


class NewsArticlePage(StoryPage):
    """A news story: the story's header, then a block body and its references."""

    body = StreamField(ArticleBodyBlock())
    references = StreamField(ReferencesBlock(), blank=True)

    edit_handler = StoryPage.story_edit_handler(
        [
            FieldPanel("body", help_text="At least one paragraph; images need alt text to publish."),
            FieldPanel("references", help_text="Citations listed after the story, with their DOIs."),
        ]
    )
    search_fields = StoryPage.search_fields + [index.SearchField("body")]
    api_fields = StoryPage.api_fields + [APIField("body"), APIField("references")]

    parent_page_types = ["news.CategoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news article"

    def publication_problems(self) -> list[tuple[str, str]]:
        problems = super().publication_problems()
        if not any(block.block_type == "paragraph" for block in self.body):
            problems.append(("body", MISSING_PARAGRAPH))
        return problems + stream_problems("body", self.body) + stream_problems("references", self.references)

    def get_citations(self) -> list:
        """Citation blocks of the body and the references, in reading order."""
        return [
            block.value
            for stream in (self.body, self.references)
            for block in stream
            if block.block_type == "citation"
        ]
