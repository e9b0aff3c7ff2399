"""The privacy notice says precisely what is stored, and its update never overwrites an editor's text."""

import importlib
import json

import pytest
from django_comments_xtd.models import XtdComment

from django.apps import apps

from alerts.models import PushSubscription, SubscriptionTopic
from newsletters.models import Delivery, Subscriber, Subscription
from pages.models import ContentPage
from readers.models import ReaderProfile, SignInRequest
from readership.models import HourlyViews

pytestmark = pytest.mark.django_db

update = importlib.import_module("pages.migrations.0004_privacy_notice_precise")
original = importlib.import_module("pages.migrations.0003_privacy_notice")


def notice() -> ContentPage:
    return ContentPage.objects.get(slug="privacy")


def text_of(paragraphs) -> str:
    return " ".join(value if isinstance(value, str) else value["text"] for _, value in paragraphs)


@pytest.mark.parametrize(
    "said",
    [
        # Reader accounts
        "your e-mail address, the display name you choose",
        "deleted after a day",
        "after two weeks at most",
        # Newsletters
        "the lists it asked for, when it asked, when it confirmed",
        "a keyed hash of the IP address the sign-up came from",
        "For each issue sent we keep a delivery record",
        "We record no opens or clicks",
        # Alerts
        "its push address",
        "the two public keys the browser gave to encrypt them, the topics it follows",
        "No name, e-mail address, account, IP address or cookie goes with it.",
        # Page views
        "for each story and each hour, a number. No IP address, identifier or cookie is kept with it",
        # Comments
        "the time and the IP address it came from",
        "it is kept as long as the comment",
        "Akismet",
        # Getting and deleting it
        "download your data (your account, your comments and your newsletter subscriptions, as JSON)",
        "delete your account",
        "reader_session",
    ],
)
def test_the_notice_says_what_is_stored(client, said):
    html = client.get("/privacy/").text.replace("&#x27;", "'").replace("&quot;", '"')
    assert said in html


def test_the_notice_page_is_updated_in_place(client):
    page = notice()
    assert page.live and page.title == "Privacy notice"
    assert update.without_ids(page.body) == update.blocks_of(update.PARAGRAPHS)


def test_what_the_notice_describes_is_what_the_tables_hold():
    """A new column about readers means a new sentence in the notice: this test names them all."""

    def columns(model) -> set[str]:
        return {field.name for field in model._meta.concrete_fields}

    assert columns(PushSubscription) == {"id", "endpoint", "p256dh", "auth", "created_at"}
    assert columns(SubscriptionTopic) == {"id", "subscription", "topic"}
    assert columns(HourlyViews) == {"id", "story", "hour", "views"}
    assert columns(Subscriber) == {
        "id",
        "email",
        "is_active",
        "created_at",
        "deactivated_reason",
        "last_confirmation_sent_at",
        "signup_network",
    }
    assert columns(Subscription) == {
        "id",
        "subscriber",
        "newsletter",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    }
    assert {"issue", "subscriber", "status", "sent_at", "last_error"} <= columns(Delivery)
    assert columns(ReaderProfile) == {"id", "user", "created_at", "last_signed_in_at"}
    assert {"email", "token_digest", "code_digest", "next_url", "created_at", "used_at"} <= columns(
        SignInRequest
    )
    assert {"user_name", "user_email", "user_url", "ip_address", "followup"} <= columns(XtdComment)


def put_back(page, paragraphs) -> None:
    page.body = json.loads(update.body_json(paragraphs))
    page.save()


def test_the_original_text_is_replaced(client):
    page = notice()
    put_back(page, original.PARAGRAPHS)
    assert "IP address it came from, for moderation" in client.get("/privacy/").text

    update.forward(apps, None)

    page.refresh_from_db()
    assert update.without_ids(page.body) == update.blocks_of(update.PARAGRAPHS)
    assert "its push address" in client.get("/privacy/").text


def test_an_editors_published_change_is_kept():
    page = notice()
    edited = list(original.PARAGRAPHS)
    edited[1] = ("paragraph", "<p>Our own words, written by an editor.</p>")
    put_back(page, edited)

    update.forward(apps, None)

    page.refresh_from_db()
    assert update.without_ids(page.body) == update.blocks_of(edited)


def test_an_editors_unpublished_draft_is_kept():
    page = notice()
    put_back(page, original.PARAGRAPHS)
    page.body = json.loads(update.body_json([("paragraph", "<p>A draft in progress.</p>")]))
    draft = page.save_revision()
    page.refresh_from_db()
    assert page.latest_revision == draft and page.has_unpublished_changes

    update.forward(apps, None)

    page.refresh_from_db()
    assert update.without_ids(page.body) == update.blocks_of(original.PARAGRAPHS)
    assert page.latest_revision == draft


def test_a_page_published_unchanged_gets_a_revision_with_the_new_text(admin_client):
    page = notice()
    put_back(page, original.PARAGRAPHS)
    page.save_revision().publish()  # an editor opened it and published it as it was
    page.refresh_from_db()
    before = page.latest_revision_id

    update.forward(apps, None)

    page.refresh_from_db()
    assert page.latest_revision_id != before and page.live_revision_id == page.latest_revision_id
    assert update.without_ids(page.latest_revision.content["body"]) == update.blocks_of(update.PARAGRAPHS)
    assert update.without_ids(page.body) == update.blocks_of(update.PARAGRAPHS)
    # The page editor opens the new text.
    assert "its push address" in admin_client.get(f"/admin/pages/{page.pk}/edit/").text


def test_the_update_can_be_undone():
    update.backward(apps, None)
    page = notice()
    assert update.without_ids(page.body) == update.blocks_of(original.PARAGRAPHS)
    assert "push address" not in text_of(original.PARAGRAPHS)
