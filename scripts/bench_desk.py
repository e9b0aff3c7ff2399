"""make bench-desk: the live desk with 1,000 entries, timed on the server side.

Builds a throwaway SQLite database (or uses DATABASE_URL's PostgreSQL, in a
database of its own), a live blog with 10 and one with 1,000 entries, and
measures in the Django process (no network, no browser):

- opening the live desk (target < 1 s),
- posting an entry (target < 0.5 s),
- the live blog's page form: its size and time with 10 and with 1,000 entries
  (it must not grow with the entries),
- the reader page and its polling answer.

Each figure is the median of several runs after one warm-up. Prints a table;
nothing is timed inside the test suite.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 1_000
SMALL = 10
RUNS = 5
TARGETS = {"open the live desk": 1.0, "post an entry": 0.5}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="bench-desk-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    print(f"Database: {connection.vendor}; migrating a fresh one…", flush=True)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        return run(call_command)
    finally:
        from django.test.utils import teardown_databases

        teardown_databases(old_config, verbosity=0)


def expect_status(response, status: int) -> None:
    if response.status_code != status:
        raise SystemExit(f"expected {status}, got {response.status_code}: {response.content[:500]!r}")


def median_seconds(action, runs: int = RUNS) -> tuple[float, object]:
    result = action()  # warm-up: per-process caches (content types, site root paths, templates)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(call_command) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from wagtail.models import Site
    from wagtail.test.utils.form_data import rich_text

    from news.blocks import RICH_TEXT_FEATURES
    from news.models import CategoryIndexPage, LiveBlogEntry, LiveBlogPage

    home = Site.objects.get(is_default_site=True).root_page
    section = home.add_child(instance=CategoryIndexPage(title="News", slug="news"))
    blogs = {}
    for count in (SMALL, ENTRIES):
        blog = section.add_child(
            instance=LiveBlogPage(
                title=f"Live with {count}", slug=f"live-{count}", standfirst="As it happens."
            )
        )
        blog.save_revision().publish()
        now = timezone.now()
        for n in range(count):
            LiveBlogEntry(
                page=blog,
                headline=f"Update {n}" if n % 3 == 0 else "",
                body=f"<p>Entry {n}: <b>something</b> happened, with a <i>few</i> words about it.</p>",
                posted_at=now - timezone.timedelta(minutes=count - n),
            ).save_change()
        blogs[count] = blog
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    client = Client()
    client.force_login(user)
    big = blogs[ENTRIES]
    desk = f"/admin/live-desk/{big.pk}/"

    figures: list[tuple[str, float, str]] = []

    seconds, response = median_seconds(lambda: client.get(desk))
    expect_status(response, 200)
    figures.append(("open the live desk", seconds, f"{len(response.content) / 1024:.0f} KB"))

    posted = iter(range(10_000))

    def post():
        n = next(posted)
        data = {"headline": "", "body": rich_text(f"<p>Posted {n}</p>", features=RICH_TEXT_FEATURES)}
        data.update(image="", embed_url="")
        return client.post(desk, data)

    seconds, response = median_seconds(post)
    expect_status(response, 302)
    figures.append(("post an entry", seconds, "redirect to the desk"))

    for count, blog in blogs.items():
        seconds, response = median_seconds(lambda blog=blog: client.get(f"/admin/pages/{blog.pk}/edit/"))
        expect_status(response, 200)
        figures.append((f"page form, {count:,} entries", seconds, f"{len(response.content) / 1024:.0f} KB"))

    anonymous = Client()
    seconds, response = median_seconds(lambda: anonymous.get(big.url))
    figures.append(("reader page (uncached)", seconds, f"{len(response.content) / 1024:.0f} KB"))
    cursor = big.latest_change() - 5
    seconds, response = median_seconds(lambda: anonymous.get(f"{big.url}entries/", {"after": cursor}))
    figures.append(("polling answer, 5 changes", seconds, f"{len(response.content) / 1024:.1f} KB"))

    print(f"\nLive desk with {ENTRIES:,} entries (median of {RUNS} runs, server side):\n")
    print(f"  {'':32} {'time':>9}  {'target':>8}  size")
    failed = False
    for name, seconds, size in figures:
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"< {target:g} s"
            failed |= seconds >= target
        print(f"  {name:32} {seconds * 1000:7.0f} ms  {verdict:>8}  {size}")
    print("\nAll targets met." if not failed else "\nSome targets missed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
