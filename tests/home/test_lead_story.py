from datetime import timedelta

from django.utils import timezone

from tests.factories import NewsArticlePageFactory
from tests.news.helpers import card_titles, section


def lead_story(client, home_page) -> list[str]:
    response = client.get(home_page.url)
    assert response.status_code == 200
    return card_titles(section(response.text, "lead-story"))


def test_newest_article_leads_without_an_editors_pick(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="Older", display_date=timezone.now() - timedelta(days=1))
    NewsArticlePageFactory(parent=health, title="Newest")
    assert lead_story(client, home_page) == ["Newest"]


def test_editors_pick_leads_the_front_page(client, home_page, health):
    pick = NewsArticlePageFactory(
        parent=health, title="Editor's pick", display_date=timezone.now() - timedelta(7)
    )
    NewsArticlePageFactory(parent=health, title="Newest")
    assert home_page.make_lead_story(pick)
    home_page.save()
    assert lead_story(client, home_page) == ["Editor's pick"]
    assert home_page.picked_lead_story() == pick
    # Picking it again changes nothing.
    assert not home_page.make_lead_story(pick)


def test_unpublished_pick_gives_way_to_the_newest_article(client, home_page, health):
    pick = NewsArticlePageFactory(parent=health, title="Withdrawn pick")
    NewsArticlePageFactory(parent=health, title="Newest", display_date=timezone.now() - timedelta(hours=1))
    home_page.make_lead_story(pick)
    home_page.save()
    pick.unpublish()
    assert lead_story(client, home_page) == ["Newest"]


def test_editors_arrange_the_front_page_in_the_home_page_editor(admin_client, home_page):
    response = admin_client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert response.status_code == 200
    for package in ("Top stories", "Live now", "Section", "Opinion and analysis", "Most discussed", "Promo"):
        assert package in response.text
