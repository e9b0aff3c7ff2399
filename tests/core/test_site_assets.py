"""The favicon, the first card's image priority and the API's image URLs."""

import re

import pytest
import wagtail_factories

from django.contrib.staticfiles import finders

from tests.factories import NewsArticlePageFactory


def test_favicon_is_linked_and_served(client, home_page):
    html = client.get(home_page.url).text
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert icons == ["/static/favicon.ico", "/static/favicon.svg"]
    for icon in icons:
        assert finders.find(icon.removeprefix("/static/"))
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"


@pytest.mark.parametrize("listing", ["section", "tag"])
def test_only_the_first_card_image_loads_at_once_and_first(client, health, listing):
    for _ in range(3):
        article = NewsArticlePageFactory(parent=health, lead_image=wagtail_factories.ImageFactory())
        article.tags.add("science")
        article.save_revision().publish()
    html = client.get(health.url if listing == "section" else "/tags/science/").text
    images = re.findall(r'<img [^>]*class="card__image"[^>]*>', html)
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in image and "fetchpriority" not in image for image in images[1:])


def test_api_image_full_url_is_on_the_site_that_answered(client, settings, health):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.org"
    article = NewsArticlePageFactory(
        parent=health, lead_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    )
    data = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert data["social_image"]["full_url"] == f"http://localhost{data['social_image']['url']}"
