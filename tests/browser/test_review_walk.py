"""Writer submits, editor requests changes from the dashboard, writer reads the request: in a browser."""

from playwright.sync_api import expect

from wagtail.models import WorkflowState

from news.models import NewsArticlePage
from tests.browser.roles import role_accounts, sign_in, sign_out  # noqa: F401 (fixture)
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

HEADLINE = "Clinics extend opening hours"
REQUEST = "Please add the health board’s figures."


def test_writer_submits_editor_requests_changes_writer_reads_them(
    page,
    live_server,
    home_page,
    role_accounts,  # noqa: F811
):
    writer = role_accounts["writer"]
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    story = NewsArticlePageFactory(parent=health, title=HEADLINE, live=False, owner=writer)
    story.save_revision(user=writer)
    edit_url = f"{live_server.url}/admin/pages/{story.pk}/edit/"

    sign_in(page, live_server.url, "writer")
    page.goto(edit_url)
    page.get_by_role("button", name="More actions").click()
    page.locator('button[name="action-submit"]').click()
    page.wait_for_load_state()
    assert (
        NewsArticlePage.objects.get(pk=story.pk).current_workflow_state.status
        == WorkflowState.STATUS_IN_PROGRESS
    )
    sign_out(page, live_server.url)

    sign_in(page, live_server.url, "news-editor")
    row = page.locator("#awaiting-review-section tr", has_text=HEADLINE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Request changes").click()
    dialog = page.locator(".modal-content")
    dialog.locator('textarea[name="comment"]').fill(REQUEST)
    dialog.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text(f"Changes requested on “{HEADLINE}”: the writer has been told.")).to_be_visible()
    assert page.locator("#awaiting-review-section tr", has_text=HEADLINE).count() == 0
    sign_out(page, live_server.url)

    sign_in(page, live_server.url, "writer")
    drafts = page.locator("#desk-drafts-section tr", has_text=HEADLINE)
    assert "Changes requested" in drafts.inner_text()
    page.goto(edit_url)
    expect(page.get_by_text(f"Changes requested by news-editor: “{REQUEST}”")).to_be_visible()
