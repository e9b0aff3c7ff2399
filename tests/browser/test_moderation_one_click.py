"""A moderator approves a held reader comment in one click from the admin listing."""

from playwright.sync_api import expect

from discussion.models import ReaderComment
from tests.browser.roles import role_accounts, sign_in  # noqa: F401 (fixture)
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory, ReaderCommentFactory


def test_moderator_approves_a_held_comment_in_one_click(page, live_server, home_page, role_accounts):  # noqa: F811
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    article = NewsArticlePageFactory(parent=health, title="Flu season")
    held = ReaderCommentFactory(
        article=article, user_name="Hilda", comment="Waiting for a moderator", is_public=False
    )
    ReaderCommentFactory(article=article, user_name="Otto", comment="Also waiting", is_public=False)

    sign_in(page, live_server.url, "moderator")
    page.goto(f"{live_server.url}/admin/snippets/discussion/readercomment/?status=held")
    row = page.locator("tr", has_text="Waiting for a moderator")
    row.get_by_role("button", name="Approve: the comment by Hilda").click()

    expect(page.get_by_text("Reader comment by Hilda approved and published.")).to_be_visible()
    assert "status=held" in page.url
    expect(page.locator("tr", has_text="Waiting for a moderator")).to_have_count(0)
    expect(page.locator("tr", has_text="Also waiting")).to_have_count(1)
    held.refresh_from_db()
    assert ReaderComment.objects.public().filter(pk=held.pk).exists()
