"""Editors publish with an alert; each following browser gets it once, and only for public stories."""

import json
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import PageViewRestriction

from alerts import delivery
from alerts.models import Alert, AlertDelivery, AlertStatus, PushSubscription
from tests.admin_forms import story_form
from tests.alerts.push_service import subscribed_browser
from tests.factories import CategoryIndexPageFactory


@pytest.fixture
def chief_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("chief", "chief@example.org", "pw"))
    return client


def publish_with_alert(client, story, text: str = "", topics=("breaking",), **fields):
    form = story_form("action-publish", title=story.title, slug=story.slug, **fields)
    form["action-publish"] = "with-alert"
    form["alert_text"] = text
    form["alert_topics"] = list(topics)
    return client.post(f"/admin/pages/{story.pk}/edit/", form, follow=True)


def test_publishing_with_an_alert_reaches_each_follower_of_its_topics_once(
    chief_client, alerts_on, push_service, health, article, home_page
):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    breaking = subscribed_browser(push_service, "breaking", "breaking")
    both = subscribed_browser(push_service, "both", "breaking", f"section-{health.pk}")
    elsewhere = subscribed_browser(push_service, "elsewhere", f"section-{science.pk}")

    response = publish_with_alert(
        chief_client, article, "Flu clinics open early", topics=("breaking", f"section-{health.pk}")
    )

    assert "Alert “Flu clinics open early” is on its way." in response.text
    for browser in (breaking, both):
        [message] = push_service.messages_for(browser)
        assert json.loads(message) == {
            "title": "Flu clinics open early",
            "url": "/health/a-story-about-health/",
            "tag": f"alert-{Alert.objects.get().pk}",
        }
    assert push_service.messages_for(elsewhere) == []
    alert = Alert.objects.get()
    assert (alert.status, alert.topics) == (AlertStatus.SENT, ["breaking", f"section-{health.pk}"])
    assert AlertDelivery.objects.filter(alert=alert, outcome="delivered").count() == 2


def test_the_alert_text_defaults_to_the_headline(chief_client, alerts_on, push_service, article):
    reader = subscribed_browser(push_service, "reader", "breaking")

    publish_with_alert(chief_client, article, "   ")

    [message] = push_service.messages_for(reader)
    assert json.loads(message)["title"] == article.title


def test_a_topic_the_story_does_not_offer_is_not_sent_to(
    chief_client, alerts_on, push_service, article, home_page
):
    other = CategoryIndexPageFactory(parent=home_page, title="Sport")
    fan = subscribed_browser(push_service, "fan", f"section-{other.pk}")

    publish_with_alert(chief_client, article, "Hello", topics=(f"section-{other.pk}",))

    assert push_service.messages_for(fan) == []
    assert Alert.objects.get().topics == ["breaking"]


def test_a_browser_the_push_service_says_is_gone_is_forgotten(chief_client, alerts_on, push_service, article):
    gone = subscribed_browser(push_service, "gone", "breaking")
    push_service.status_for[gone.endpoint.removeprefix(push_service.url)] = 410

    publish_with_alert(chief_client, article, "Hello")

    assert not PushSubscription.objects.exists()
    assert list(AlertDelivery.objects.values_list("outcome", flat=True)) == ["gone"]


def test_a_batch_run_twice_sends_nothing_twice(alerts_on, push_service, article):
    reader = subscribed_browser(push_service, "reader", "breaking")
    alert = Alert.objects.create(page=article, text="Once", topics=["breaking"])
    ids = list(PushSubscription.objects.values_list("pk", flat=True))

    first = delivery.deliver_batch.call(alert.pk, ids)
    second = delivery.deliver_batch.call(alert.pk, ids)

    assert (first["delivered"], second["already"]) == (1, 1)
    assert len(push_service.messages_for(reader)) == 1


def test_followers_are_sent_to_in_batches(alerts_on, push_service, article, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH_SIZE", 2)
    readers = [subscribed_browser(push_service, f"reader-{n}", "breaking") for n in range(5)]
    alert = Alert.objects.create(page=article, text="Batched", topics=["breaking"])

    assert delivery.send_alert.call(alert.pk) == {"batches": 3}

    assert all(len(push_service.messages_for(reader)) == 1 for reader in readers)
    assert Alert.objects.get().status == AlertStatus.SENT


def test_no_alert_for_a_story_scheduled_for_later(chief_client, alerts_on, push_service, health):
    from tests.factories import NewsArticlePageFactory

    story = NewsArticlePageFactory(parent=health, title="Embargoed", live=False)
    reader = subscribed_browser(push_service, "reader", "breaking")
    later = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    response = publish_with_alert(chief_client, story, "Too soon", go_live_at=later)

    assert "No alert was sent: the story is not public yet." in response.text
    assert push_service.messages_for(reader) == [] and not Alert.objects.exists()


def test_no_alert_for_a_private_story(alerts_on, push_service, article):
    reader = subscribed_browser(push_service, "reader", "breaking")
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="x")
    alert = Alert.objects.create(page=article, text="Secret", topics=["breaking"])

    delivery.send_alert.call(alert.pk)

    assert push_service.messages_for(reader) == []
    assert Alert.objects.get().status == AlertStatus.WITHHELD


def test_plain_publish_sends_no_alert(chief_client, alerts_on, push_service, article):
    reader = subscribed_browser(push_service, "reader", "breaking")

    form = story_form("action-publish", title=article.title, slug=article.slug, alert_text="Not this")
    chief_client.post(f"/admin/pages/{article.pk}/edit/", form)

    assert push_service.messages_for(reader) == [] and not Alert.objects.exists()


def test_publish_with_alert_is_offered_to_those_who_publish(chief_client, alerts_on, article, health):
    page = chief_client.get(f"/admin/pages/{article.pk}/edit/").text

    assert "Publish with alert…" in page
    assert f"section-{health.pk}" in page and "alerts/js/publish-with-alert.js" in page


def test_no_publish_with_alert_without_push_keys(chief_client, article):
    assert "Publish with alert…" not in chief_client.get(f"/admin/pages/{article.pk}/edit/").text


def test_generate_vapid_keys_prints_a_usable_pair(capsys):
    from py_vapid import Vapid

    call_command("generate_vapid_keys")

    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert Vapid.from_raw(lines["WEBPUSH_VAPID_PRIVATE_KEY"].encode()).sign(
        {"aud": "https://fcm.googleapis.com", "sub": "mailto:a@example.org"}
    )
    assert len(lines["WEBPUSH_VAPID_PUBLIC_KEY"]) == 87  # 65 bytes, base64url without padding
