from datetime import timedelta

import pytest
import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from core.image_credits import save_credit
from news.models import StoryAuthor
from tests.factories import AuthorFactory, CategoryIndexPageFactory, NewsArticlePageFactory

PAGES = "/api/v2/pages/"


@pytest.fixture
def hidden_pages(home_page, health):
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    return {
        "members": members,
        "members_article": NewsArticlePageFactory(parent=members, title="Members only"),
        "draft": NewsArticlePageFactory(parent=health, title="Draft", live=False),
        "expired": NewsArticlePageFactory(
            parent=health, title="Past expiry", expire_at=timezone.now() - timedelta(hours=1)
        ),
    }


def test_article_detail_has_article_fields_and_body_blocks(client, seed_article):
    seed_article.tags.add("viruses")
    seed_article.save()
    StoryAuthor.objects.create(
        page=seed_article, author=AuthorFactory(name="Maria Lopez", slug="maria-lopez")
    )

    response = client.get(f"{PAGES}{seed_article.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Respiratory Viruses May Awaken Dormant Breast Cancer"
    assert data["meta"]["type"] == "news.NewsArticlePage"
    assert data["standfirst"].startswith("New research reveals")
    assert data["subheadline"] == "Viruses Reawaken Dormant Breast Cancer Cells"
    assert data["tags"] == ["viruses"]
    assert data["authors"] == [
        {"name": "Maria Lopez", "slug": "maria-lopez", "role": "Reporter", "url": "/authors/maria-lopez/"}
    ]
    block_types = {block["type"] for block in data["body"]}
    assert {"paragraph", "heading", "citation"} <= block_types
    citation = next(block for block in data["body"] if block["type"] == "citation")
    assert citation["value"]["doi"] == "10.1038/s41586-025-09332-0"


def test_article_listing_can_ask_for_article_fields(client, article):
    response = client.get(PAGES, {"type": "news.NewsArticlePage", "fields": "standfirst,display_date"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == "A story about health"
    assert item["standfirst"] == "A one-sentence standfirst."


def test_social_image_is_served_as_a_rendition(client, health):
    article = NewsArticlePageFactory(
        parent=health, lead_image=wagtail_factories.ImageFactory(file__width=2400, file__height=1600)
    )
    data = client.get(f"{PAGES}{article.pk}/").json()
    assert (data["social_image"]["width"], data["social_image"]["height"]) == (1200, 630)
    assert data["lead_image"]["id"] == article.lead_image_id


def test_private_draft_and_expired_pages_are_absent(client, health, hidden_pages):
    listed = {item["title"] for item in client.get(PAGES).json()["items"]}

    assert "Health" in listed
    for page in hidden_pages.values():
        assert page.title not in listed
        assert client.get(f"{PAGES}{page.pk}/").status_code == 404


def test_signed_in_readers_get_only_public_pages_too(client, django_user_model, hidden_pages):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    listed = {item["title"] for item in client.get(PAGES).json()["items"]}
    assert "Members only" not in listed


def test_api_is_read_only(client, article):
    assert client.post(PAGES, {"title": "New"}).status_code == 405
    assert client.delete(f"{PAGES}{article.pk}/").status_code == 405


def test_images_endpoint_lists_images(client, db):
    image = wagtail_factories.ImageFactory(title="Lung tissue")
    response = client.get("/api/v2/images/")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Lung tissue"]
    assert client.get(f"/api/v2/images/{image.pk}/").json()["meta"]["type"] == "wagtailimages.Image"


@pytest.mark.parametrize("query", ["metastasis", "IL-6"])
def test_api_search_finds_the_seed_article(client, seed_article, query):
    response = client.get(PAGES, {"search": query})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [seed_article.title]


@pytest.mark.parametrize("query", ['"unbalanced', "*", "!!!", "", "乳腺癌", "x" * 5000])
def test_api_search_answers_awkward_queries_cleanly(client, seed_article, query):
    assert client.get(PAGES, {"search": query}).status_code == 200


def test_api_search_leaves_out_hidden_pages(client, health, hidden_pages):
    NewsArticlePageFactory(parent=health, title="Glacier public")
    for page in hidden_pages.values():
        page.title = f"Glacier {page.title}"
        page.save()
    titles = [item["title"] for item in client.get(PAGES, {"search": "glacier"}).json()["items"]]
    assert titles == ["Glacier public"]


def test_article_listing_with_every_field_costs_the_same_queries_for_3_or_15_articles(client, health):
    def add_articles(count: int) -> None:
        for _ in range(count):
            article = NewsArticlePageFactory(parent=health)
            article.tags.add("lungs", "Viruses")
            article.save()
            StoryAuthor.objects.create(page=article, author=AuthorFactory(), sort_order=0)

    url = "/api/v2/pages/?type=news.NewsArticlePage&fields=*"

    def listing_queries() -> tuple[int, dict]:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()

    add_articles(3)
    few, _ = listing_queries()
    add_articles(12)
    many, data = listing_queries()

    assert few == many
    assert many <= 14
    assert len(data["items"]) == 15
    assert data["items"][0]["tags"] == ["lungs", "Viruses"]
    assert data["items"][0]["authors"][0]["role"] == "Reporter"


@pytest.mark.django_db
def test_images_endpoint_gives_each_pictures_credit_in_one_query_for_the_listing(client):
    credited = wagtail_factories.ImageFactory(title="Harbour at dawn")
    credit = {
        "caption": "Fishing boats at first light",
        "credit": "Jane Doe / Example Agency",
        "copyright_notice": "© 2026 Example Agency",
        "source_url": "https://example.org/harbour",
        "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
    }
    save_credit(credited, credit)
    uncredited = wagtail_factories.ImageFactory(title="No credit")

    assert client.get(f"/api/v2/images/{credited.pk}/").json()["credit"] == credit
    assert client.get(f"/api/v2/images/{uncredited.pk}/").json()["credit"]["credit"] == ""

    def listing() -> tuple[int, dict[str, str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v2/images/?fields=credit")
        assert response.status_code == 200
        return len(queries), {item["title"]: item["credit"]["credit"] for item in response.json()["items"]}

    few, _ = listing()
    for n in range(5):
        save_credit(wagtail_factories.ImageFactory(title=f"Picture {n}"), {"credit": f"Photographer {n}"})
    many, credits = listing()
    assert many == few
    assert credits["Harbour at dawn"] == "Jane Doe / Example Agency"
    assert credits["No credit"] == ""
    assert credits["Picture 4"] == "Photographer 4"
    # Not a database field: no filtering or ordering by it.
    assert client.get("/api/v2/images/?credit=x").status_code == 400
    assert client.get("/api/v2/images/?order=credit").status_code == 400
