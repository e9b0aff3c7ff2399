"""Leaving: RFC 8058 one-click unsubscribe and the preference page, both by signed link from the e-mail."""

import re

import pytest

from django.core import mail

from newsletters.models import Subscription
from newsletters.tasks import start_sending
from tests.factories import IssueFactory, NewsletterFactory, SubscriptionFactory


@pytest.fixture
def subscription(daily):
    return SubscriptionFactory(newsletter=daily, subscriber__email="ada@example.org")


@pytest.fixture
def received(subscription, daily):
    """The issue Ada received."""
    start_sending(IssueFactory(newsletter=daily))
    (message,) = mail.outbox
    mail.outbox.clear()
    return message


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def unsubscribe_path(message) -> str:
    return path_of(re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1))


def preferences_path(message) -> str:
    (url,) = re.findall(r"https?://\S+/newsletters/preferences/\S+/", message.body)
    return path_of(url)


def test_one_click_post_from_the_header_unsubscribes(client, received, daily):
    response = client.post(
        unsubscribe_path(received),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.receiving().exists()
    start_sending(IssueFactory(newsletter=daily))
    assert mail.outbox == []


def test_unsubscribing_twice_is_fine(client, received):
    path = unsubscribe_path(received)
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    left_at = Subscription.objects.get().unsubscribed_at
    again = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert "You are unsubscribed" in again.content.decode()
    assert Subscription.objects.get().unsubscribed_at == left_at


def test_opening_the_link_asks_before_unsubscribing(client, received):
    response = client.get(unsubscribe_path(received))
    assert response.status_code == 200
    assert "Unsubscribe from Daily briefing" in response.content.decode()
    assert Subscription.objects.receiving().exists()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_unsubscribing_from_one_list_keeps_the_others(client, subscription, daily):
    other = SubscriptionFactory(
        subscriber=subscription.subscriber, newsletter=NewsletterFactory(name="Sport")
    )
    start_sending(IssueFactory(newsletter=daily))
    client.post(unsubscribe_path(mail.outbox[0]), {"List-Unsubscribe": "One-Click"})
    assert list(Subscription.objects.receiving()) == [other]


def test_preference_page_shows_and_changes_the_lists(client, received, daily, breaking):
    path = preferences_path(received)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'value="daily-briefing"[^>]*checked', html)
    assert not re.search(r'value="breaking-news"[^>]*checked', html)

    saved = client.post(path, {"newsletters": ["breaking-news"]})
    assert saved.status_code == 200
    assert "Saved." in saved.content.decode()
    assert list(Subscription.objects.receiving().values_list("newsletter__slug", flat=True)) == [
        "breaking-news"
    ]

    client.post(path, {})
    assert not Subscription.objects.receiving().exists()


def test_preference_page_refuses_an_unknown_list_and_changes_nothing(client, received):
    response = client.post(preferences_path(received), {"newsletters": ["no-such-list"]})
    assert response.status_code == 400
    assert Subscription.objects.receiving().count() == 1


def test_a_link_for_a_deleted_subscriber_gets_the_clear_page(client, received, subscription):
    path = preferences_path(received)
    leave = unsubscribe_path(received)
    subscription.subscriber.delete()
    assert client.get(path).status_code == 400
    assert client.post(leave, {"List-Unsubscribe": "One-Click"}).status_code == 200
