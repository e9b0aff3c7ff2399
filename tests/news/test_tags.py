from datetime import timedelta

import pytest

from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.helpers import card_titles, section


def tagged(article, *names):
    article.tags.add(*names)
    article.save()
    return article


def test_article_shows_its_tags_as_links(client, article):
    tagged(article, "Breast cancer", "Viruses")
    response = client.get(article.url)
    tags = section(response.text, "article__tags")
    assert '<a href="/tags/breast-cancer/" rel="tag">Breast cancer</a>' in tags
    assert '<a href="/tags/viruses/" rel="tag">Viruses</a>' in tags


def test_article_without_tags_shows_no_tag_list(client, article):
    assert "article__tags" not in client.get(article.url).text


def test_tag_page_lists_the_published_articles_with_the_tag(client, home_page, health):
    tagged(NewsArticlePageFactory(parent=health, title="Tagged and public"), "viruses")
    tagged(NewsArticlePageFactory(parent=health, title="Tagged draft", live=False), "viruses")
    tagged(
        NewsArticlePageFactory(
            parent=health, title="Tagged, expired", expire_at=timezone.now() - timedelta(1)
        ),
        "viruses",
    )
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    tagged(NewsArticlePageFactory(parent=members, title="Tagged, members only"), "viruses")
    tagged(NewsArticlePageFactory(parent=health, title="Other tag"), "diet")

    response = client.get("/tags/viruses/")

    assert response.status_code == 200
    assert "<h1>viruses</h1>" in response.text
    assert card_titles(response.text) == ["Tagged and public"]


def test_tag_page_is_paginated(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for n in range(3):
        tagged(NewsArticlePageFactory(parent=health, title=f"Story {n}"), "viruses")

    first = client.get("/tags/viruses/")
    second = client.get("/tags/viruses/", {"page": 2})

    assert len(card_titles(first.text)) == 2
    assert "Page 1 of 2" in first.text
    assert len(card_titles(second.text)) == 1


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "1.5", "99999999999999999999999"])
def test_tag_page_number_out_of_range_is_not_found(client, health, page):
    tagged(NewsArticlePageFactory(parent=health, title="Story"), "viruses")
    assert client.get("/tags/viruses/", {"page": page}).status_code == 404


def test_unknown_tag_is_not_found(client, article):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_carried_only_by_drafts_is_not_found(client, health):
    tagged(NewsArticlePageFactory(parent=health, title="Embargoed", live=False), "embargoed-topic")
    assert client.get("/tags/embargoed-topic/").status_code == 404


def test_non_latin_tag_has_a_working_page(client, health):
    article = tagged(NewsArticlePageFactory(parent=health, title="Story"), "вирусы")
    link = section(client.get(article.url).text, "article__tags")
    href = link.split('href="')[1].split('"')[0]
    response = client.get(href)
    assert response.status_code == 200
    assert card_titles(response.text) == ["Story"]
