"""Each page of a paginated listing is its own document: its own canonical URL and title."""

import re
from html import unescape

import pytest

from tests.factories import NewsArticlePageFactory
from tests.news.helpers import link_href, meta_content


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


@pytest.fixture
def many_articles(settings, health):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    articles = [NewsArticlePageFactory(parent=health) for _ in range(5)]
    for article in articles:
        article.tags.add("science")
        article.save()
    return articles


@pytest.mark.parametrize("listing", ["section", "tag"])
def test_page_two_has_its_own_canonical_and_title(client, health, many_articles, listing):
    url = health.url if listing == "section" else "/tags/science/"
    first = client.get(url).text
    second = client.get(url, {"page": 2}).text
    [canonical] = link_href(first, "canonical")
    assert canonical.endswith(url)
    assert link_href(second, "canonical") == [f"{canonical}?page=2"]
    assert title(second) == title(first).replace(
        title(first).split(" | ")[0], title(first).split(" | ")[0] + " – page 2"
    )
    assert title(second) != title(first)
    assert " – page 2" in meta_content(second, "og:title")


def test_page_one_asked_for_by_number_is_still_the_bare_canonical(client, health, many_articles):
    html = client.get(health.url, {"page": 1}).text
    assert link_href(html, "canonical") == [f"http://localhost{health.url}"]
    assert "page 1" not in title(html)
