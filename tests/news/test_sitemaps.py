from datetime import timedelta

from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.helpers import parse_xml

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def sitemap_entries(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    root = parse_xml(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return {entry.findtext(f"{SITEMAP}loc"): entry for entry in root.findall(f"{SITEMAP}url")}


def make_hidden_pages(home_page, health):
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    return [
        NewsArticlePageFactory(parent=members, title="Members only"),
        NewsArticlePageFactory(parent=health, title="Draft", live=False),
        NewsArticlePageFactory(
            parent=health, title="Past expiry", expire_at=timezone.now() - timedelta(hours=1)
        ),
    ]


def test_sitemap_lists_public_pages_with_last_modification(client, home_page, health):
    article = NewsArticlePageFactory(
        parent=health, title="Public story", last_published_at=timezone.now() - timedelta(days=3)
    )
    hidden = make_hidden_pages(home_page, health)

    entries = sitemap_entries(client, "/sitemap.xml")

    article_url = f"http://localhost{article.url}"
    # The privacy notice is a public page the migrations create.
    assert set(entries) == {
        "http://localhost/",
        "http://localhost/health/",
        "http://localhost/privacy/",
        article_url,
    }
    assert entries[article_url].findtext(f"{SITEMAP}lastmod") == article.last_published_at.date().isoformat()
    assert not any(page.title in "".join(entries) for page in hidden)


def test_news_sitemap_lists_articles_of_the_last_48_hours(client, home_page, health):
    now = timezone.now()
    fresh = NewsArticlePageFactory(
        parent=health, title="Fresh <news> & “quotes”", display_date=now - timedelta(hours=2)
    )
    NewsArticlePageFactory(parent=health, title="Three days old", display_date=now - timedelta(days=3))
    make_hidden_pages(home_page, health)

    entries = sitemap_entries(client, "/sitemap-news.xml")

    assert list(entries) == [f"http://localhost{fresh.url}"]
    news = entries[f"http://localhost{fresh.url}"].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Fresh <news> & “quotes”"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date") == fresh.display_date.isoformat()


def test_news_sitemap_is_valid_when_empty(client, site):
    assert sitemap_entries(client, "/sitemap-news.xml") == {}


def test_robots_txt_names_both_sitemaps(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
