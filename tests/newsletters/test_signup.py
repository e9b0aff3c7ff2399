"""Signing up: the box on reader pages, double opt-in, and what bad input gets."""

import re
import time

import pytest

from django.core import mail

from newsletters.models import Subscriber, Subscription
from newsletters.subscriptions import subscribe
from newsletters.tokens import confirm_token
from tests.factories import NewsletterFactory, SubscriptionFactory

SUBSCRIBE = "/newsletters/subscribe/"


def sign_up(client, email="ada@example.org", lists=("daily-briefing",), **extra):
    return client.post(
        SUBSCRIBE, {"email": email, "newsletters": list(lists), **extra}, REMOTE_ADDR="203.0.113.9"
    )


def confirm_link() -> str:
    (link,) = re.findall(r"https?://\S+/newsletters/confirm/\S+/", mail.outbox[-1].body)
    return link


@pytest.mark.parametrize("place", ["article", "front", "footer"])
def test_signup_box_on_articles_front_page_and_footer_keeps_pages_cacheable(client, article, daily, place):
    url = {"article": article.url, "front": "/", "footer": "/corrections/"}[place]
    response = client.get(url)
    html = response.content.decode()
    assert f'id="newsletter-signup-{place}-email"' in html
    # One box a page: two forms of the same name would be landmarks a screen reader cannot tell apart.
    assert html.count('<form class="newsletter-signup') == 1
    assert 'action="/newsletters/subscribe/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies
    assert response["Cache-Control"].startswith("public")


def test_signup_box_on_a_section_page_offers_its_weekly_list(client, health):
    weekly = NewsletterFactory(name="Health weekly", kind="section", section=health)
    html = client.get(health.url).content.decode()
    assert f'value="{weekly.slug}"' in html


def test_signing_up_emails_a_confirmation_link_and_subscribes_nobody_yet(client, daily):
    response = sign_up(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert "Daily briefing" in mail.outbox[0].body
    assert "48 hours" in mail.outbox[0].body
    assert not Subscription.objects.receiving().exists()


def test_opening_the_link_asks_and_confirming_subscribes(client, daily):
    sign_up(client)
    link = confirm_link()
    asked = client.get(link)
    assert asked.status_code == 200
    assert "Confirm your subscription" in asked.content.decode()
    assert not Subscription.objects.receiving().exists()  # A mail scanner's GET subscribes nobody.
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.content.decode()
    assert list(Subscription.objects.receiving().values_list("subscriber__email", "newsletter__slug")) == [
        ("ada@example.org", "daily-briefing")
    ]
    assert client.post(link).status_code == 200  # Twice is fine.
    assert Subscription.objects.receiving().count() == 1


def test_confirmation_link_expires_after_48_hours(client, daily, monkeypatch):
    sign_up(client)
    link = confirm_link()
    later = time.time() + 48 * 3600 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(link)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not Subscription.objects.receiving().exists()


def test_link_within_48_hours_still_works(client, daily, monkeypatch):
    sign_up(client)
    link = confirm_link()
    later = time.time() + 47 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.post(link).status_code == 200
    assert Subscription.objects.receiving().count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/newsletters/confirm/forged/",
        "/newsletters/confirm/eyJzIjoxLCJuIjpbMV19:1tXyZ:abc/",
        "/newsletters/unsubscribe/1.1:forged/",
        "/newsletters/unsubscribe/1.1/",
        "/newsletters/preferences/1:forged/",
        "/newsletters/preferences/x/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_links_get_a_clear_page(client, daily, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_link_made_for_another_purpose_is_refused(client, daily):
    subscription = SubscriptionFactory(newsletter=daily, confirmed_at=None)
    token = confirm_token(subscription.subscriber_id, [daily.pk])
    assert client.post(f"/newsletters/unsubscribe/{token}/").status_code == 400
    assert client.get(f"/newsletters/preferences/{token}/").status_code == 400


def test_same_answer_whether_or_not_the_address_is_subscribed(client, daily):
    SubscriptionFactory(newsletter=daily, subscriber__email="known@example.org")
    known = sign_up(client, email="known@example.org")
    unknown = sign_up(client, email="unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_honeypot_gets_the_same_answer_and_nothing_is_stored_or_sent(client, daily):
    response = sign_up(client, website="http://spam.example")
    assert response.status_code == 200
    assert response.content == sign_up(client, email="real@example.org").content
    assert not Subscriber.objects.filter(email="ada@example.org").exists()
    assert [message.to for message in mail.outbox] == [["real@example.org"]]


def test_one_confirmation_email_per_address_in_ten_minutes(client, daily, breaking):
    sign_up(client)
    again = sign_up(client, lists=("daily-briefing", "breaking-news"))
    assert again.status_code == 200
    assert len(mail.outbox) == 1


def test_too_many_signups_from_one_network_are_refused(client, daily):
    for n in range(10):
        assert sign_up(client, email=f"reader{n}@example.org").status_code == 200
    refused = sign_up(client, email="one-more@example.org")
    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.content.decode()
    assert len(mail.outbox) == 10
    assert not Subscriber.objects.filter(email="one-more@example.org").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "", "newsletters": ["daily-briefing"]},
        {"email": "not an address", "newsletters": ["daily-briefing"]},
        {"email": "ada\x00@example.org", "newsletters": ["daily-briefing"]},
        {"email": "a" * 300 + "@example.org", "newsletters": ["daily-briefing"]},
        {"email": "ada@example.org"},
        {"email": "ada@example.org", "newsletters": ["no-such-list"]},
        {"email": "ada@example.org", "newsletters": ["daily-briefing\x00"]},
    ],
)
def test_bad_signups_are_refused_and_nothing_is_stored(client, daily, data):
    response = client.post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert "We could not sign you up" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_an_inactive_list_cannot_be_joined(client, daily):
    daily.is_active = False
    daily.save()
    assert sign_up(client).status_code == 400
    assert not Subscriber.objects.exists()


def test_subscribe_page_takes_only_posts(client, daily):
    assert client.get(SUBSCRIBE).status_code == 405


def test_a_verified_address_subscribes_in_one_step_without_email(daily):
    subscribe("Verified@Example.ORG", [daily], confirmed=True)
    assert list(Subscription.objects.receiving().values_list("subscriber__email", flat=True)) == [
        "Verified@example.org"
    ]
    assert not mail.outbox


def test_a_mail_server_failure_still_answers_and_lets_the_reader_ask_again(client, daily, settings):
    settings.EMAIL_BACKEND = "tests.newsletters.mail_backends.DroppingBackend"
    response = sign_up(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sign_up(client)
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
