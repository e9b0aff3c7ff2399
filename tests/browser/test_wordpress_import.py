"""An editor imports a WordPress export from the admin and watches it run on the task worker."""

import threading

import pytest
from django_tasks_db.management.commands import db_worker
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.db import connection

from news.models import NewsArticlePage
from tests.wordpress.wxr_builder import category, item, write
from tests.worker import DB_TASKS

HARBOUR = ("harbour", "Harbour")
WAIT = 120_000  # ms: a loaded machine may take a while to start and run the task.


@pytest.fixture
def worker_thread():
    """A database-queue worker in a thread of its own, started when the test says."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    yield thread
    worker.running = False
    if thread.is_alive():
        thread.join(30)


def test_editor_imports_an_export_and_opens_an_imported_story(
    page, live_server, home_page, settings, tmp_path, worker_thread
):
    # On PostgreSQL a worker thread runs the queue beside the live server. SQLite's
    # in-memory test database takes one writer at a time across threads: there the
    # tasks run inside the request (the immediate backend) and the page opens at 100%.
    with_worker = connection.vendor != "sqlite"
    if with_worker:
        settings.TASKS = DB_TASKS
    settings.WORDPRESS_IMPORT_DIR = tmp_path / "imports"
    get_user_model().objects.create_superuser("chief", "chief@example.org", "chief")
    export = write(
        tmp_path / "gazette.xml",
        category("harbour", "Harbour"),
        *(
            item(n, title=f"Harbour story {n}", slug=f"harbour-story-{n}", categories=[HARBOUR])
            for n in range(1, 6)
        ),
    )

    # A loaded machine may be slow to render the admin: every wait is generous.
    page.set_default_timeout(WAIT)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("chief")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/admin/import-wordpress/")
    page.get_by_label("WordPress export (WXR)").set_input_files(export)
    page.get_by_role("button", name="Upload and start the dry run").click()

    if with_worker:
        # Queued: nothing runs until a worker takes it; the page polls for progress.
        expect(page.locator("#import-status")).to_contain_text("Waiting for the worker", timeout=WAIT)
        expect(page.locator("progress")).to_have_attribute("value", "0")
        worker_thread.start()
    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=WAIT)
    expect(page.get_by_role("button", name="Import for real")).to_be_visible(timeout=WAIT)
    expect(page.locator(".wordpress-import-report")).to_contain_text("dry run: nothing written")
    assert not NewsArticlePage.objects.exists()

    page.get_by_role("button", name="Import for real").click()
    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=WAIT)
    expect(page.locator("#import-status")).to_contain_text("5 of 5 items", timeout=WAIT)
    expect(page.get_by_role("link", name="Download the report (JSON)")).to_be_visible(timeout=WAIT)

    story = NewsArticlePage.objects.get(slug="harbour-story-3")
    page.goto(f"{live_server.url}{story.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour story 3")
