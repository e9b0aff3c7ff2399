"""Publishing, moving, deleting and reader comments purge exactly the pages they change."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from django_comments_xtd.models import XtdComment

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.contrib.frontend_cache.utils import get_backends

from discussion.models import ReaderComment, ReaderCommentSettings
from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

SITE_LISTINGS = {
    "http://localhost/feed/",
    "http://localhost/feed/atom/",
    "http://localhost/sitemap.xml",
    "http://localhost/sitemap-news.xml",
}
API_LISTING = "http://localhost/api/v2/pages/"


def api(page) -> set[str]:
    """The API's listing and the page's own API address."""
    return {API_LISTING, f"http://localhost/api/v2/pages/{page.pk}/"}


HEALTH = {"http://localhost/health/", "http://localhost/health/feed/", "http://localhost/health/feed/atom/"}
ARTICLE = "http://localhost/health/a-story-about-health/"


def test_publishing_an_article_purges_it_its_sections_home_feeds_and_sitemaps(purged, article):
    with purged() as urls:
        article.save_revision().publish()
    assert urls == {ARTICLE, *HEALTH, "http://localhost/", *SITE_LISTINGS, *api(article)}


def test_publishing_in_a_nested_section_purges_every_section_above(purged, health):
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    story = NewsArticlePageFactory(parent=oncology, title="Deep story")
    with purged() as urls:
        story.save_revision().publish()
    assert urls == {
        "http://localhost/health/oncology/deep-story/",
        "http://localhost/health/oncology/",
        "http://localhost/health/oncology/feed/",
        "http://localhost/health/oncology/feed/atom/",
        *HEALTH,
        "http://localhost/",
        *SITE_LISTINGS,
        *api(story),
    }


def test_publishing_a_section_purges_its_own_feeds(purged, health):
    with purged() as urls:
        health.save_revision().publish()
    assert urls == {*HEALTH, "http://localhost/", *SITE_LISTINGS, *api(health)}


def test_publishing_the_home_page_purges_it_and_the_site_listings(purged, home_page):
    with purged() as urls:
        home_page.save_revision().publish()
    assert urls == {"http://localhost/", *SITE_LISTINGS, *api(home_page)}


def test_unpublishing_purges_the_same_pages(purged, article):
    with purged() as urls:
        article.unpublish()
    assert urls == {ARTICLE, *HEALTH, "http://localhost/", *SITE_LISTINGS, *api(article)}


def test_deleting_a_page_purges_it_and_its_listings(purged, article):
    with purged() as urls:
        pk = article.pk
        article.delete()
    assert urls == {ARTICLE, *HEALTH, "http://localhost/", *SITE_LISTINGS, API_LISTING, f"{API_LISTING}{pk}/"}


def test_moving_purges_the_old_and_new_address_and_both_sections(purged, article, home_page):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    with purged() as urls:
        article.move(science, pos="last-child")
    assert urls == {
        ARTICLE,
        *HEALTH,
        "http://localhost/science/a-story-about-health/",
        "http://localhost/science/",
        "http://localhost/science/feed/",
        "http://localhost/science/feed/atom/",
        "http://localhost/",
        *SITE_LISTINGS,
        *api(article),
    }


def section_with_stories(health):
    """Health with a story and a sub-section holding another."""
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    NewsArticlePageFactory(parent=oncology, title="Trial results")
    return oncology


OLD_ADDRESSES_BELOW_HEALTH = {
    ARTICLE,
    "http://localhost/health/oncology/",
    "http://localhost/health/oncology/feed/",
    "http://localhost/health/oncology/feed/atom/",
    "http://localhost/health/oncology/trial-results/",
}


def test_moving_a_section_purges_the_old_address_of_everything_below_it(purged, article, health, home_page):
    section_with_stories(health)
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    with purged() as urls:
        health.move(world, pos="last-child")
    assert OLD_ADDRESSES_BELOW_HEALTH <= urls
    assert {"http://localhost/world/health/", "http://localhost/world/"} <= urls


def test_renaming_a_section_purges_the_old_address_of_everything_below_it(purged, article, health):
    section_with_stories(health)
    health.slug = "wellbeing"
    with purged() as urls:
        health.save_revision().publish()
    assert {"http://localhost/health/", *OLD_ADDRESSES_BELOW_HEALTH} <= urls
    assert "http://localhost/wellbeing/" in urls


def test_varnish_gets_one_prefix_purge_for_a_moved_section_not_one_per_story(
    settings, purge_server, article, health, home_page, django_capture_on_commit_callbacks
):
    section_with_stories(health)
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "core.purging.TimeoutHTTPBackend", "LOCATION": purge_server}
    }
    with django_capture_on_commit_callbacks(execute=True):
        health.move(world, pos="last-child")
    assert PurgeRecorder.prefixes == ["/health/"]
    purged_paths = {path for _, _, path in PurgeRecorder.received}
    assert "/health/oncology/trial-results/" not in purged_paths
    assert {"/health/", "/world/health/", "/world/"} <= purged_paths


def test_a_story_purges_its_tag_and_author_pages(purged, article):
    article.tags.add("vaccines")
    article.save()
    StoryAuthor.objects.create(page=article, author=AuthorFactory(name="Ada Lee", slug="ada-lee"))
    with purged() as urls:
        article.save_revision().publish()
    assert {"http://localhost/tags/vaccines/", "http://localhost/authors/ada-lee/"} <= urls


def test_publishing_a_live_blog_purges_its_polling_answers(purged, health):
    live_blog = LiveBlogPageFactory(parent=health, title="Vote count")
    with purged() as urls:
        live_blog.save_revision().publish()
    assert {"http://localhost/health/vote-count/", "http://localhost/health/vote-count/entries/"} <= urls


def test_a_page_may_name_more_urls_to_purge(purged, article, monkeypatch):
    monkeypatch.setattr(
        type(article),
        "get_cache_purge_urls",
        lambda self: ["/tags/vaccines/", "https://other.example/authors/ada/"],
        raising=False,
    )
    with purged() as urls:
        article.save_revision().publish()
    assert urls == {
        ARTICLE,
        *HEALTH,
        "http://localhost/",
        *SITE_LISTINGS,
        *api(article),
        "http://localhost/tags/vaccines/",
        "https://other.example/authors/ada/",
    }


COMMENTED = {ARTICLE, "http://localhost/health/", "http://localhost/"}


def test_a_public_reader_comment_purges_its_article_and_the_cards_counting_it(purged, article):
    with purged() as urls:
        ReaderCommentFactory(article=article)
    assert urls == COMMENTED


def test_a_comment_held_for_moderation_purges_nothing(purged, article):
    with purged() as urls:
        ReaderCommentFactory(article=article, is_public=False)
    assert urls == set()


def test_a_moderator_hiding_a_comment_in_the_editor_purges_its_article(purged, article):
    comment = ReaderCommentFactory(article=article)
    with purged() as urls:
        comment.is_public = False
        comment.save()
    assert urls == COMMENTED


def test_saving_a_comment_without_changing_its_visibility_purges_nothing(purged, article):
    comment = ReaderCommentFactory(article=article)
    comment = type(comment).objects.get(pk=comment.pk)
    with purged() as urls:
        comment.followup = True
        comment.save()
    assert urls == set()


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("moderator", email="mod@example.org", password="pw")
    user.groups.add(Group.objects.get(name="Reader comment moderators"))
    return user


@pytest.mark.parametrize("action", ["approve_reader_comments", "remove_reader_comments"])
def test_a_moderators_bulk_decision_purges_the_article(purged, article, moderator, client, action):
    comment = ReaderCommentFactory(article=article, is_public=False)
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=("discussion", "readercomment", action))
    with purged() as urls:
        response = client.post(f"{url}?{urlencode({'id': comment.pk})}")
    assert response.status_code == 302
    assert urls == COMMENTED


@pytest.mark.parametrize("decision", ["approve", "remove", "spam"])
def test_a_moderators_one_click_decision_purges_the_article(purged, article, moderator, client, decision):
    comment = ReaderCommentFactory(article=article, is_public=decision != "approve")
    client.force_login(moderator)
    url = reverse(ReaderComment.snippet_viewset.get_url_name("moderate"), args=[comment.pk, decision])
    with purged() as urls:
        response = client.post(url)
    assert response.status_code == 302
    assert urls == COMMENTED


def test_without_varnish_url_no_purge_is_sent(settings, article, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    assert get_backends() == {}
    with django_capture_on_commit_callbacks() as callbacks:
        article.save_revision().publish()
    # The fragment cache's versions are bumped again at commit; nothing is purged.
    assert [callback for callback in callbacks if callback.__module__ != "core.fragments"] == []


class PurgeRecorder(BaseHTTPRequestHandler):
    received: list[tuple[str, str, str]] = []
    prefixes: list[str] = []
    secrets: list[str | None] = []

    def do_PURGE(self) -> None:
        PurgeRecorder.received.append((self.command, self.headers["Host"], self.path))
        PurgeRecorder.secrets.append(self.headers.get("X-Purge-Secret"))
        if self.headers.get("X-Purge-Scope") == "prefix":
            PurgeRecorder.prefixes.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def purge_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.received = []
    PurgeRecorder.prefixes = []
    PurgeRecorder.secrets = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_publishing_sends_real_purge_requests_to_varnish(
    settings, purge_server, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "core.purging.TimeoutHTTPBackend", "LOCATION": purge_server}
    }
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert ("PURGE", "localhost", "/health/a-story-about-health/") in PurgeRecorder.received
    assert ("PURGE", "localhost", "/sitemap-news.xml") in PurgeRecorder.received
    assert (
        len(PurgeRecorder.received) == 11
    )  # the page, home, section and its feeds, site feeds, sitemaps, API listing and detail


PURGE_SECRET = "purge-secret-" + "s" * 32


def test_every_purge_carries_varnishs_secret_single_and_by_prefix(
    settings, purge_server, article, health, home_page, django_capture_on_commit_callbacks
):
    section_with_stories(health)
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "core.purging.TimeoutHTTPBackend",
            "LOCATION": purge_server,
            "PURGE_SECRET": PURGE_SECRET,
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
        health.move(world, pos="last-child")
    assert PurgeRecorder.prefixes == ["/health/"]
    assert len(PurgeRecorder.secrets) == len(PurgeRecorder.received) > 11
    assert set(PurgeRecorder.secrets) == {PURGE_SECRET}


def test_an_unreachable_varnish_does_not_break_publishing(
    settings, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "core.purging.TimeoutHTTPBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.live


def test_a_comment_loaded_with_deferred_fields_can_be_saved(purged, article):
    comment = ReaderCommentFactory(article=article)
    partial = XtdComment.norel_objects.only("pk", "comment").get(pk=comment.pk)
    with purged() as urls:
        partial.is_removed = True
        partial.save()
    assert urls == COMMENTED


def test_readers_flags_hiding_a_comment_purge_its_article(purged, client, article, site):
    ReaderCommentSettings.objects.update_or_create(site=site, defaults={"flags_to_hide": 2})
    comment = ReaderCommentFactory(article=article)
    client.post(f"/comments/flag/{comment.pk}/", REMOTE_ADDR="198.51.100.1")
    with purged() as urls:
        client.post(f"/comments/flag/{comment.pk}/", REMOTE_ADDR="198.51.100.2")
    assert urls == COMMENTED
