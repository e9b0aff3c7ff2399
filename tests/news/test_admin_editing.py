"""Editors write and edit articles in the Wagtail admin."""

import pytest

from django.contrib.auth import get_user_model

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

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


def test_editor_creates_an_article_with_blocks(editor_client, health):
    data = nested_form_data(
        {
            "title": "Written in the admin",
            "slug": "written-in-the-admin",
            "subheadline": "A subheadline",
            "standfirst": "A standfirst.",
            "body": streamfield(
                [
                    ("heading", {"text": "First section", "level": "h2", "anchor": ""}),
                    ("paragraph", rich_text("<p>Typed by an editor.</p>")),
                    (
                        "citation",
                        {
                            "authors": "Doe J",
                            "title": "Paper",
                            "journal": "",
                            "year": "",
                            "pages": "",
                            "doi": "10.1000/abc",
                        },
                    ),
                ]
            ),
            "references": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = editor_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", data)
    assert response.status_code == 302, response.content[:2000]
    article = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert article.live
    assert [block.block_type for block in article.body] == ["heading", "paragraph", "citation"]


def test_bad_doi_in_the_admin_is_refused_and_nothing_is_stored(editor_client, health):
    data = nested_form_data(
        {
            "title": "Bad reference",
            "slug": "bad-reference",
            "body": streamfield(
                [
                    (
                        "citation",
                        {
                            "authors": "Doe J",
                            "title": "Paper",
                            "journal": "",
                            "year": "",
                            "pages": "",
                            "doi": "nope",
                        },
                    )
                ]
            ),
            "references": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = editor_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", data)
    assert response.status_code == 200
    assert "A DOI looks like" in response.text
    assert not NewsArticlePage.objects.filter(slug="bad-reference").exists()
