"""Look-ups every page makes, kept in the fragment cache between requests and never stale:
the page an address names, the site's settings, and which pages are private.

Each test first shows that the look-up is kept (a change written straight to
the database, as no editor can, does not show), then that the editor's action
does.
"""

from bs4 import BeautifulSoup

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from core import fragments
from core.privacy import restricted_paths
from news.models import DiscoverySettings
from tests.factories import NewsArticlePageFactory


def publish(page, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    return page


def related_titles(client, url: str) -> list[str]:
    soup = BeautifulSoup(client.get(url).text, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".related .card__title a")]


def test_a_kept_address_saves_queries(client, article):
    client.get(article.url)
    with CaptureQueriesContext(connection) as first:
        client.get(article.url)
    fragments.bump(fragments.PAGES)
    with CaptureQueriesContext(connection) as after_a_publish:
        client.get(article.url)
    # The route, the private pages' paths, the related ranking and the parents
    # (breadcrumbs, the cards' sections, the menu) are looked up again after a publish.
    assert len(first) + 4 == len(after_a_publish)


def test_a_renamed_page_answers_at_its_new_address_at_once(client, health, article):
    old_url = article.url
    assert client.get(old_url).status_code == 200

    publish(article.specific, slug="a-new-address")
    renamed = type(article).objects.get(pk=article.pk)
    assert renamed.url.endswith("/a-new-address/")
    assert client.get(renamed.url).status_code == 200
    assert client.get(old_url).status_code != 200


def test_a_deleted_page_is_gone_at_once(client, article):
    url = article.url
    assert client.get(url).status_code == 200
    article.delete()
    assert client.get(url).status_code == 404


def test_a_moved_page_answers_at_its_new_address(client, home_page, health, article):
    from tests.factories import CategoryIndexPageFactory

    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.move(science, pos="last-child")
    article.refresh_from_db()
    assert client.get(article.url).status_code == 200
    assert article.url != old_url


def test_site_settings_are_kept_until_saved(client, site, health, article):
    for n in range(3):
        publish(NewsArticlePageFactory(parent=health, title=f"Neighbour {n}"))
    discovery = DiscoverySettings.for_site(site)
    discovery.related_count = 3
    discovery.save()
    assert len(related_titles(client, article.url)) == 3

    DiscoverySettings.objects.filter(pk=discovery.pk).update(related_count=1)
    assert len(related_titles(client, article.url)) == 3  # kept

    discovery.refresh_from_db()
    discovery.related_count = 2
    discovery.save()
    assert len(related_titles(client, article.url)) == 2


def front_page_text(client) -> str:
    return BeautifulSoup(client.get("/").text, "html.parser").get_text()


def test_a_page_made_private_is_private_at_once(client, article):
    assert client.get(article.url).status_code == 200
    assert "A story about health" in front_page_text(client)
    assert restricted_paths() == []
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
    assert restricted_paths() == [article.path]
    response = client.get(article.url)
    assert response.status_code == 200 and "password" in response.text.lower()
    assert "A story about health" not in front_page_text(client)


def test_a_restriction_saved_in_a_transaction_is_bumped_again_at_commit(
    article, django_capture_on_commit_callbacks
):
    restricted_paths()
    before = fragments.current_versions()[fragments.PAGES]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
        at_the_change = fragments.current_versions()[fragments.PAGES]
        # A reader in another transaction would see no restriction yet, and keep that.
        key = fragments.versioned_key(None, "restricted-paths", [fragments.PAGES])
        fragments.put(key, [], size=0)
    after_commit = fragments.current_versions()[fragments.PAGES]
    assert before != at_the_change != after_commit
    assert restricted_paths() == [article.path]
