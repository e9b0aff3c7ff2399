"""The reader's article page."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, paragraphs


def test_page_shows_trail_headline_subheadline_standfirst_date_body_in_order(client, health):
    article = NewsArticlePageFactory(
        parent=health,
        title="Headline here",
        subheadline="Sub here",
        standfirst="Standfirst here.",
        body=[("heading", {"text": "Section one", "level": "h2"}), *paragraphs(2)],
        references=[("citation", {"authors": "Doe J", "title": "Paper", "doi": "10.1000/xyz123"})],
    )
    html = client.get(article.url).text
    html = html[html.index("<main") :]
    markers = [
        'aria-label="Breadcrumb"',
        "Headline here",
        "Sub here",
        "Standfirst here.",
        "<time",
        "Section one",
        "Paragraph number 2.",
        "References",
        "https://doi.org/10.1000/xyz123",
        "Comments",
    ]
    positions = [html.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_display_date_defaults_to_first_publication(health):
    article = NewsArticlePageFactory.build(
        title="Fresh", slug="fresh", display_date=None, first_published_at=None
    )
    health.add_child(instance=article)
    assert article.display_date is None
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.display_date == article.first_published_at


def test_lead_image_is_shown_with_caption_and_credit(client, health):
    image = Image.objects.create(title="Lungs", file=get_test_image_file())
    article = NewsArticlePageFactory(
        parent=health,
        lead_image=image,
        lead_image_alt_text="A lung scan",
        lead_image_caption="Lung tissue",
        lead_image_credit="Photo: CU Anschutz",
    )
    soup = BeautifulSoup(client.get(article.url).text, "html.parser")
    figure = soup.select_one(".article__lead-image")
    assert figure.select_one("img")["alt"] == "A lung scan"
    assert "Lung tissue" in figure.get_text()
    assert "Photo: CU Anschutz" in figure.get_text()


def test_you_may_also_like_shows_up_to_four_newest_others_from_the_section(client, home_page, health):
    article = NewsArticlePageFactory(parent=health, title="This one")
    others = [NewsArticlePageFactory(parent=health, title=f"Other {n}") for n in range(6)]
    NewsArticlePageFactory(parent=health, title="Draft other", live=False)
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    NewsArticlePageFactory(parent=world, title="Other section")

    soup = BeautifulSoup(client.get(article.url).text, "html.parser")
    panel = soup.select_one(".related")
    assert panel.select_one("h2").get_text() == "You may also like"
    titles = [t.get_text(strip=True) for t in panel.select(".card__title")]
    assert titles == [o.title for o in reversed(others)][:4]


def test_private_article_is_not_shown_to_anonymous_readers(client, health):
    article = NewsArticlePageFactory(parent=health, title="Members only")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"] or "login" in response["Location"]


def test_draft_article_is_not_found(client, health):
    article = NewsArticlePageFactory(parent=health, title="Not yet", live=False)
    assert client.get(article.url).status_code == 404


def body_of(blocks: int) -> list:
    kinds = [
        ("paragraph", lambda n: RichText(f"<p>Paragraph {n}.</p>")),
        ("heading", lambda n: {"text": f"Heading {n}", "level": "h2"}),
        ("image", lambda n: {"image": None, "alt_text": "x"}),
        ("quote", lambda n: {"text": f"Quote {n}", "attribution": "Someone", "role": "role"}),
        ("fact_box", lambda n: {"title": "Facts", "body": RichText("<p>fact</p>")}),
        ("citation", lambda n: {"authors": "Doe J", "title": f"Paper {n}", "doi": f"10.1000/{n}"}),
    ]
    return [(kinds[n % len(kinds)][0], kinds[n % len(kinds)][1](n)) for n in range(blocks)]


@pytest.mark.parametrize("with_images", [False, True])
def test_body_of_100_blocks_costs_no_more_queries_than_5(client, health, with_images):
    images = [Image.objects.create(title=f"Img {n}", file=get_test_image_file()) for n in range(3)]

    def body(count):
        blocks = body_of(count)
        if with_images:
            blocks = [
                (kind, {**value, "image": images[n % 3]} if kind == "image" else value)
                for n, (kind, value) in enumerate(blocks)
            ]
        return blocks

    small = NewsArticlePageFactory(parent=health, title="Small", body=body(5))
    large = NewsArticlePageFactory(parent=health, title="Large", body=body(100))
    for page in (small, large):  # first views create image renditions
        client.get(page.url)

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert counts[1] <= 25  # one query loads the corrections and updates
    assert "Paragraph 96." in response.text


def test_unknown_address_gets_the_site_404_page(client, home_page):
    response = client.get("/health/no-such-story/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.parametrize(
    "path", ["/", "/health/", "/health/a-story-about-health/", "/search/?q=health", "/feed/"]
)
def test_anonymous_pages_set_no_cookies_so_caches_can_share_them(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
