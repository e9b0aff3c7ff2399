"""Take docs/live-desk.png: the live desk of a live blog with a few entries, one pinned.

Builds a throwaway SQLite database, serves it from a thread in this process and
drives the system's Chromium through Playwright (as the browser tests do).
Usage: .venv/bin/python scripts/screenshot_live_desk.py [output.png]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ENTRIES = [
    ("Roads closed in the north", "<p>Trees are down on the <b>A1</b> between the two bridges.</p>"),
    ("", "<p>The coastguard asks people to keep away from the sea front until the evening.</p>"),
    ("Power cut", "<p>About 12,000 homes are without power, the grid operator says.</p>"),
    ("Winds pick up", "<p>Gusts of <i>90 km/h</i> were measured at the harbour.</p>"),
]


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "live-desk.png"
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="screenshot-desk-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/desk.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test import Client
    from django.test.testcases import LiveServerThread
    from django.utils import timezone

    from wagtail.models import Site

    from news.models import CategoryIndexPage, LiveBlogEntry, LiveBlogPage

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page
    section = home.add_child(instance=CategoryIndexPage(title="Weather", slug="weather"))
    blog = section.add_child(
        instance=LiveBlogPage(title="Storm Amy: live", slug="storm-amy", standfirst="The latest.")
    )
    blog.save_revision().publish()
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "editor")
    user.first_name, user.last_name = "Eda", "Editor"
    user.save()
    now = timezone.now()
    for n, (headline, body) in enumerate(reversed(ENTRIES)):
        entry = LiveBlogEntry(
            page=blog,
            headline=headline,
            body=body,
            posted_by=user,
            posted_at=now - timedelta(minutes=9 - 3 * n),
        )
        entry.pinned = headline == "Power cut"
        entry.save_change(user)

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    client = Client()
    client.force_login(user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1100, "height": 1400})
            context.add_cookies([{**cookie, "url": base}])
            page = context.new_page()
            page.goto(f"{base}/admin/live-desk/{blog.pk}/")
            page.locator("[data-live-desk-form] [role=textbox]").wait_for()
            png = page.screenshot()
            browser.close()
    finally:
        server.terminate()
    # A palette PNG: the admin's flat colours survive, the file stays small.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128)
    image.save(output, optimize=True)
    print(f"{output} ({output.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
