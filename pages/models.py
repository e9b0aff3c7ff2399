"""Plain content pages: About, Contact, policies, and the pages imported from WordPress."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from core.models import BasePage
from news.blocks import ArticleBodyBlock


class ContentPage(BasePage):
    """A page that is not news: no byline, date or comments, and it may hold sub-pages."""

    body = StreamField(ArticleBodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]

    class Meta:
        verbose_name = "content page"
