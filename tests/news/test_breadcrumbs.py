"""The breadcrumb trail: visible navigation and schema.org BreadcrumbList."""

import json

import pytest
from bs4 import BeautifulSoup

from django.template import Context, Template

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


@pytest.fixture
def deep_article(home_page):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    breast = CategoryIndexPageFactory(parent=oncology, title="Breast Cancer")
    return NewsArticlePageFactory(parent=breast, title="Dormant cells wake up")


def breadcrumb_json_ld(soup: BeautifulSoup) -> dict:
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if data.get("@type") == "BreadcrumbList":
            return data
    raise AssertionError("no BreadcrumbList on the page")


def test_trail_lists_every_ancestor_with_links_and_marks_the_current_page(client, deep_article):
    soup = BeautifulSoup(client.get(deep_article.url).text, "html.parser")
    nav = soup.select_one('nav[aria-label="Breadcrumb"]')
    items = nav.select("ol > li")
    assert [li.get_text(strip=True) for li in items] == [
        "Home",
        "Health",
        "Oncology",
        "Breast Cancer",
        "Dormant cells wake up",
    ]
    assert [a["href"] for a in nav.select("a")] == [
        "/",
        "/health/",
        "/health/oncology/",
        "/health/oncology/breast-cancer/",
    ]
    current = items[-1]
    assert current.select_one("a") is None
    assert current.select_one('[aria-current="page"]').get_text() == "Dormant cells wake up"


def test_trail_is_published_as_breadcrumb_list_json_ld(client, deep_article):
    soup = BeautifulSoup(client.get(deep_article.url).text, "html.parser")
    data = breadcrumb_json_ld(soup)
    assert data["@context"] == "https://schema.org"
    elements = data["itemListElement"]
    assert [e["position"] for e in elements] == [1, 2, 3, 4, 5]
    assert [e["name"] for e in elements] == [
        "Home",
        "Health",
        "Oncology",
        "Breast Cancer",
        "Dormant cells wake up",
    ]
    assert elements[2]["item"] == "http://testserver/health/oncology/"


def test_category_pages_show_their_trail(client, deep_article):
    oncology = deep_article.get_parent().get_parent()
    soup = BeautifulSoup(client.get(oncology.url).text, "html.parser")
    items = soup.select('nav[aria-label="Breadcrumb"] li')
    assert [li.get_text(strip=True) for li in items] == ["Home", "Health", "Oncology"]


def test_home_page_has_no_trail(client, home_page):
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    assert soup.select_one('nav[aria-label="Breadcrumb"]') is None


def test_titles_cannot_break_out_of_the_json_ld(client, home_page):
    section = CategoryIndexPageFactory(parent=home_page, title='Science "Lab"', slug="science")
    article = NewsArticlePageFactory(parent=section, title="</script><script>alert(1)</script>", slug="x")
    response = client.get(article.url)
    soup = BeautifulSoup(response.text, "html.parser")
    assert "<script>alert(1)</script>" not in response.text
    names = [e["name"] for e in breadcrumb_json_ld(soup)["itemListElement"]]
    assert names[1:] == ['Science "Lab"', "</script><script>alert(1)</script>"]


@pytest.mark.parametrize("depth", [1, 3, 8])
def test_trail_costs_one_query_at_any_depth(rf, home_page, depth, django_assert_num_queries):
    parent = home_page
    for level in range(depth):
        parent = CategoryIndexPageFactory(parent=parent, title=f"Level {level}")
    article = NewsArticlePageFactory(parent=parent, title="Deep story")
    request = rf.get(article.url)
    article.get_url(request)  # Wagtail caches the site root paths on the request
    template = Template("{% load newsroom_tags %}{% breadcrumbs %}")

    with django_assert_num_queries(1):
        html = template.render(Context({"page": article, "request": request}))

    assert len(BeautifulSoup(html, "html.parser").select("li")) == depth + 2
