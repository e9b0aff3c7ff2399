"""A reader signs in with the e-mailed link and comments as themselves, in a real browser."""

import re

import pytest
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.core import mail

from discussion.models import ReaderCommentSettings
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

TIMEOUT = 30_000


@pytest.fixture
def article(home_page):
    settings = ReaderCommentSettings.for_site(home_page.get_site())
    settings.min_seconds_to_fill = 0
    settings.save()
    section = CategoryIndexPageFactory(parent=home_page, title="Science")
    return NewsArticlePageFactory(parent=section, title="Comets explained")


def test_a_reader_signs_in_by_the_emailed_link_and_comments_as_themselves(page, live_server, article):
    mail.outbox.clear()
    page.goto(live_server.url + article.url)
    page.locator(".reader-status").get_by_role("link", name="Sign in").click()
    page.get_by_label("Your e-mail address").fill("comet.fan@example.org")
    page.get_by_role("button", name="E-mail me a sign-in link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible(timeout=TIMEOUT)

    [message] = mail.outbox
    link = re.search(r"http://\S+/account/sign-in/link/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(article.url) + "$"), timeout=TIMEOUT)
    reader = get_user_model().objects.get(email="comet.fan@example.org")
    expect(page.locator(".reader-status")).to_contain_text(
        f"Signed in as {reader.first_name}", timeout=TIMEOUT
    )

    form = page.locator("form.comment-form")
    expect(form.locator(".comment-form__as")).to_have_text(
        f"Commenting as {reader.first_name}.", timeout=TIMEOUT
    )
    expect(form.get_by_label("Name")).to_be_hidden()
    expect(form.get_by_label("Email", exact=True)).to_be_hidden()
    form.get_by_label("Comment").fill("Comets are dirty snowballs.")
    form.get_by_role("button", name="Post comment").click()

    own = page.locator("li.comment--own")
    expect(own).to_contain_text("Comets are dirty snowballs.", timeout=TIMEOUT)
    expect(own.locator(".comment__author")).to_have_text(reader.first_name)
    expect(own.locator(".comment__own")).to_have_text("(you)")
    expect(own.get_by_role("link", name="Edit")).to_be_visible()
    comment = XtdComment.objects.get(comment="Comets are dirty snowballs.")
    assert (comment.user_id, comment.user_email, comment.is_public) == (
        reader.pk,
        "comet.fan@example.org",
        True,
    )
    assert len(mail.outbox) == 1, "no confirmation e-mail for a signed-in reader"
