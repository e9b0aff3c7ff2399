"""Fragments kept between renderings (header, footer, body, related ranking) are never stale.

Each test first shows that the fragment is kept (a change written straight to
the database, as no editor can, does not show), then that the editor's action
(a publish, an unpublish, a move, a correction, a comment, a menu change)
does.
"""

import socket

import pytest

from django.test import override_settings
from django.utils import timezone

from core.models import SiteIdentity
from news.models import DiscoverySettings, NewsArticlePage, StoryCorrection
from news.templatetags.story_fragments import story_body_key
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, ReaderCommentFactory


def publish(page, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    return page


def published_article(parent, title, body_text="The original paragraph.", tags=()):
    page = NewsArticlePageFactory(parent=parent, title=title, body=[("paragraph", f"<p>{body_text}</p>")])
    if tags:
        page.tags.add(*tags)
    return publish(page)


def related_panel(html: str) -> str:
    if 'id="related-heading"' not in html:
        return ""
    return html.split('id="related-heading"', 1)[1].split("</aside>", 1)[0]


def nav(html: str) -> str:
    return html.split('aria-label="Sections"', 1)[1].split("</nav>", 1)[0]


# -- the header and footer -----------------------------------------------------


def test_the_navigation_is_kept_until_a_section_is_renamed(client, home_page, health, article):
    client.get(article.url)  # the site's settings are made on the first view
    assert "Health" in nav(client.get(article.url).text)
    type(health).objects.filter(pk=health.pk).update(title="Written behind the site's back")
    assert "Health" in nav(client.get(article.url).text)

    publish(health.specific, title="Wellbeing")
    assert "Wellbeing" in nav(client.get(article.url).text)


def test_a_new_section_appears_at_once(client, home_page, health, article):
    client.get(article.url)
    CategoryIndexPageFactory(parent=home_page, title="Climate")
    publish(type(health).objects.get(title="Climate"))
    assert "Climate" in nav(client.get(article.url).text)


def test_an_unpublished_section_leaves_the_navigation(client, home_page, health, article):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    assert "Science" in nav(client.get(article.url).text)
    science.unpublish()
    assert "Science" not in nav(client.get(article.url).text)


def test_a_moved_section_leaves_the_navigation(client, home_page, health, article):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    assert "Science" in nav(client.get(article.url).text)
    science.move(health, pos="last-child")
    assert "Science" not in nav(client.get(article.url).text)


def test_the_current_section_is_marked_on_each_sections_pages(client, home_page, health, article):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    other = NewsArticlePageFactory(parent=science, title="A science story")
    health_nav = nav(client.get(article.url).text)
    science_nav = nav(client.get(other.url).text)
    assert f'href="{health.url}" aria-current="true"' in health_nav
    assert f'href="{science.url}" aria-current="true"' in science_nav
    assert f'href="{health.url}" aria-current="true"' not in science_nav


def test_a_new_site_name_shows_in_header_and_footer_at_once(client, site, article):
    client.get(article.url)
    identity = SiteIdentity.for_site(site)
    identity.site_name = "The Daily Example"
    identity.save()
    html = client.get(article.url).text
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert "The Daily Example" in header and "The Daily Example" in footer


# -- the story's body ----------------------------------------------------------


def test_the_body_is_kept_until_a_correction_is_published(client, health):
    story = published_article(health, "A story with a mistake", "The dam is 40 metres high.")
    assert "40 metres" in client.get(story.url).text
    # Rendered from the published revision, kept while it is the live one.
    html = client.get(story.url).text
    assert "40 metres" in html

    story = NewsArticlePage.objects.get(pk=story.pk)
    story.body = [("paragraph", "<p>The dam is 14 metres high.</p>")]
    story.corrections.add(
        StoryCorrection(kind="correction", date=timezone.now(), text="The height was wrong.")
    )
    publish(story)
    html = client.get(story.url).text
    assert "14 metres" in html and "40 metres" not in html and "The height was wrong." in html


def test_a_link_in_the_body_follows_the_page_it_links_to(client, home_page, health):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    target = published_article(health, "Background story")
    story = published_article(health, "Story with a link")
    story.body = [("paragraph", f'<p>See <a linktype="page" id="{target.pk}">the background</a>.</p>')]
    publish(story)
    assert f'href="{target.url}"' in client.get(story.url).text

    target.move(science, pos="last-child")
    target.refresh_from_db()
    html = client.get(story.url).text
    assert "/science/background-story/" in target.url and f'href="{target.url}"' in html


def test_a_new_comment_shows_at_once(client, health):
    story = published_article(health, "A discussed story")
    assert "0 comments" in client.get(story.url).text
    ReaderCommentFactory(article=story, comment="First to comment.")
    html = client.get(story.url).text
    assert "1 comment" in html and "First to comment." in html


def test_a_body_over_the_size_cap_is_rendered_each_time(client, health, settings):
    settings.FRAGMENT_CACHE_MAX_BYTES = 1000
    story = published_article(health, "A long story", "Long sentence. " * 200)
    client.get(story.url)
    NewsArticlePage.objects.filter(pk=story.pk).update(body=[("paragraph", "<p>Replaced in place.</p>")])
    assert "Replaced in place." in client.get(story.url).text


def test_a_body_under_the_size_cap_is_kept(client, health, settings):
    settings.FRAGMENT_CACHE_MAX_BYTES = 100_000
    story = published_article(health, "A short story", "Short sentence.")
    client.get(story.url)
    NewsArticlePage.objects.filter(pk=story.pk).update(body=[("paragraph", "<p>Replaced in place.</p>")])
    assert "Replaced in place." not in client.get(story.url).text


def test_a_preview_is_never_kept(rf, health):
    story = NewsArticlePage.objects.get(pk=published_article(health, "A previewed story").pk)
    request = rf.get(story.url)
    request.is_preview = True
    assert story_body_key({"request": request}, story) is None
    request.is_preview = False
    assert story_body_key({"request": request}, story) is not None


# -- the related ranking -------------------------------------------------------


def test_a_newly_published_story_joins_the_related_panel(client, health):
    story = published_article(health, "A story about rivers", tags=["rivers"])
    published_article(health, "An older river story", tags=["rivers"])
    assert "An older river story" in related_panel(client.get(story.url).text)

    newest = NewsArticlePageFactory(parent=health, title="A fresh river story", live=False)
    newest.tags.add("rivers")
    assert "A fresh river story" not in related_panel(client.get(story.url).text)
    publish(newest)
    assert "A fresh river story" in related_panel(client.get(story.url).text)


def test_an_unpublished_story_leaves_the_related_panel(client, health):
    story = published_article(health, "A story about lakes", tags=["lakes"])
    other = published_article(health, "Another lake story", tags=["lakes"])
    assert "Another lake story" in related_panel(client.get(story.url).text)
    other.unpublish()
    assert "Another lake story" not in related_panel(client.get(story.url).text)


def test_a_story_moved_out_of_the_section_loses_its_place(client, home_page, health):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    story = published_article(health, "A health story")
    neighbour = published_article(health, "A health neighbour")
    for n in range(6):
        published_article(science, f"Science filler {n}")
    discovery = DiscoverySettings.for_site(health.get_site())
    discovery.related_count = 1
    discovery.save()
    assert "A health neighbour" in related_panel(client.get(story.url).text)
    neighbour.move(science, pos="last-child")
    assert "A health neighbour" not in related_panel(client.get(story.url).text)


# -- the cache down ------------------------------------------------------------


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_cache_at_a_dead_redis() -> dict:
    """The production cache settings (django-redis ignoring its errors), nothing listening."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }


def django_redis_cache_at_a_dead_redis() -> dict:
    """Django's own Redis backend, which raises while Redis is down."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.mark.parametrize("caches", [production_cache_at_a_dead_redis, django_redis_cache_at_a_dead_redis])
def test_with_the_cache_down_pages_render_and_are_never_stale(client, home_page, health, caches, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    # Wagtail's own site root paths (read on every URL) are not what is tested here.
    monkeypatch.setattr("wagtail.models.sites.cache", LocMemCache("wagtail-paths", {}))
    story = published_article(health, "A story in an outage", "Before the outage.", tags=["outage"])
    other = published_article(health, "A related outage story", tags=["outage"])
    client.get(story.url)  # fragments kept in the working cache
    with override_settings(CACHES=caches()):
        story = NewsArticlePage.objects.get(pk=story.pk)
        story.body = [("paragraph", "<p>During the outage.</p>")]
        publish(story)
        other.unpublish()
        publish(health.specific, title="Health during the outage")
        for url in (story.url, health.url, "/"):
            assert client.get(url).status_code == 200
        html = client.get(story.url).text
    assert "During the outage." in html and "Before the outage." not in html
    assert "A related outage story" not in related_panel(html)
    assert "Health during the outage" in nav(html)
