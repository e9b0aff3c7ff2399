"""Readers follow topics from a browser: what is stored, and every malformed request refused."""

import json

import pytest

from django.core.cache import cache

from alerts.models import PushSubscription, SubscriptionTopic
from tests.factories import CategoryIndexPageFactory, LiveBlogPageFactory, NewsArticlePageFactory

FOLLOW = "/alerts/follow/"


def post(client, url: str, data, **extra):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def topics_of(endpoint: str) -> list[str]:
    return sorted(
        SubscriptionTopic.objects.filter(subscription__endpoint=endpoint).values_list("topic", flat=True)
    )


def test_a_browser_follows_breaking_news_and_a_section(client, alerts_on, push_service, health):
    browser = push_service.browser("reader")

    response = post(
        client, FOLLOW, {"subscription": browser.subscription, "follow": ["breaking", f"section-{health.pk}"]}
    )

    assert response.status_code == 200
    assert response.json() == {"topics": sorted(["breaking", f"section-{health.pk}"])}
    assert topics_of(browser.endpoint) == sorted(["breaking", f"section-{health.pk}"])
    assert "set-cookie" not in {name.lower() for name in response.headers}


def test_following_from_another_page_adds_and_unticking_removes(client, alerts_on, push_service, health):
    browser = push_service.browser("reader")
    live = LiveBlogPageFactory(parent=health, title="Storm")
    post(
        client, FOLLOW, {"subscription": browser.subscription, "follow": ["breaking", f"section-{health.pk}"]}
    )

    post(
        client,
        FOLLOW,
        {"subscription": browser.subscription, "follow": [f"live-{live.pk}"], "unfollow": ["breaking"]},
    )

    assert topics_of(browser.endpoint) == sorted([f"live-{live.pk}", f"section-{health.pk}"])


def test_unfollowing_everything_forgets_the_browser(client, alerts_on, push_service):
    browser = push_service.browser("reader")
    post(client, FOLLOW, {"subscription": browser.subscription, "follow": ["breaking"]})

    response = post(client, FOLLOW, {"subscription": browser.subscription, "unfollow": ["breaking"]})

    assert response.json() == {"topics": []}
    assert not PushSubscription.objects.exists()


def test_unsubscribe_forgets_the_browser_and_answers_alike_when_unknown(client, alerts_on, push_service):
    browser = push_service.browser("reader")
    post(client, FOLLOW, {"subscription": browser.subscription, "follow": ["breaking"]})

    first = post(client, "/alerts/unsubscribe/", {"endpoint": browser.endpoint})
    again = post(client, "/alerts/unsubscribe/", {"endpoint": browser.endpoint})

    assert (first.status_code, again.status_code) == (204, 204)
    assert not PushSubscription.objects.exists() and not SubscriptionTopic.objects.exists()


def good_subscription(push_service) -> dict:
    return push_service.browser("x").subscription


def with_keys(push_service, **keys) -> dict:
    subscription = good_subscription(push_service)
    subscription["keys"].update(keys)
    return subscription


BAD_REQUESTS = {
    "not JSON": lambda s, section: "{not json",
    "a list": lambda s, section: [1, 2],
    "no subscription": lambda s, section: {"follow": ["breaking"]},
    "subscription without keys": lambda s, section: {
        "subscription": {"endpoint": good_subscription(s)["endpoint"]},
        "follow": ["breaking"],
    },
    "endpoint on a private network": lambda s, section: {
        "subscription": {**good_subscription(s), "endpoint": "http://169.254.169.254/latest/meta-data/"},
        "follow": ["breaking"],
    },
    "endpoint on another host": lambda s, section: {
        "subscription": {**good_subscription(s), "endpoint": "https://attacker.example/push"},
        "follow": ["breaking"],
    },
    "endpoint not a string": lambda s, section: {
        "subscription": {**good_subscription(s), "endpoint": ["x"]},
        "follow": ["breaking"],
    },
    "p256dh of the wrong length": lambda s, section: {
        "subscription": with_keys(s, p256dh="AAAA"),
        "follow": ["breaking"],
    },
    "auth not base64": lambda s, section: {"subscription": with_keys(s, auth="!!!"), "follow": ["breaking"]},
    "topics not a list": lambda s, section: {"subscription": good_subscription(s), "follow": "breaking"},
    "unknown topic": lambda s, section: {"subscription": good_subscription(s), "follow": ["sport"]},
    "topic with a huge id": lambda s, section: {
        "subscription": good_subscription(s),
        "follow": ["section-" + "9" * 40],
    },
    "section that does not exist": lambda s, section: {
        "subscription": good_subscription(s),
        "follow": [f"section-{section.pk + 1000}"],
    },
    "too many topics": lambda s, section: {"subscription": good_subscription(s), "follow": ["breaking"] * 21},
    "too large": lambda s, section: {
        "subscription": good_subscription(s),
        "follow": ["breaking"],
        "pad": "x" * 5000,
    },
}


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_a_malformed_follow_is_a_400_and_stores_nothing(client, alerts_on, push_service, health, case):
    response = post(client, FOLLOW, BAD_REQUESTS[case](push_service, health))

    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_draft_section_or_live_blog_cannot_be_followed(client, alerts_on, push_service, home_page):
    draft = CategoryIndexPageFactory(parent=home_page, title="Secret", live=False)
    story = NewsArticlePageFactory(parent=home_page, title="Not a live blog")
    for topic in (f"section-{draft.pk}", f"live-{story.pk}"):
        response = post(client, FOLLOW, {"subscription": good_subscription(push_service), "follow": [topic]})
        assert response.status_code == 400
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[]", '{"endpoint": 5}'])
def test_a_malformed_unsubscribe_is_a_400(client, body):
    assert post(client, "/alerts/unsubscribe/", body).status_code == 400


def test_following_only_takes_posts(client):
    assert client.get(FOLLOW).status_code == 405


def test_too_many_changes_from_one_address_are_refused(client, alerts_on, push_service, settings):
    cache.clear()
    for number in range(60):
        post(
            client,
            FOLLOW,
            {"subscription": push_service.browser(str(number)).subscription, "follow": ["breaking"]},
        )

    response = post(
        client, FOLLOW, {"subscription": push_service.browser("61").subscription, "follow": ["breaking"]}
    )

    assert response.status_code == 429
    assert PushSubscription.objects.count() == 60


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/service-worker.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "showNotification" in response.text and "openWindow" in response.text


def test_a_story_offers_alerts_on_its_topics(client, alerts_on, health, article):
    response = client.get(article.url)

    assert "data-alerts" in response.text
    assert f'value="section-{health.pk}"' in response.text and "Health news" in response.text
    assert f'data-vapid-key="{alerts_on.public_key}"' in response.text
    assert "set-cookie" not in {name.lower() for name in response.headers}


def test_a_live_blog_offers_to_follow_it(client, alerts_on, health):
    live = LiveBlogPageFactory(parent=health, title="Storm")

    response = client.get(live.url)

    assert f'value="live-{live.pk}" checked' in response.text
    assert "Follow this live blog" in response.text


def test_no_alerts_box_without_push_keys(client, article):
    assert "data-alerts" not in client.get(article.url).text
