import json

import pytest
import wagtail_factories

from core.models import SiteIdentity
from news.models import StoryAuthor
from tests.factories import AuthorFactory, NewsArticlePageFactory
from tests.news.helpers import JSON_LD, json_ld_of_type, link_href, meta_content

DOI = "10.1038/s41586-025-09332-0"


def test_article_head_describes_the_article(client, health):
    article = NewsArticlePageFactory(
        parent=health,
        title="Viruses wake sleeping cancer cells",
        standfirst="Infections can trigger metastasis in mice.",
        lead_image=wagtail_factories.ImageFactory(file__width=2400, file__height=1600),
        lead_image_alt_text="Lung tissue under a microscope",
    )
    article.tags.add("Viruses")
    article.save()

    html = client.get(article.url).text

    canonical = f"http://localhost{article.url}"
    assert "<title>Viruses wake sleeping cancer cells | Newsroom</title>" in html
    assert meta_content(html, "description") == "Infections can trigger metastasis in mice."
    assert link_href(html, "canonical") == [canonical]
    assert meta_content(html, "og:type") == "article"
    assert meta_content(html, "og:title") == "Viruses wake sleeping cancer cells"
    assert meta_content(html, "og:url") == canonical
    assert meta_content(html, "og:site_name") == "Newsroom"
    assert meta_content(html, "og:image").startswith("http://testserver/")
    assert ".fill-1200x630" in meta_content(html, "og:image")
    assert (meta_content(html, "og:image:width"), meta_content(html, "og:image:height")) == ("1200", "630")
    assert meta_content(html, "og:image:alt") == "Lung tissue under a microscope"
    assert meta_content(html, "article:section") == "Health"
    assert meta_content(html, "article:tag") == "Viruses"
    assert meta_content(html, "twitter:card") == "summary_large_image"
    assert meta_content(html, "twitter:image") == meta_content(html, "og:image")


def test_search_description_wins_over_the_standfirst(client, health):
    article = NewsArticlePageFactory(
        parent=health, standfirst="The standfirst.", search_description="For search."
    )
    html = client.get(article.url).text
    assert meta_content(html, "description") == "For search."
    assert meta_content(html, "og:description") == "For search."


def test_page_without_image_gets_a_summary_card(client, article, site):
    SiteIdentity.objects.update_or_create(site=site, defaults={"twitter_handle": "@newsroom"})
    html = client.get(article.url).text
    assert meta_content(html, "twitter:card") == "summary"
    assert meta_content(html, "twitter:site") == "@newsroom"
    assert meta_content(html, "og:image") is None


def test_seed_article_json_ld_parses_and_names_the_doi(client, seed_article):
    author = AuthorFactory(name="Maria Lopez", slug="maria-lopez")
    StoryAuthor.objects.create(page=seed_article, author=author)

    data = json_ld_of_type(client.get(seed_article.url).text, "NewsArticle")

    url = f"http://localhost{seed_article.url}"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Respiratory Viruses May Awaken Dormant Breast Cancer"
    assert data["description"].startswith("New research reveals common infections")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == seed_article.date.isoformat()
    assert data["dateModified"] == seed_article.last_published_at.isoformat()
    assert data["author"] == [
        {"@type": "Person", "name": "Maria Lopez", "url": "http://testserver/authors/maria-lopez/"}
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "Newsroom"}
    assert data["articleSection"] == "Health"
    [citation] = data["citation"]
    assert citation["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": DOI}
    assert citation["sameAs"] == f"https://doi.org/{DOI}"
    assert citation["name"] == "Respiratory viral infections awaken metastatic breast cancer cells in lungs"
    assert citation["isPartOf"] == {"@type": "Periodical", "name": "Nature"}


def test_citations_in_references_are_named_too(client, health):
    article = NewsArticlePageFactory(
        parent=health,
        references=[("citation", {"authors": "Doe J.", "title": "A study", "doi": "10.1000/xyz.1"})],
    )
    data = json_ld_of_type(client.get(article.url).text, "NewsArticle")
    assert [c["identifier"]["value"] for c in data["citation"]] == ["10.1000/xyz.1"]


def test_article_without_authors_credits_the_publisher(client, article):
    data = json_ld_of_type(client.get(article.url).text, "NewsArticle")
    assert data["author"] == [{"@type": "Organization", "name": "Newsroom", "url": "http://testserver/"}]
    assert "citation" not in data


def test_article_image_comes_in_the_three_aspect_ratios_google_asks_for(client, health):
    image = wagtail_factories.ImageFactory(file__width=2400, file__height=1800)
    article = NewsArticlePageFactory(parent=health, lead_image=image)
    data = json_ld_of_type(client.get(article.url).text, "NewsArticle")
    assert len(data["image"]) == 3
    sizes = {
        (rendition.width, rendition.height)
        for rendition in image.renditions.all()
        if any(rendition.url.endswith(url.rsplit("/", 1)[1]) for url in data["image"])
    }
    ratios = sorted(round(width / height, 2) for width, height in sizes)
    assert ratios == [1.0, 1.33, 1.78]
    assert all(url.startswith("http://testserver/") for url in data["image"])


def test_cited_authors_are_people_or_organisations(client, health):
    article = NewsArticlePageFactory(
        parent=health,
        references=[
            (
                "citation",
                {
                    "authors": "Chia SB, Johnson BJ, WHO Collaboration Group, et al.",
                    "title": "A study",
                    "doi": "10.1000/xyz.1",
                },
            )
        ],
    )
    [citation] = json_ld_of_type(client.get(article.url).text, "NewsArticle")["citation"]
    assert citation["author"] == [
        {"@type": "Person", "name": "Chia SB"},
        {"@type": "Person", "name": "Johnson BJ"},
        {"@type": "Organization", "name": "WHO Collaboration Group"},
    ]


def test_publisher_logo_comes_from_the_site_settings(client, article, site):
    logo = wagtail_factories.ImageFactory(file__width=600, file__height=120)
    SiteIdentity.objects.update_or_create(site=site, defaults={"publisher_logo": logo})
    data = json_ld_of_type(client.get(article.url).text, "NewsArticle")
    assert data["publisher"]["logo"]["@type"] == "ImageObject"
    assert data["publisher"]["logo"]["height"] == 60


@pytest.mark.parametrize(
    "headline",
    [
        'He said "stop" & left',
        "Bad </script><script>alert(1)</script>",
        "<!-- comment --> and ' quotes",
    ],
)
def test_headline_with_markup_cannot_break_the_json_ld(client, health, headline):
    article = NewsArticlePageFactory(parent=health, title=headline, slug="tricky")
    html = client.get(article.url).text

    assert "<script>alert(1)</script>" not in html
    blocks = JSON_LD.findall(html)
    assert blocks
    assert all("</script" not in block and "<" not in block for block in blocks)
    assert json_ld_of_type(html, "NewsArticle")["headline"] == headline


def test_category_carries_collection_page_data(client, health):
    health.search_description = "News about health."
    health.save()
    html = client.get(health.url).text
    data = json_ld_of_type(html, "CollectionPage")
    assert data["name"] == "Health"
    assert data["url"] == "http://localhost/health/"
    assert data["description"] == "News about health."
    assert meta_content(html, "og:type") == "website"
    assert link_href(html, "canonical") == ["http://localhost/health/"]


def test_home_page_describes_the_site_and_its_search(client, home_page):
    html = client.get(home_page.url).text
    data = json_ld_of_type(html, "WebSite")
    assert data["name"] == "Newsroom"
    assert (
        data["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    )
    assert link_href(html, "canonical") == ["http://localhost/"]


def test_views_outside_the_page_tree_have_metadata(client, health):
    article = NewsArticlePageFactory(parent=health)
    article.tags.add("viruses")
    article.save()
    AuthorFactory(name="Maria Lopez", slug="maria-lopez", bio="Maria covers medicine.")

    tag_html = client.get("/tags/viruses/").text
    author_html = client.get("/authors/maria-lopez/").text
    search_html = client.get("/search/", {"q": "anything"}).text

    assert "<title>Articles tagged “viruses” | Newsroom</title>" in tag_html
    assert link_href(tag_html, "canonical") == ["http://testserver/tags/viruses/"]
    assert "<title>Maria Lopez | Newsroom</title>" in author_html
    assert meta_content(author_html, "description") == "Maria covers medicine."
    assert meta_content(author_html, "og:type") == "profile"
    person = json_ld_of_type(author_html, "ProfilePage")["mainEntity"]
    assert person == {
        "@type": "Person",
        "name": "Maria Lopez",
        "url": "http://testserver/authors/maria-lopez/",
        "jobTitle": "Reporter",
        "description": "Maria covers medicine.",
    }
    assert meta_content(search_html, "robots") == "noindex, follow"


def test_json_ld_is_valid_json_on_every_page_type(client, home_page, health, article):
    for url in [home_page.url, health.url, article.url]:
        blocks = JSON_LD.findall(client.get(url).text)
        assert blocks, f"no JSON-LD on {url}"
        for block in blocks:
            assert isinstance(json.loads(block), dict)
