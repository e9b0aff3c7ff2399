"""A reader turns alerts on in Chromium; an editor publishes with an alert; the reader's browser shows it.

The browser's push subscription points at a local push service (tests/alerts/push_service.py):
Chromium's own needs its vendor's servers. The test decrypts what the site sent, as the
browser would, and hands it to the site's service worker through the DevTools protocol.
"""

import json

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from alerts.models import SubscriptionTopic
from tests.alerts.push_service import PushService, turn_alerts_on
from tests.browser.test_story_editor import log_in
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

STUB_PUSH_MANAGER = """
(() => {
  const subscription = %s;
  const fake = { endpoint: subscription.endpoint, toJSON: () => subscription, unsubscribe: async () => true };
  PushManager.prototype.subscribe = async function () {
    sessionStorage.setItem("subscribed", "1");
    return fake;
  };
  PushManager.prototype.getSubscription = async function () {
    return sessionStorage.getItem("subscribed") ? fake : null;
  };
})();
"""


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def alerts_on(settings, push_service):
    return turn_alerts_on(settings)


NOTIFICATION_TITLES = """
() => navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((notifications) => notifications.map((notification) => notification.title))
"""


def test_a_reader_gets_the_alert_an_editor_sends(browser, live_server, home_page, alerts_on, push_service):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    story = NewsArticlePageFactory(parent=health, title="Flu clinics open early")
    reader_browser = push_service.browser("chromium")

    reader = browser.new_context(permissions=["notifications"], viewport={"width": 1280, "height": 900})
    reader.add_init_script(STUB_PUSH_MANAGER % json.dumps(reader_browser.subscription))
    page = reader.new_page()
    page.set_default_timeout(20_000)
    devtools = reader.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    devtools.send("ServiceWorker.enable")

    page.goto(f"{live_server.url}{story.url}")
    box = page.locator("[data-alerts]")
    expect(box).to_be_visible()
    box.get_by_label("Health news").check()
    box.get_by_role("button", name="Get alerts").click()
    expect(box.get_by_role("status")).to_contain_text("You will get alerts: Breaking news, Health news.")
    assert sorted(SubscriptionTopic.objects.values_list("topic", flat=True)) == sorted(
        ["breaking", f"section-{health.pk}"]
    )

    editor = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = editor.new_page()
    desk.set_default_timeout(20_000)
    log_in(desk, live_server, get_user_model().objects.create_superuser("chief", "chief@example.org", "pw"))
    desk.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    desk.locator(".w-dropdown-button").get_by_role("button", name="More actions").click()
    desk.get_by_role("button", name="Publish with alert…").click()
    dialog = desk.get_by_role("dialog", name="Publish and send an alert")
    expect(dialog.get_by_label("Alert text")).to_have_value("Flu clinics open early")
    dialog.get_by_label("Alert text").fill("Flu clinics open a month early")
    with desk.expect_navigation():
        dialog.get_by_role("button", name="Publish and send alert").click()
    expect(desk.locator(".messages")).to_contain_text("Alert “Flu clinics open a month early” is on its way.")
    editor.close()

    [message] = push_service.messages_for(reader_browser)
    assert json.loads(message)["url"] == "/health/flu-clinics-open-early/"
    registration_id = next(
        r["registrationId"] for r in registrations if r["scopeURL"].startswith(live_server.url)
    )
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": message.decode()},
    )
    page.wait_for_function(
        f"({NOTIFICATION_TITLES})().then((titles) => titles.includes('Flu clinics open a month early'))",
        polling=200,
    )
    reader.close()
