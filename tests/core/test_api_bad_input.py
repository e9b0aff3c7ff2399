"""The API answers malformed input with a 400 and a JSON message, never a 500."""

import pytest
import wagtail_factories

PAGES = "/api/v2/pages/"
IMAGES = "/api/v2/images/"


@pytest.fixture
def content(article, health):
    wagtail_factories.ImageFactory()
    return article


@pytest.mark.parametrize(
    "url, params",
    [
        (f"{PAGES}find/", {"id": "abc"}),
        (f"{PAGES}find/", {"id": "1.5"}),
        (f"{PAGES}find/", {"id": "99999999999999999999999"}),
        (f"{IMAGES}find/", {"id": "abc"}),
        (PAGES, {"offset": str(2**63)}),
        (PAGES, {"offset": str(10**30)}),
        (IMAGES, {"offset": str(2**64)}),
        (PAGES, {"first_published_at": "abc"}),
        (PAGES, {"last_published_at": "2026-13-45"}),
        (PAGES, {"type": "news.NewsArticlePage", "display_date": "abc"}),
        (PAGES, {"type": "news.NewsArticlePage", "display_date": "2026-13-45"}),
        (PAGES, {"child_of": "99999999999999999999999"}),
        (PAGES, {"descendant_of": "99999999999999999999999"}),
        (IMAGES, {"created_at": "yesterday"}),
    ],
)
def test_malformed_parameter_is_a_400_with_a_message(client, content, url, params):
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    assert response.json()["message"]


def test_find_with_the_id_of_a_page_of_another_type_is_not_found(client, content, health):
    response = client.get(f"{PAGES}find/", {"id": health.pk, "type": "news.NewsArticlePage"})
    assert response.status_code == 404
    assert response.json()["message"]


def test_find_with_a_valid_id_still_redirects(client, content):
    response = client.get(f"{PAGES}find/", {"id": content.pk})
    assert response.status_code == 302
    assert f"{PAGES}{content.pk}/" in response["Location"]
