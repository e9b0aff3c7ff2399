"""The API's field filters on relations: a value the relation cannot hold is a 400, not a 500."""

import pytest

from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory


@pytest.fixture
def blog(health):
    blog = LiveBlogPageFactory(parent=health, title="Live: the summit")
    LiveBlogEntryFactory(page=blog)
    return blog


@pytest.mark.parametrize("value", ["  ", "abc", "1.5", "", "²"])
def test_live_blog_entries_filter_refuses_what_is_no_id(client, blog, value):
    response = client.get("/api/v2/pages/", {"type": "news.LiveBlogPage", "entries": value})
    assert response.status_code == 400
    assert "field filter error" in response.json()["message"]


def test_live_blog_entries_filter_finds_the_blog_of_an_entry(client, blog):
    entry = blog.entries.get()
    response = client.get("/api/v2/pages/", {"type": "news.LiveBlogPage", "entries": entry.pk})
    assert [item["title"] for item in response.json()["items"]] == ["Live: the summit"]
