"""An editor runs a live blog from the live desk while a reader keeps the blog open:
each post, edit, pin and deletion reaches the reader's page within one poll, without a reload."""

from playwright.sync_api import expect

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from news.models import LiveBlogEntry
from tests.factories import CategoryIndexPageFactory, LiveBlogEntryFactory, LiveBlogPageFactory

POLL_SECONDS = 1
# One poll, plus room for a slow, loaded machine to answer it.
WITHIN_A_POLL = 15_000


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def desk_row(page, text: str):
    return page.locator("tr[data-entry-id]", has_text=text)


def test_each_change_at_the_live_desk_reaches_an_open_reader_page(
    browser, page, home_page, live_server, settings
):
    settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS = POLL_SECONDS
    section = CategoryIndexPageFactory(parent=home_page, title="Weather")
    blog = LiveBlogPageFactory(parent=section, title="Storm: live")
    LiveBlogEntryFactory(page=blog, headline="Winds pick up")
    page_revisions = blog.revisions.count()
    reader_context = browser.new_context(viewport={"width": 1000, "height": 900})
    reader = reader_context.new_page()
    reader.goto(live_server.url + blog.url)
    reader.evaluate("window.openedOnce = true")
    entries = reader.locator("[data-live-blog-entries] .live-blog__entry")
    expect(entries).to_have_count(1)
    log_in(page, live_server, get_user_model().objects.create_superuser("chief", "c@example.org", "pw"))
    page.goto(f"{live_server.url}/admin/live-desk/{blog.pk}/")

    # Post: headline and formatted text, then straight to the button.
    page.get_by_label("Headline").fill("Roads closed")
    page.locator("form[data-live-desk-form] [role=textbox]").click()
    page.keyboard.type("Trees down on the A1.")
    page.get_by_role("button", name="Post entry").click()
    expect(page.locator(".messages")).to_contain_text("Entry posted")
    posted = LiveBlogEntry.objects.get(headline="Roads closed")
    expect(reader.locator(f"#entry-{posted.pk}")).to_contain_text(
        "Trees down on the A1.", timeout=WITHIN_A_POLL
    )
    expect(entries.first).to_contain_text("Roads closed")

    # Edit: the reader's copy changes in place.
    desk_row(page, "Roads closed").get_by_role("link", name="Edit").click()
    body = page.locator("form [role=textbox]")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("Trees cleared, one lane open.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".messages")).to_contain_text("Entry updated")
    expect(reader.locator(f"#entry-{posted.pk}")).to_contain_text("one lane open", timeout=WITHIN_A_POLL)
    expect(reader.locator(f"#entry-{posted.pk}")).not_to_contain_text("Trees down")

    # Pin the older entry: it goes on top of the reader's page.
    desk_row(page, "Winds pick up").get_by_role("button", name="Pin").click()
    expect(page.locator(".messages")).to_contain_text("pinned")
    pinned = reader.locator("[data-live-blog-pinned] .live-blog__entry")
    expect(pinned).to_contain_text("Winds pick up", timeout=WITHIN_A_POLL)
    expect(reader.locator("[data-live-blog-pinned]")).to_be_visible()

    # Delete: it leaves the reader's page.
    desk_row(page, "Roads closed").get_by_role("button", name="Delete").click()
    expect(page.locator(".messages")).to_contain_text("Entry deleted")
    expect(reader.locator(f"#entry-{posted.pk}")).to_have_count(0, timeout=WITHIN_A_POLL)

    assert reader.evaluate("window.openedOnce") is True  # the same document all along: no reload
    assert blog.revisions.count() == page_revisions  # no page revision per entry
    reader_context.close()
