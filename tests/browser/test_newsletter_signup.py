"""A reader subscribes from an article, confirms from the e-mail, and leaves with the e-mail's link."""

import re

import pytest
from playwright.sync_api import expect

from django.core import mail

from newsletters.models import Newsletter, Subscription
from newsletters.tasks import start_sending
from tests.factories import CategoryIndexPageFactory, IssueFactory, NewsArticlePageFactory


@pytest.fixture
def article(home_page):
    # Live-server tests flush the tables: the migration's lists are there for the first test only.
    Newsletter.objects.get_or_create(
        slug="daily-briefing", defaults={"name": "Daily briefing", "kind": "daily"}
    )
    section = CategoryIndexPageFactory(parent=home_page, title="Health")
    return NewsArticlePageFactory(parent=section, title="A story worth following")


def test_subscribe_confirm_and_unsubscribe_in_one_click(page, live_server, article):
    mail.outbox.clear()
    page.goto(live_server.url + article.url)
    box = page.locator("form.newsletter-signup").first
    box.get_by_label("Your e-mail address").fill("ada@example.org")
    box.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible(timeout=30_000)

    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/newsletters/confirm/\S+/", confirmation.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible(timeout=30_000)
    assert Subscription.objects.receiving().count() == 1

    start_sending(IssueFactory(newsletter=Subscription.objects.get().newsletter, subject="Today's briefing"))
    issue_message = mail.outbox[-1]
    assert issue_message.subject == "Today's briefing"
    assert issue_message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", issue_message.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe in issue_message.body

    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible(timeout=30_000)
    assert not Subscription.objects.receiving().exists()

    # What a mail client's one-click button sends (RFC 8058), a second time: still fine.
    response = page.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
