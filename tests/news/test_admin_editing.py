"""Editors write and edit articles in the Wagtail admin."""

import pytest

from django.contrib.auth import get_user_model

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import NewsArticlePage


@pytest.fixture
def editor_client(client, db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.login(username="chief", password="pw")
    return client


def test_article_edit_form_shows_body_blocks(editor_client, article):
    response = editor_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    assert "Paragraph number 1." in response.text
    for tab in ("Content", "Promote", "Settings"):
        assert tab in response.text


def citation(doi: str) -> tuple[str, dict]:
    return (
        "citation",
        {"authors": "Doe J", "title": "Paper", "journal": "", "year": "", "pages": "", "doi": doi},
    )


def publish_new_article(client, parent, title: str, slug: str, body: list):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "subheadline": "A subheadline",
            "standfirst": "A standfirst.",
            "body": streamfield(body),
            "references": streamfield([]),
            "story_authors": inline_formset([]),
            "related_links": inline_formset([]),
            "corrections": inline_formset([]),
            "tags": "",
            "reader_comments": "open",
            "action-publish": "publish",
        }
    )
    return client.post(f"/admin/pages/add/news/newsarticlepage/{parent.pk}/", data)


def test_editor_creates_an_article_with_blocks(editor_client, health):
    body = [
        ("heading", {"text": "First section", "level": "h2", "anchor": ""}),
        ("paragraph", rich_text("<p>Typed by an editor.</p>")),
        citation("10.1000/abc"),
    ]
    response = publish_new_article(
        editor_client, health, "Written in the admin", "written-in-the-admin", body
    )
    assert response.status_code == 302, response.content[:2000]
    article = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert article.live
    assert [block.block_type for block in article.body] == ["heading", "paragraph", "citation"]


def test_bad_doi_in_the_admin_is_refused_and_nothing_is_stored(editor_client, health):
    response = publish_new_article(
        editor_client, health, "Bad reference", "bad-reference", [citation("nope")]
    )
    assert response.status_code == 200
    assert "A DOI looks like" in response.text
    assert not NewsArticlePage.objects.filter(slug="bad-reference").exists()


def test_article_under_the_home_page_is_refused(editor_client, home_page):
    response = publish_new_article(editor_client, home_page, "Misfiled", "misfiled", [citation("10.1000/a")])
    assert response.status_code in (302, 403)
    assert not NewsArticlePage.objects.filter(slug="misfiled").exists()
