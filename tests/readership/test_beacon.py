"""The beacon: what it counts, what it refuses to count, and that it never fails a reader."""

from datetime import timedelta
from unittest import mock

import pytest
import redis

from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

from readership.flush import flush_views
from readership.models import HourlyViews
from tests.factories import NewsArticlePageFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def send_beacon(client, story, user_agent=BROWSER):
    headers = {"User-Agent": user_agent} if user_agent is not None else {}
    return client.post(reverse("readership:beacon"), {"story": story}, headers=headers)


def stored_views(story) -> int:
    return sum(HourlyViews.objects.filter(story_id=story.pk).values_list("views", flat=True))


@pytest.mark.django_db
def test_views_of_a_live_story_are_counted_and_flushed_into_the_hour(client, counting_redis, article):
    for _ in range(3):
        assert send_beacon(client, article.pk).status_code == 204

    assert flush_views() == 3
    row = HourlyViews.objects.get()
    assert (row.story_id, row.views) == (article.pk, 3)
    assert row.hour == timezone.now().replace(minute=0, second=0, microsecond=0)


@pytest.mark.django_db
def test_a_second_flush_adds_to_the_hour_and_moves_nothing_twice(client, counting_redis, article):
    send_beacon(client, article.pk)
    flush_views()
    send_beacon(client, article.pk)
    send_beacon(client, article.pk)

    assert flush_views() == 2
    assert flush_views() == 0
    assert stored_views(article) == 3
    assert HourlyViews.objects.count() == 1


@pytest.mark.django_db
def test_the_beacon_sets_no_cookie_and_is_never_cached(client, counting_redis, article):
    response = send_beacon(client, article.pk)

    assert response.status_code == 204
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert "Vary" not in response or "Cookie" not in response["Vary"]


@pytest.mark.django_db
def test_nothing_about_the_reader_is_kept_in_redis(client, counting_redis, article, settings):
    send_beacon(client, article.pk)

    keys = sorted(key.decode() for key in counting_redis.scan_iter(f"{settings.READERSHIP_KEY_PREFIX}*"))
    hour = timezone.now().strftime("%Y%m%d%H")
    prefix = settings.READERSHIP_KEY_PREFIX
    assert keys == [f"{prefix}countable", f"{prefix}hour:{hour}"]
    assert counting_redis.hgetall(keys[1]) == {str(article.pk).encode(): b"1"}
    assert 0 < counting_redis.ttl(keys[1]) <= 48 * 3600


@pytest.mark.django_db
def test_a_view_costs_one_redis_round_trip_and_no_database_query(
    client, counting_redis, article, django_assert_num_queries
):
    send_beacon(client, article.pk)  # the first view builds the set of countable stories

    with (
        mock.patch.object(
            redis.Redis, "execute_command", autospec=True, side_effect=redis.Redis.execute_command
        ) as sent,
        django_assert_num_queries(0),
    ):
        assert send_beacon(client, article.pk).status_code == 204

    assert sent.call_count == 1
    assert flush_views() == 2


def make_draft(health):
    return NewsArticlePageFactory(parent=health, live=False)


def make_private(health):
    story = NewsArticlePageFactory(parent=health)
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    return story


def make_private_by_its_section(health):
    story = NewsArticlePageFactory(parent=health)
    PageViewRestriction.objects.create(
        page=health, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return story


def make_expired(health):
    return NewsArticlePageFactory(parent=health, expire_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.django_db
@pytest.mark.parametrize("make_story", [make_draft, make_private, make_private_by_its_section, make_expired])
def test_a_story_readers_may_not_see_counts_nothing(client, counting_redis, health, make_story):
    story = make_story(health)

    assert send_beacon(client, story.pk).status_code == 204

    assert flush_views() == 0
    assert not HourlyViews.objects.exists()


@pytest.mark.django_db
def test_a_page_that_is_not_a_story_counts_nothing(client, counting_redis, health):
    assert send_beacon(client, health.pk).status_code == 204
    assert flush_views() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "story", ["", "abc", "-1", "0", "1.5", "9" * 40, "١٢", "1\x00", "12 OR 1=1", " 1"], ids=repr
)
def test_a_bad_story_id_answers_204_and_counts_nothing(client, counting_redis, article, story):
    assert send_beacon(client, story).status_code == 204
    assert flush_views() == 0
    assert not HourlyViews.objects.exists()


@pytest.mark.django_db
def test_a_missing_story_counts_nothing(client, counting_redis, article):
    assert send_beacon(client, article.pk + 1000).status_code == 204
    assert flush_views() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
        None,
    ],
)
def test_known_robots_are_not_counted(client, counting_redis, article, user_agent):
    assert send_beacon(client, article.pk, user_agent=user_agent).status_code == 204
    assert flush_views() == 0


@pytest.mark.django_db
def test_reading_the_beacon_address_is_refused(client, counting_redis, article):
    response = client.get(reverse("readership:beacon"), {"story": article.pk})
    assert response.status_code == 405
    assert flush_views() == 0


@pytest.mark.django_db
def test_a_story_published_just_now_counts_at_once(client, counting_redis, health):
    story = make_draft(health)
    send_beacon(client, story.pk)

    story.save_revision().publish()
    send_beacon(client, story.pk)

    assert flush_views() == 1
    assert stored_views(story) == 1


@pytest.mark.django_db
def test_a_deleted_story_pending_in_redis_is_dropped_by_the_flush(client, counting_redis, health, article):
    gone = NewsArticlePageFactory(parent=health)
    send_beacon(client, gone.pk)
    send_beacon(client, article.pk)
    gone.delete()

    assert flush_views() == 1
    assert list(HourlyViews.objects.values_list("story_id", "views")) == [(article.pk, 1)]


@pytest.mark.django_db
def test_with_redis_down_the_beacon_answers_204_and_counts_nothing(client, own_redis, article):
    assert send_beacon(client, article.pk).status_code == 204
    own_redis.kill()
    own_redis.wait()

    assert send_beacon(client, article.pk).status_code == 204
    assert flush_views() == 0
    assert not HourlyViews.objects.exists()


@pytest.mark.django_db
def test_with_no_redis_configured_the_beacon_still_answers_204(client, settings, article):
    settings.READERSHIP_REDIS_URL = ""
    assert send_beacon(client, article.pk).status_code == 204
    assert flush_views() == 0


@pytest.mark.django_db
def test_views_during_a_rebuild_of_the_countable_stories_ask_the_database(
    client, counting_redis, settings, article, health
):
    draft = make_draft(health)
    # Another process is rebuilding the set of countable stories.
    counting_redis.set(f"{settings.READERSHIP_KEY_PREFIX}countable:rebuilding", "1", ex=30)

    send_beacon(client, article.pk)
    send_beacon(client, draft.pk)

    counting_redis.delete(f"{settings.READERSHIP_KEY_PREFIX}countable:rebuilding")
    assert flush_views() == 1
    assert stored_views(article) == 1
