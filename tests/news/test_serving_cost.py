"""What serving a page costs: queries per uncached page, whatever the depth or the data size."""

import re

import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

# An uncached article with everything on it: byline, tags, lead image, related
# cards with thumbnails, breadcrumbs, navigation, comments. The lead image in every
# size and format, its crops for shared links and structured data, and the cards'
# pictures come in one rendition query.
ARTICLE_QUERY_BUDGET = 12


def full_article(parent, title: str, image):
    article = NewsArticlePageFactory(parent=parent, title=title, lead_image=image)
    article.tags.add("science", "health")
    article.save()
    StoryAuthor.objects.create(page=article, author=AuthorFactory())
    return article


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_an_uncached_article_costs_at_most_twelve_queries(
    client, health, no_rendition_cache, django_assert_max_num_queries
):
    image = wagtail_factories.ImageFactory()
    article = full_article(health, "Main story", image)
    for n in range(5):
        other = NewsArticlePageFactory(parent=health, title=f"Other {n}", lead_image=image)
        other.tags.add("science")
        other.save()
    thread = ReaderCommentFactory(article=article)
    ReaderCommentFactory(parent=thread)
    client.get(article.url)  # renditions are made on the first view

    with django_assert_max_num_queries(ARTICLE_QUERY_BUDGET):
        response = client.get(article.url)
    html = response.text
    assert "Other 4" in html and "2 comments" in html and 'aria-label="Breadcrumb"' in html


def test_pictures_in_the_body_cost_no_more_queries(client, health, no_rendition_cache):
    lead = wagtail_factories.ImageFactory(title="Lead")
    plain = full_article(health, "Plain story", lead)
    illustrated = full_article(health, "Illustrated story", lead)
    illustrated.body = [
        ("image", {"image": wagtail_factories.ImageFactory(title=f"Body {n}"), "alt_text": f"Picture {n}"})
        for n in range(3)
    ] + [("image", {"image": lead, "alt_text": "The lead again"})]
    illustrated.save_revision().publish()
    for story in (plain, illustrated):
        client.get(story.url)  # renditions are made on the first view

    assert queries_for(client, illustrated.url) == queries_for(client, plain.url)
    html = client.get(illustrated.url).text
    assert all(f'alt="Picture {n}"' in html for n in range(3)) and 'alt="The lead again"' in html


def test_a_deeper_article_costs_no_more_queries(client, home_page, health):
    image = wagtail_factories.ImageFactory()
    shallow = full_article(health, "Shallow", image)
    deep_section = CategoryIndexPageFactory(
        parent=CategoryIndexPageFactory(parent=health, title="Oncology"), title="Trials"
    )
    deep = full_article(deep_section, "Deep", image)
    client.get(shallow.url)
    client.get(deep.url)

    assert queries_for(client, deep.url) == queries_for(client, shallow.url)


def test_pages_are_found_by_their_full_address(client, home_page, health):
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    article = NewsArticlePageFactory(parent=oncology, title="Nested story")
    blog = LiveBlogPageFactory(parent=health, title="Live now")

    assert client.get("/health/oncology/nested-story/").status_code == 200
    assert "Nested story" in client.get(article.url).text
    # Sub-routes of routable pages still answer below their page.
    assert client.get("/health/oncology/feed/").status_code == 200
    assert client.get(f"{blog.url}entries/?after=0").status_code == 200
    # Unknown addresses, and known ones with a stray segment, are not found.
    assert client.get("/health/oncology/no-such-story/").status_code == 404
    assert client.get("/health/oncology/nested-story/extra/").status_code == 404
    assert client.get("/nowhere/nested-story/").status_code == 404


def test_drafts_and_private_pages_stay_unreachable_by_address(client, home_page, health):
    draft = NewsArticlePageFactory(parent=health, title="Draft story", live=False)
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    private = NewsArticlePageFactory(parent=members, title="Members story")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(draft.url if draft.url else "/health/draft-story/").status_code == 404
    response = client.get(private.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_deep_page_of_a_section_costs_the_same_queries_as_its_first(client, health, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    for n in range(400):
        NewsArticlePageFactory(parent=health, title=f"Story {n}")
    client.get(health.url)

    first = queries_for(client, health.url)
    deep = queries_for(client, f"{health.url}?page=200")

    assert deep == first
    html = client.get(f"{health.url}?page=200").text
    assert "Story 1<" in html and "Story 0<" in html and "Page 200 of 200" in html


def test_sitemap_is_built_once_until_a_page_is_published(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="First story")
    built = queries_for(client, "/sitemap.xml")
    again = queries_for(client, "/sitemap.xml")
    assert again < built
    assert again <= 4

    late = NewsArticlePageFactory(parent=health, title="Late story")
    assert late.url in client.get("/sitemap.xml").text


def test_the_first_picture_loads_at_once_and_the_rest_lazily(client, home_page, health):
    image = wagtail_factories.ImageFactory()
    for n in range(3):
        NewsArticlePageFactory(parent=health, title=f"Pictured {n}", lead_image=image)
    article = full_article(health, "Lead pictured", image)

    section_images = re.findall(r"<img [^>]*>", client.get(health.url).text)
    article_images = re.findall(r"<img [^>]*>", client.get(article.url).text)
    front_images = re.findall(r"<img [^>]*>", client.get("/").text)

    for images in (section_images, article_images, front_images):
        assert 'fetchpriority="high"' in images[0] and "lazy" not in images[0]
        assert all('loading="lazy"' in tag and "fetchpriority" not in tag for tag in images[1:])
        assert all('width="' in tag and 'height="' in tag for tag in images)
