"""A signed-in reader subscribes from an article's sign-up box in one click, with no e-mail to confirm."""

import pytest
from playwright.sync_api import expect

from django.conf import settings
from django.core import mail
from django.test import Client

from newsletters.models import Newsletter, Subscription
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, ReaderFactory

TIMEOUT = 30_000


@pytest.fixture
def article(home_page):
    # Live-server tests flush the tables: the migration's lists are there for the first test only.
    # Their order in the box, as the migration sets it (sort_order), whichever test runs first.
    Newsletter.objects.update_or_create(
        slug="daily-briefing",
        defaults={
            "name": "Daily briefing",
            "kind": "daily",
            "description": "The day's top stories.",
            "sort_order": 0,
        },
    )
    Newsletter.objects.update_or_create(
        slug="breaking-news", defaults={"name": "Breaking news", "kind": "breaking", "sort_order": 1}
    )
    section = CategoryIndexPageFactory(parent=home_page, title="Science")
    return NewsArticlePageFactory(parent=section, title="Comets explained")


def signed_in(page, live_server, reader) -> None:
    """The browser of a reader who signed in: their session in the reader cookie (readers.sessions)."""
    client = Client()
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.READER_SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_a_signed_in_reader_subscribes_from_an_article_in_one_click(page, live_server, article):
    reader = ReaderFactory(email="comet.fan@example.org", first_name="Comet fan")
    signed_in(page, live_server, reader)
    mail.outbox.clear()

    page.goto(live_server.url + article.url)
    expect(page.locator(".reader-status")).to_contain_text("Signed in as Comet fan", timeout=TIMEOUT)
    box = page.locator("form.newsletter-signup").first
    button = box.get_by_role("button", name="Subscribe")
    expect(button).to_be_visible(timeout=TIMEOUT)
    expect(box.get_by_label("Your e-mail address")).to_be_hidden()
    expect(box.get_by_label("Daily briefing")).to_be_checked()

    button.click()

    expect(box.get_by_role("status")).to_contain_text("You're subscribed to Daily briefing.", timeout=TIMEOUT)
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "comet.fan@example.org"
    assert subscription.newsletter.slug == "daily-briefing"
    assert subscription.confirmed_at is not None and subscription.unsubscribed_at is None
    assert mail.outbox == [], "no confirmation e-mail: the account's address is verified"

    # The next page view, from the same cached HTML, knows it from /account/me.json.
    page.reload()
    expect(box.get_by_label("Daily briefing")).to_be_disabled(timeout=TIMEOUT)
    expect(box.locator(".newsletter-signup__has")).to_have_text(" (subscribed)")
    box.get_by_label("Breaking news").check()
    box.get_by_role("button", name="Subscribe").click()
    expect(box.get_by_role("status")).to_contain_text(
        "You're subscribed to Daily briefing and Breaking news.", timeout=TIMEOUT
    )
    expect(box.get_by_role("link", name="Manage your newsletters")).to_have_attribute(
        "href", "/account/#account-newsletters"
    )
    assert set(Subscription.objects.receiving().values_list("newsletter__slug", flat=True)) == {
        "daily-briefing",
        "breaking-news",
    }


def test_signed_out_the_box_is_the_double_opt_in_form(page, live_server, article):
    page.goto(live_server.url + article.url)
    box = page.locator("form.newsletter-signup").first
    expect(box.get_by_label("Your e-mail address")).to_be_visible(timeout=TIMEOUT)
    expect(box.get_by_role("button", name="Sign up")).to_be_visible()
    expect(box.get_by_role("button", name="Subscribe")).to_have_count(0)
