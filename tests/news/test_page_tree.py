"""Where editors may create each page type."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from news.models import CategoryIndexPage, NewsArticlePage
from pages.models import ContentPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_categories_go_under_the_home_page_or_another_category(self):
        self.assertAllowedParentPageTypes(CategoryIndexPage, {HomePage, CategoryIndexPage})
        self.assertCanCreateAt(HomePage, CategoryIndexPage)
        self.assertCanCreateAt(CategoryIndexPage, CategoryIndexPage)

    def test_articles_go_only_under_a_category(self):
        self.assertAllowedParentPageTypes(NewsArticlePage, {CategoryIndexPage})
        self.assertCanNotCreateAt(HomePage, NewsArticlePage)
        self.assertCanNotCreateAt(NewsArticlePage, NewsArticlePage)

    def test_articles_are_leaves(self):
        self.assertAllowedSubpageTypes(NewsArticlePage, {})

    def test_home_page_holds_categories_and_content_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {CategoryIndexPage, ContentPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_only_one_home_page_may_exist(self):
        self.assertEqual(HomePage.max_count, 1)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
