"""Which stories the front page's packages show is kept between renderings, and never stale.

Each test first shows that the choice is kept (a change written straight to
the database, as no editor can, does not show), then that the action that
changes it (a publish, an unpublish, a move, a comment, a new layout) does.
"""

from datetime import timedelta

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import NewsArticlePage
from tests.factories import CategoryIndexPageFactory, ReaderCommentFactory
from tests.home.test_packages import FRONT_PAGE_QUERY_BUDGET, arrange, packages, pick, story


def headlines(client) -> list[str]:
    return [title for _, titles in packages(client) for title in titles]


def written_behind_the_sites_back(parent, title: str) -> NewsArticlePage:
    """A live story added without publishing: nothing tells the site it exists."""
    page = NewsArticlePage(title=title, slug=title.lower().replace(" ", "-"), live=True)
    page.first_published_at = page.display_date = timezone.now()
    return parent.add_child(instance=page)


@pytest.fixture
def front_page(home_page, health):
    story(health, "First", hours=2)
    story(health, "Second", hours=3)
    arrange(home_page, ("top_stories", {"stories": [], "count": 3}))
    return home_page


def test_the_choice_is_kept_until_a_story_is_published(client, front_page, health):
    assert headlines(client) == ["First", "Second"]
    hidden = written_behind_the_sites_back(health, "Unannounced")
    assert headlines(client) == ["First", "Second"]

    hidden.save_revision().publish()
    assert headlines(client) == ["Unannounced", "First", "Second"]


def test_an_unpublished_story_leaves_at_once(client, front_page):
    assert "First" in headlines(client)
    NewsArticlePage.objects.get(title="First").unpublish()
    assert headlines(client) == ["Second"]


def test_a_story_moved_out_of_the_site_leaves_at_once(client, front_page):
    elsewhere = CategoryIndexPageFactory(parent=front_page.get_parent(), title="Another site's section")
    assert "First" in headlines(client)
    NewsArticlePage.objects.get(title="First").move(elsewhere, pos="last-child")
    assert headlines(client) == ["Second"]


def test_a_story_made_private_leaves_at_once(client, front_page):
    from wagtail.models import PageViewRestriction

    assert "First" in headlines(client)
    PageViewRestriction.objects.create(
        page=NewsArticlePage.objects.get(title="First"), restriction_type="password", password="x"
    )
    assert headlines(client) == ["Second"]


def test_a_story_that_expires_while_the_choice_is_kept_drops_out(client, front_page):
    assert "First" in headlines(client)
    # Expiry sends no signal until the scheduled job unpublishes the story.
    NewsArticlePage.objects.filter(title="First").update(expire_at=timezone.now() - timedelta(minutes=1))
    assert headlines(client) == ["Second"]


def test_a_new_layout_shows_at_once(client, front_page, health):
    assert headlines(client) == ["First", "Second"]
    second = NewsArticlePage.objects.get(title="Second")
    arrange(front_page, ("top_stories", {"stories": [pick(second, "Second, picked")], "count": 1}))
    assert headlines(client) == ["Second, picked"]


def test_a_comment_reorders_most_discussed_at_once(client, home_page, health):
    quiet, busy = story(health, "Quiet", hours=1), story(health, "Busy", hours=2)
    ReaderCommentFactory(article=quiet)
    arrange(home_page, ("ranked_list", {"ranking": "most_discussed", "count": 3, "include_shown": True}))
    assert headlines(client) == ["Quiet"]

    ReaderCommentFactory.create_batch(2, article=busy)
    assert headlines(client) == ["Busy", "Quiet"]


def test_a_kept_choice_saves_queries_and_a_preview_is_never_kept(client, front_page, rf):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert len(warm) < len(cold) <= FRONT_PAGE_QUERY_BUDGET

    preview = front_page.specific
    preview.layout = [{"type": "top_stories", "value": {"stories": [], "count": 1}}]
    request = rf.get("/")
    request.is_preview = True
    assert [len(package.cards) for package in preview.get_packages(request)] == [1]
    assert headlines(client) == ["First", "Second"]


def test_with_the_cache_down_the_front_page_renders_and_is_never_stale(
    client, front_page, health, monkeypatch
):
    class DownCache:
        """A cache backend that raises on every call, as Django's RedisCache does in an outage."""

        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("cache down")

            return down

    monkeypatch.setattr("core.fragments.cache", DownCache())
    assert headlines(client) == ["First", "Second"]
    written_behind_the_sites_back(health, "Unannounced")
    assert headlines(client) == ["Unannounced", "First", "Second"]
