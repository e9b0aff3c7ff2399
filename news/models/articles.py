from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from core.models import BasePage

from ..blocks import ArticleBodyBlock, ReferencesBlock
from .stories import StoryPage


class NewsArticlePage(StoryPage):
    """A news story: the story's header, then a block body and its references."""

    body = StreamField(ArticleBodyBlock())
    references = StreamField(ReferencesBlock(), blank=True)

    content_panels = (
        BasePage.content_panels
        + StoryPage.header_panels
        + [FieldPanel("body"), FieldPanel("references")]
        + StoryPage.discovery_panels
    )
    search_fields = StoryPage.search_fields + [index.SearchField("body")]
    api_fields = StoryPage.api_fields + [APIField("body"), APIField("references")]

    parent_page_types = ["news.CategoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news article"

    def get_citations(self) -> list:
        """Citation blocks of the body and the references, in reading order."""
        return [
            block.value
            for stream in (self.body, self.references)
            for block in stream
            if block.block_type == "citation"
        ]
