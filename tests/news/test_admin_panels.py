from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import NewsArticlePage
from tests.factories import AuthorFactory


def test_article_editor_offers_byline_tags_and_related_panels(admin_client, article):
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    for label in ["Byline", "Tags", "Related"]:
        assert label in response.text


def test_editor_saves_byline_tags_and_related_picks(admin_client, health, article):
    author = AuthorFactory(name="Maria Lopez")
    data = nested_form_data(
        {
            "title": "Filed from the admin",
            "slug": "filed-from-the-admin",
            "subheadline": "",
            "standfirst": "Summary.",
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "references": streamfield([]),
            "tags": "viruses, lungs",
            "story_authors": inline_formset([{"author": author.pk}]),
            "related_links": inline_formset([{"related_page": article.pk}]),
            "corrections": inline_formset([]),
            "reader_comments": "open",
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", data)

    assert response.status_code == 302
    page = NewsArticlePage.objects.get(slug="filed-from-the-admin")
    assert page.live
    assert sorted(tag.name for tag in page.tags.all()) == ["lungs", "viruses"]
    assert [link.author for link in page.story_authors.all()] == [author]
    assert [link.related_page_id for link in page.related_links.all()] == [article.pk]
    assert Page.objects.get(pk=article.pk).title == "A story about health"


def test_discovery_settings_are_editable(admin_client, site):
    response = admin_client.get(f"/admin/settings/news/discoverysettings/{site.pk}/")
    assert response.status_code == 200
    assert "Related items per article" in response.text


def test_preview_shows_unsaved_byline_tags_and_related_picks(admin_client, health, article):
    author = AuthorFactory(name="Maria Lopez")
    draft = NewsArticlePage(title="Draft in progress", slug="draft-in-progress", body=[])
    health.add_child(instance=draft)
    data = nested_form_data(
        {
            "title": "Draft in progress",
            "slug": "draft-in-progress",
            "subheadline": "",
            "standfirst": "",
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "references": streamfield([]),
            "tags": "unsaved-tag",
            "story_authors": inline_formset([{"author": author.pk}]),
            "related_links": inline_formset([{"related_page": article.pk}]),
            "corrections": inline_formset([]),
        }
    )
    preview_url = f"/admin/pages/{draft.pk}/edit/preview/"

    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert "Maria Lopez" in response.text
    assert "unsaved-tag" in response.text
    assert "A story about health" in response.text


def test_same_author_twice_in_a_byline_is_refused(admin_client, health):
    author = AuthorFactory(name="Maria Lopez")
    data = nested_form_data(
        {
            "title": "Double credit",
            "slug": "double-credit",
            "subheadline": "",
            "standfirst": "",
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "references": streamfield([]),
            "tags": "",
            "story_authors": inline_formset([{"author": author.pk}, {"author": author.pk}]),
            "related_links": inline_formset([]),
            "corrections": inline_formset([]),
            "reader_comments": "open",
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", data)

    assert response.status_code == 200
    assert not NewsArticlePage.objects.filter(slug="double-credit").exists()
