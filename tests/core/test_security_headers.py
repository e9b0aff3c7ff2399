"""Reader pages send a strict Content-Security-Policy they satisfy, and a Permissions-Policy."""

import re

import pytest

from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory, ReaderCommentFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


@pytest.fixture
def reader_urls(home_page, health, article):
    comment = ReaderCommentFactory(article=article)
    article.tags.add("science")
    article.save_revision().publish()
    blog = LiveBlogPageFactory(parent=health)
    LiveBlogEntryFactory(page=blog)
    return [
        home_page.url,
        health.url,
        article.url,
        blog.url,
        "/search/?q=health",
        "/tags/science/",
        f"/comments/flag/{comment.pk}/",
        f"/comments/reply/{comment.pk}/",
    ]


def test_reader_pages_send_a_strict_policy_and_satisfy_it(client, reader_urls):
    for url in reader_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'self'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        html = response.text
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert "javascript:" not in html, url


def test_refused_comment_page_offers_no_script_link(client, article):
    response = client.post("/comments/post/", {"content_type": "news.newsarticlepage", "object_pk": "abc"})
    assert response.status_code == 400
    assert "javascript:" not in response.text
    assert "Content-Security-Policy" in response


def test_admin_is_left_to_its_own_inline_code(admin_client, home_page):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
