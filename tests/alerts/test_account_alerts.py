"""The account page shows what this browser follows: asked by the browser, with its own push address."""

import json

import pytest

from tests.alerts.push_service import subscribed_browser
from tests.factories import CategoryIndexPageFactory, LiveBlogPageFactory, ReaderFactory
from tests.readers.conftest import sign_in_as

pytestmark = pytest.mark.django_db


def following(client, body) -> object:
    return client.post("/alerts/following/", json.dumps(body), content_type="application/json")


def test_a_browser_learns_the_topics_it_follows_with_their_names(client, alerts_on, push_service, health):
    blog = LiveBlogPageFactory(parent=health, title="Storm live")
    gone = CategoryIndexPageFactory(parent=health.get_parent(), title="Gone", live=False)
    browser = subscribed_browser(
        push_service, "mine", "breaking", f"section-{health.pk}", f"live-{blog.pk}", f"section-{gone.pk}"
    )
    subscribed_browser(push_service, "theirs", "section-99999")

    response = following(client, {"endpoint": browser.endpoint})

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    expected = [
        {"key": "breaking", "label": "Breaking news", "url": ""},
        {"key": f"live-{blog.pk}", "label": "Updates to “Storm live”", "url": blog.url},
        {"key": f"section-{gone.pk}", "label": "A section no longer published", "url": ""},
        {"key": f"section-{health.pk}", "label": f"{health.title} news", "url": health.url},
    ]
    assert response.json()["topics"] == sorted(expected, key=lambda topic: topic["key"])


def test_an_unknown_browser_follows_nothing(client, alerts_on):
    assert following(client, {"endpoint": "https://fcm.googleapis.com/fcm/send/unknown"}).json() == {
        "topics": []
    }


@pytest.mark.parametrize("body", ["not json", [], {"endpoint": 3}, {"endpoint": "x" * 1001}, {}])
def test_a_malformed_question_is_a_400(client, alerts_on, body):
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/alerts/following/", data, content_type="application/json")
    assert response.status_code == 400


def test_the_account_page_explains_alerts_and_carries_the_browsers_script(client, alerts_on):
    sign_in_as(client, ReaderFactory())
    html = client.get("/account/").text
    assert 'id="account-alerts"' in html
    assert "Alerts go to a browser, not to your account" in html
    assert 'data-following-url="/alerts/following/"' in html
    assert '<script src="/static/alerts/js/account-alerts.js" defer></script>' in html


def test_no_alerts_section_where_the_site_sends_no_alerts(client, db):
    sign_in_as(client, ReaderFactory())
    assert 'id="account-alerts"' not in client.get("/account/").text
