import pytest
import wagtail_factories

from wagtail.models import PageViewRestriction

from news.models import Author, StoryAuthor
from tests.factories import AuthorFactory, CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.helpers import card_titles, section


def credit(article, *authors):
    for order, author in enumerate(authors):
        StoryAuthor.objects.create(page=article, author=author, sort_order=order)


def test_byline_names_two_authors_in_the_editors_order(client, article):
    credit(
        article,
        AuthorFactory(name="Zoe Zhang", slug="zoe-zhang"),
        AuthorFactory(name="Adam Abbot", slug="adam-abbot"),
    )
    byline = section(client.get(article.url).text, "article__byline")
    assert byline == (
        '<p class="article__byline">By <a href="/authors/zoe-zhang/" rel="author">Zoe Zhang</a>'
        ' and <a href="/authors/adam-abbot/" rel="author">Adam Abbot</a></p>'
    )


def test_byline_with_three_authors_reads_naturally(client, article):
    credit(article, *(AuthorFactory(name=name) for name in ["Ann", "Ben", "Cal"]))
    byline = section(client.get(article.url).text, "article__byline")
    text = "".join(part.split(">")[-1] for part in byline.split("<"))
    assert text == "By Ann, Ben and Cal"


def test_article_without_authors_has_no_byline(client, article):
    assert "article__byline" not in client.get(article.url).text


def test_author_page_shows_the_author_and_their_published_articles(client, home_page, health):
    author = AuthorFactory(
        name="Maria Lopez",
        slug="maria-lopez",
        role="Health correspondent",
        bio="Maria covers medicine.",
        photo=wagtail_factories.ImageFactory(),
    )
    credit(NewsArticlePageFactory(parent=health, title="Her public story"), author)
    credit(NewsArticlePageFactory(parent=health, title="Her draft", live=False), author)
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    credit(NewsArticlePageFactory(parent=members, title="Her members-only story"), author)
    NewsArticlePageFactory(parent=health, title="Someone else's story")

    response = client.get("/authors/maria-lopez/")

    assert response.status_code == 200
    assert "<h1>Maria Lopez</h1>" in response.text
    assert "Health correspondent" in response.text
    assert "Maria covers medicine." in response.text
    assert 'class="author__photo"' in response.text
    assert card_titles(response.text) == ["Her public story"]


def test_author_page_is_paginated(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    author = AuthorFactory(slug="prolific")
    for n in range(3):
        credit(NewsArticlePageFactory(parent=health, title=f"Story {n}"), author)

    assert len(card_titles(client.get("/authors/prolific/").text)) == 2
    assert len(card_titles(client.get("/authors/prolific/", {"page": 2}).text)) == 1


@pytest.mark.parametrize("page", ["0", "3", "abc", "99999999999999999999999"])
def test_author_page_number_out_of_range_is_not_found(client, health, page):
    author = AuthorFactory(slug="someone")
    credit(NewsArticlePageFactory(parent=health), author)
    assert client.get("/authors/someone/", {"page": page}).status_code == 404


def test_unknown_author_is_not_found(client, db):
    assert client.get("/authors/nobody/").status_code == 404


def test_author_without_articles_has_a_page(client, db):
    AuthorFactory(name="New Hire", slug="new-hire")
    response = client.get("/authors/new-hire/")
    assert response.status_code == 200
    assert "No published articles yet." in response.text


def test_editors_manage_authors_as_snippets(admin_client, db):
    AuthorFactory(name="Maria Lopez")
    listing = admin_client.get("/admin/snippets/news/author/")
    assert listing.status_code == 200
    assert "Maria Lopez" in listing.text

    response = admin_client.post(
        "/admin/snippets/news/author/add/",
        {"name": "Sam Reed", "slug": "sam-reed", "role": "Science editor", "bio": ""},
    )
    assert response.status_code == 302
    assert Author.objects.filter(slug="sam-reed", role="Science editor").exists()
