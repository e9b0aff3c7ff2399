from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from news.models import DiscoverySettings, NewsArticlePage, RelatedPage
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory
from tests.news.helpers import card_titles, section


def related_titles(client, article) -> list[str]:
    response = client.get(article.url)
    assert response.status_code == 200
    return card_titles(section(response.text, "related"))


def tagged(article, *names):
    article.tags.add(*names)
    article.save()
    return article


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def science(home_page):
    return CategoryIndexPageFactory(parent=home_page, title="Science")


def test_automatic_slots_rank_shared_tags_then_section_then_newest(client, health, science):
    article = tagged(NewsArticlePageFactory(parent=health, title="Main story"), "virus", "lungs", "cancer")
    tagged(
        NewsArticlePageFactory(parent=science, title="Two shared tags", display_date=days_ago(30)),
        "virus",
        "lungs",
    )
    tagged(
        NewsArticlePageFactory(parent=science, title="One shared tag", display_date=days_ago(20)),
        "cancer",
        "diet",
    )
    NewsArticlePageFactory(parent=health, title="Same section, older", display_date=days_ago(10))
    NewsArticlePageFactory(parent=science, title="Other section, newest", display_date=days_ago(1))
    NewsArticlePageFactory(parent=science, title="Other section, old", display_date=days_ago(40))

    assert related_titles(client, article) == [
        "Two shared tags",
        "One shared tag",
        "Same section, older",
        "Other section, newest",
    ]


def test_editor_picks_come_first_in_the_editors_order(client, health, science):
    article = tagged(NewsArticlePageFactory(parent=health, title="Main story"), "virus")
    first_pick = NewsArticlePageFactory(parent=science, title="First pick", display_date=days_ago(100))
    tagged(NewsArticlePageFactory(parent=science, title="Shares a tag"), "virus")
    RelatedPage.objects.create(page=article, related_page=science, sort_order=1)
    RelatedPage.objects.create(page=article, related_page=first_pick, sort_order=0)

    assert related_titles(client, article) == ["First pick", "Science", "Shares a tag"]


def test_picked_sections_and_home_page_show_no_section_label(client, home_page, health, science):
    article = NewsArticlePageFactory(parent=health, title="Main story")
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    for order, page in enumerate([home_page, science, oncology]):
        RelatedPage.objects.create(page=article, related_page=page, sort_order=order)

    panel = section(client.get(article.url).text, "related")

    assert card_titles(panel) == ["Home", "Science", "Oncology"]
    assert panel.count('class="card__kicker"') == 1
    assert '<p class="card__kicker">Health</p>' in panel


def test_panel_never_shows_the_article_drafts_expired_or_private_pages(client, home_page, health):
    article = NewsArticlePageFactory(parent=health, title="Main story")
    tagged(article, "virus")
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    hidden = [
        NewsArticlePageFactory(parent=health, title="Draft", live=False),
        NewsArticlePageFactory(parent=health, title="Expired", live=False, expired=True),
        NewsArticlePageFactory(
            parent=health, title="Past expiry", expire_at=timezone.now() - timedelta(hours=1)
        ),
        NewsArticlePageFactory(parent=members, title="Members only"),
    ]
    for page in hidden:
        tagged(page, "virus")
        RelatedPage.objects.create(page=article, related_page=page)
    RelatedPage.objects.create(page=article, related_page=article)
    NewsArticlePageFactory(parent=health, title="Visible", display_date=days_ago(5))

    assert related_titles(client, article) == ["Visible"]


def test_number_of_slots_is_a_site_setting(client, site, health):
    article = NewsArticlePageFactory(parent=health, title="Main story")
    for n in range(6):
        NewsArticlePageFactory(parent=health, title=f"Other {n}")
    assert len(related_titles(client, article)) == 4

    DiscoverySettings.objects.update_or_create(site=site, defaults={"related_count": 2})
    assert len(related_titles(client, article)) == 2

    discovery = DiscoverySettings.for_site(site)
    discovery.related_count = 0
    discovery.save()
    response = client.get(article.url)
    assert "You may also like" not in response.text


def test_items_show_thumbnail_headline_category_and_date(client, health):
    article = NewsArticlePageFactory(parent=health, title="Main story")
    NewsArticlePageFactory(
        parent=health,
        title="Pictured story",
        lead_image=wagtail_factories.ImageFactory(),
        display_date=datetime(2025, 3, 14, tzinfo=dt_timezone.utc),
    )

    panel = section(client.get(article.url).text, "related")

    assert '<img alt="" class="card__image"' in panel
    assert "Pictured story" in panel
    assert '<p class="card__kicker">Health</p>' in panel
    assert "14 March 2025" in panel


def _build_candidates(count: int, health, science, images, prefix: str):
    for n in range(count):
        candidate = NewsArticlePageFactory(
            parent=health if n % 2 else science,
            title=f"{prefix} candidate {n}",
            lead_image=images[n % len(images)],
        )
        tagged(candidate, *[f"tag-{t}" for t in range(n % 4)])


def _count_queries(client, url) -> int:
    client.get(url)  # renditions are generated once, on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_related_panel_costs_a_fixed_number_of_queries(
    client, health, science, django_assert_max_num_queries
):
    images = [wagtail_factories.ImageFactory() for _ in range(5)]
    article = tagged(NewsArticlePageFactory(parent=health, title="Main story"), "tag-0", "tag-1", "tag-2")
    RelatedPage.objects.create(page=article, related_page=science, sort_order=0)
    _build_candidates(5, health, science, images, prefix="First")
    RelatedPage.objects.create(
        page=article, related_page=NewsArticlePage.objects.get(slug="first-candidate-1"), sort_order=1
    )
    few = _count_queries(client, article.url)

    _build_candidates(50, health, science, images, prefix="More")
    many = _count_queries(client, article.url)

    assert many == few
    with django_assert_max_num_queries(15):
        response = client.get(article.url)
    assert len(card_titles(section(response.text, "related"))) == 4

    # The panel alone, as the article's view builds it, with every kind of item:
    # a picked section, a picked article and automatic articles with thumbnails.
    article = NewsArticlePage.objects.get(pk=article.pk)
    with django_assert_max_num_queries(12):
        items = article.get_related_items(limit=4)
    assert [item.title for item in items[:2]] == ["Science", "First candidate 1"]
    assert len(items) == 4
