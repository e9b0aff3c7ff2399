"""Control characters in an address are refused at the door (PostgreSQL would fail on NUL)."""

import pytest

from tests.factories import ReaderCommentFactory


@pytest.mark.parametrize(
    "url",
    [
        "/tags/%00/",
        "/api/v2/pages/?site=%00",
        "/api/v2/pages/find/?html_path=/%00/",
        "/api/v2/pages/?search=%00",
        "/search/?q=%00",
        "/search/?q=a%01b",
        "/health/%00/",
        "/authors/x%7F/",
        "/feed/?x=%1B[31m",
        "/sitemap.xml?page=%00",
        "/comments/posted/?c=%00",
        "/comments/reply/1/?%00=1",
    ],
)
def test_control_characters_in_path_or_query_are_a_400(client, article, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Control characters are not allowed" in response.text


def test_ordinary_unicode_and_spaces_still_pass(client, article):
    ReaderCommentFactory(article=article)
    assert client.get("/search/", {"q": "café health"}).status_code == 200
    assert client.get(article.url).status_code == 200
