"""Drafts, private, scheduled and expired stories reach no reader through any channel.

Every hidden story (both story types, every way of hiding) carries the word
"Quokka" in its headline, its standfirst, a tag, a byline and reader comments
shared with one visible story, so each listing, feed, sitemap, API answer and
comment view that shows the visible one is asked to show them too.
"""

from datetime import timedelta
from html import unescape

import pytest

from django.utils import timezone

from wagtail.models import PageViewRestriction

from news.models import StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

STATES = ["draft", "password", "login", "scheduled", "expired"]
TYPES = {"article": NewsArticlePageFactory, "liveblog": LiveBlogPageFactory}


def secret(state: str, kind: str) -> str:
    return f"Secretword{state}{kind}"


@pytest.fixture
def world(home_page, health):
    """One visible story and, for each story type and way of hiding, one hidden story."""
    author = AuthorFactory(name="Quokka Reporter", slug="quokka-reporter")
    sections = {
        "password": CategoryIndexPageFactory(parent=home_page, title="Password section"),
        "login": CategoryIndexPageFactory(parent=home_page, title="Members section"),
    }
    PageViewRestriction.objects.create(page=sections["password"], restriction_type="password", password="pw")
    PageViewRestriction.objects.create(page=sections["login"], restriction_type="login")

    def story(factory, parent, title, **fields):
        page = factory(parent=parent, title=title, standfirst=f"{title} standfirst about quokka.", **fields)
        page.tags.add("quokka")
        StoryAuthor.objects.create(page=page, author=author)
        page.save()
        for n in range(3):
            ReaderCommentFactory(article=page, comment=f"Comment {n} on {title}")
        return page

    visible = story(NewsArticlePageFactory, health, "Quokka visible story")
    story(LiveBlogPageFactory, health, "Quokka visible live blog")
    hidden = {}
    for state in STATES:
        for kind, factory in TYPES.items():
            fields = {}
            parent = sections.get(state, health)
            if state == "draft":
                fields["live"] = False
            elif state == "scheduled":
                fields.update(live=False, go_live_at=timezone.now() + timedelta(days=1))
            elif state == "expired":
                fields["expire_at"] = timezone.now() - timedelta(minutes=5)
            page = story(factory, parent, f"Quokka {secret(state, kind)}", **fields)
            if kind == "liveblog":
                LiveBlogEntryFactory(page=page, headline=f"Entry {secret(state, kind)}")
            hidden[(state, kind)] = page
    # An editor's lead story that later expired.
    home_page.make_lead_story(hidden[("expired", "article")])
    home_page.save()
    return {"visible": visible, "hidden": hidden, "author": author}


def assert_no_secret(text: str, where: str) -> None:
    """No hidden story's headline, standfirst, slug or entry (slugs are lower case)."""
    text = unescape(text).lower()
    for state in STATES:
        for kind in TYPES:
            assert secret(state, kind).lower() not in text, f"{state} {kind} shown by {where}"


def test_hidden_story_urls_show_nothing_of_the_story(client, world):
    for (state, kind), page in world["hidden"].items():
        for url in [
            page.url_path.removeprefix("/home"),
            page.url_path.removeprefix("/home") + "entries/?after=0",
        ]:
            response = client.get(url)
            assert response.status_code in (302, 401, 403, 404) or state == "password", (state, kind, url)
            # A password form sends the visitor back to the address they typed: not a leak.
            assert_no_secret(response.content.decode().replace(url.split("?")[0], ""), url)


CHANNELS = [
    "/",
    "/health/",
    "/tags/quokka/",
    "/authors/quokka-reporter/",
    "/search/?q=quokka",
    "/search/?q=standfirst",
    "/feed/",
    "/feed/atom/",
    "/health/feed/",
    "/health/feed/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/api/v2/pages/",
    "/api/v2/pages/?search=quokka",
    "/api/v2/pages/?type=news.NewsArticlePage&fields=*",
    "/api/v2/pages/?type=news.LiveBlogPage&fields=*",
    "/api/v2/pages/?type=news.NewsArticlePage&tags=quokka",
]


def test_listings_feeds_sitemaps_search_and_api_leave_hidden_stories_out(client, world):
    """One world for every channel: building it is the slow part."""
    for url in CHANNELS:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "quokka visible" in unescape(text).lower() or "quokka-visible" in text, url
        assert_no_secret(text, url)


def test_visible_story_page_relates_and_counts_only_visible_stories(client, world):
    response = client.get(world["visible"].url)
    assert response.status_code == 200
    assert_no_secret(response.text, "the visible story's page (related panel)")


def test_home_page_most_discussed_and_lead_leave_hidden_stories_out(client, world, home_page):
    html = client.get(home_page.url).text
    assert "Quokka visible story" in html
    assert_no_secret(html, "the front page")


def test_api_detail_and_find_of_hidden_stories_are_not_found(client, world):
    for (state, kind), page in world["hidden"].items():
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404, (state, kind)
        found = client.get("/api/v2/pages/find/", {"id": page.pk})
        assert found.status_code == 404, (state, kind)
        by_path = client.get("/api/v2/pages/find/", {"html_path": page.url_path.removeprefix("/home")})
        assert by_path.status_code == 404, (state, kind)


def test_comment_views_of_hidden_stories_are_not_found(client, world):
    for (state, kind), page in world["hidden"].items():
        for comment in page_comments(page):
            for url in [
                f"/comments/flag/{comment.pk}/",
                f"/comments/reply/{comment.pk}/",
                f"/comments/link/{comment.pk}/",
                f"/comments/posted/?c={comment.pk}",
            ]:
                response = client.get(url)
                assert response.status_code == 404, (state, kind, url)
                assert_no_secret(response.content.decode(), url)


def test_signed_in_reader_still_sees_no_draft_scheduled_or_expired_story(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    for (state, kind), page in world["hidden"].items():
        if state not in ("password", "login"):
            response = client.get(page.url_path.removeprefix("/home"))
            assert response.status_code == 404, (state, kind)


def page_comments(page):
    from django.contrib.contenttypes.models import ContentType

    from discussion.models import ReaderComment

    return ReaderComment.objects.filter(
        content_type=ContentType.objects.get_for_model(page), object_pk=str(page.pk)
    )
