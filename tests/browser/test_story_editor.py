"""The story editor as editors use it: every typed word is saved, however fast they save."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from news.models import NewsArticlePage
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

# At least 20 saves by each route, over a new story and an existing one.
SAVES = {("existing", "Ctrl+S"): 15, ("existing", "button"): 15, ("new", "Ctrl+S"): 5, ("new", "button"): 5}


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def add_paragraph(page):
    """A new paragraph block at the end of the body; returns its editor, focused."""
    page.locator("[data-contentpath=body] [title='Insert a block']").last.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator("[data-contentpath=body] [data-streamfield-child] [role=textbox]").last
    editor.click()
    return editor


def save_at_once(page, route: str) -> None:
    """Save right after the last keystroke, as the button or the shortcut does, and wait for the answer."""
    with page.expect_navigation():
        if route == "Ctrl+S":
            page.keyboard.press("Control+s")
        else:
            page.get_by_role("button", name="Save draft").click()
    page.locator(".messages").wait_for()


def paragraphs_saved(story) -> str:
    story = NewsArticlePage.objects.get(pk=story.pk)
    body = story.get_latest_revision().as_object().body
    return " ".join(block.value.source for block in body if block.block_type == "paragraph")


def test_every_word_typed_survives_a_save_with_no_pause(page, home_page, live_server):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    story = NewsArticlePageFactory(parent=health, title="Existing story", body=[])
    story.save_revision()
    log_in(page, live_server, get_user_model().objects.create_superuser("boss", "b@example.org", "pw"))

    lost = []
    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    editor = add_paragraph(page)
    for route in ("Ctrl+S", "button"):
        for n in range(SAVES["existing", route]):
            word = f"{route[0]}word{n}"
            editor.click()
            page.keyboard.press("Control+End")
            page.keyboard.type(f" {word}")
            save_at_once(page, route)
            if word not in paragraphs_saved(story):
                lost.append(("existing", route, word))
            editor = page.locator("[data-contentpath=body] [role=textbox]").first

    for route in ("Ctrl+S", "button"):
        for n in range(SAVES["new", route]):
            title = f"New story {route} {n}"
            page.goto(f"{live_server.url}/admin/pages/add/news/newsarticlepage/{health.pk}/")
            page.get_by_placeholder("Page title*").fill(title)
            add_paragraph(page)
            page.keyboard.type(f"Typed for {title}")
            save_at_once(page, route)
            new_story = NewsArticlePage.objects.filter(title=title).first()
            if new_story is None or f"Typed for {title}" not in paragraphs_saved(new_story):
                lost.append(("new", route, title))

    assert lost == []


def test_schedule_beside_publish_opens_the_schedule_dialog(page, home_page, live_server):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    story = NewsArticlePageFactory(parent=health, title="Story to schedule")
    log_in(page, live_server, get_user_model().objects.create_superuser("boss", "b@example.org", "pw"))

    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    dialog = page.get_by_role("dialog", name="Set publishing schedule")
    assert not dialog.is_visible()
    page.locator(".w-dropdown-button").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Schedule…").click()
    dialog.wait_for(state="visible")
    assert dialog.locator("input[name=go_live_at]").is_visible()
