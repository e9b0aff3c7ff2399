"""Content pages: About, Contact and policies, outside the news sections."""

import pytest

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from news.models import CategoryIndexPage
from pages.models import ContentPage
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


class TestContentPageTree(WagtailPageTestCase):
    def test_lives_under_the_home_page_or_another_content_page(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})

    def test_holds_only_content_pages(self):
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})

    def test_cannot_be_filed_in_a_section(self):
        self.assertCanNotCreateAt(CategoryIndexPage, ContentPage)


def test_page_shows_title_body_and_breadcrumbs(client, home_page):
    about = ContentPageFactory(parent=home_page, title="About us")
    team = ContentPageFactory(parent=about, title="Our team")

    response = client.get("/about-us/our-team/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__headline">Our team</h1>' in html
    assert "Paragraph number 1." in html
    assert 'aria-label="Breadcrumb"' in html
    assert about.title in html
    assert team.url == "/about-us/our-team/"


def test_a_page_with_an_empty_body_still_renders(client, home_page):
    ContentPageFactory(parent=home_page, title="Contact", body=[])

    assert client.get("/contact/").status_code == 200
