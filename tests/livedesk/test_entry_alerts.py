"""The live desk's "Send an alert": a new entry alerts the live blog's followers, only while it is public."""

import json
from datetime import timedelta

import pytest

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import PageViewRestriction

from alerts import delivery
from alerts.models import Alert, AlertDelivery
from desk.roles import WRITERS
from livedesk.forms import default_alert_text, first_line
from news.models import LiveBlogEntry
from tests.alerts import conftest as alerts_fixtures
from tests.alerts.push_service import subscribed_browser
from tests.livedesk.helpers import desk, entry_form

# The alerts tests' local push service, and alerts turned on with it.
push_service = alerts_fixtures.push_service
alerts_on = alerts_fixtures.alerts_on


def post_with_alert(client, live_blog, html="<p>Trees down on the A1.</p>", headline="", text="", send=True):
    form = entry_form(html, headline=headline)
    form["alert_text"] = text
    if send:
        form["send_alert"] = "on"
    return client.post(desk(live_blog), form, follow=True)


def test_the_desk_offers_an_alert_with_the_blogs_title_as_the_fallback(editor_client, alerts_on, live_blog):
    html = editor_client.get(desk(live_blog)).text
    assert "Send an alert" in html and 'name="alert_text"' in html
    assert 'placeholder="Storm live"' in html
    assert "livedesk/js/entry-alert.js" in html


def test_no_alert_is_offered_without_push_keys(editor_client, live_blog):
    html = editor_client.get(desk(live_blog)).text
    assert "Send an alert" not in html and 'name="alert_text"' not in html


def test_an_entry_with_an_alert_reaches_the_live_blogs_followers_only_once_each(
    editor_client, editor, alerts_on, push_service, live_blog, health
):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    everything = subscribed_browser(
        push_service, "everything", "breaking", f"section-{health.pk}", f"live-{live_blog.pk}"
    )
    breaking_only = subscribed_browser(push_service, "breaking", "breaking")
    section_only = subscribed_browser(push_service, "section", f"section-{health.pk}")

    response = post_with_alert(
        editor_client, live_blog, headline="Roads closed", text="A1 closed by fallen trees"
    )

    entry = live_blog.entries.get(headline="Roads closed")
    alert = Alert.objects.get()
    assert (alert.page_id, alert.text, alert.topics, alert.anchor, alert.created_by) == (
        live_blog.pk,
        "A1 closed by fallen trees",
        [f"live-{live_blog.pk}"],
        f"entry-{entry.pk}",
        editor,
    )
    assert "Alert “A1 closed by fallen trees” is on its way" in response.text
    for browser in (follower, everything):
        [message] = push_service.messages_for(browser)
        assert json.loads(message) == {
            "title": "A1 closed by fallen trees",
            "url": f"{live_blog.url}#entry-{entry.pk}",
            "tag": f"alert-{alert.pk}",
        }
    assert push_service.messages_for(breaking_only) == push_service.messages_for(section_only) == []
    assert AlertDelivery.objects.filter(alert=alert, outcome="delivered").count() == 2

    delivery.send_alert.call(alert.pk)  # a batch run again (a worker died): nobody gets it twice
    assert len(push_service.messages_for(everything)) == 1


def test_the_text_defaults_to_the_entrys_headline(editor_client, alerts_on, push_service, live_blog):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")

    post_with_alert(editor_client, live_blog, headline="  Power   back in the north ", text="   ")

    [message] = push_service.messages_for(follower)
    assert json.loads(message)["title"] == "Power back in the north"


def test_without_a_headline_the_text_is_the_entrys_first_line(editor_client, alerts_on, live_blog):
    post_with_alert(
        editor_client, live_blog, html="<p>Ferries cancelled &amp; ports shut.</p><p>More soon.</p>"
    )
    assert Alert.objects.get().text == "Ferries cancelled & ports shut."


def test_default_texts():
    entry = LiveBlogEntry(headline="", body="")
    assert default_alert_text(entry, "Storm live") == "Storm live"
    entry.body = "<h2>Update</h2><p>Winds</p>"
    assert default_alert_text(entry, "Storm live") == "Update"
    entry.body = "<p>" + "word " * 100 + "</p>"
    text = default_alert_text(entry, "Storm live")
    assert len(text) == 200 and text.endswith("…")
    assert first_line("<p><br/></p><ul><li>One <b>item</b></li></ul>") == "One item"


def test_an_unticked_box_sends_nothing(editor_client, alerts_on, push_service, live_blog):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    post_with_alert(editor_client, live_blog, text="Not this time", send=False)
    assert live_blog.entries.filter(body__contains="Trees down").exists()
    assert not Alert.objects.exists() and push_service.messages_for(follower) == []


def test_a_text_too_long_is_a_form_error_and_nothing_is_stored(
    editor_client, alerts_on, push_service, live_blog
):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    entries = live_blog.entries.count()

    response = post_with_alert(editor_client, live_blog, headline="Roads closed", text="x" * 201)

    assert response.status_code == 400
    assert "An alert is at most 200 characters (this one has 201)." in response.text
    assert "The entry was not posted" in response.text
    assert live_blog.entries.count() == entries
    assert not Alert.objects.exists() and push_service.messages_for(follower) == []


def make_draft(blog):
    blog.unpublish()


def make_scheduled(blog):
    blog.unpublish()
    blog.go_live_at = timezone.now() + timedelta(days=1)
    blog.save_revision().publish()  # a go-live date in the future: published later, not now


def make_private(blog):
    PageViewRestriction.objects.create(page=blog, restriction_type="password", password="x")


def make_expired(blog):
    type(blog).objects.filter(pk=blog.pk).update(expire_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.parametrize("make_not_public", [make_draft, make_scheduled, make_private, make_expired])
def test_no_alert_while_the_live_blog_is_not_public_and_the_editor_is_told(
    editor_client, alerts_on, push_service, live_blog, make_not_public
):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    make_not_public(live_blog)

    response = post_with_alert(editor_client, live_blog, headline="Roads closed", text="A1 closed")

    assert live_blog.entries.filter(headline="Roads closed").exists(), "the entry itself is posted"
    assert "No alert was sent: the live blog is not public" in response.text
    assert not Alert.objects.exists()
    assert push_service.messages_for(follower) == []


def test_a_writer_who_may_post_may_send_an_alert(client, writer, alerts_on, push_service, live_blog):
    live_blog.writers_may_post = True
    live_blog.save_revision().publish()
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    client.force_login(writer)

    post_with_alert(client, live_blog, headline="Roads closed", text="A1 closed")

    assert Alert.objects.get().created_by == writer
    assert len(push_service.messages_for(follower)) == 1


def test_those_who_may_not_post_send_no_alert(
    client, writer, django_user_model, alerts_on, push_service, live_blog
):
    follower = subscribed_browser(push_service, "follower", f"live-{live_blog.pk}")
    outsider = django_user_model.objects.create_user("olly", "olly@example.org", "pw", is_staff=True)
    outsider.groups.add(Group.objects.get(name=WRITERS))
    assert not live_blog.writers_may_post
    entries = live_blog.entries.count()

    for user in (writer, outsider):
        client.force_login(user)
        response = post_with_alert(client, live_blog, headline="Roads closed", text="A1 closed")
        assert response.status_code == 403

    assert live_blog.entries.count() == entries
    assert not Alert.objects.exists() and push_service.messages_for(follower) == []
