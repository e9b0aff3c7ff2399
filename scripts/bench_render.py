#!/usr/bin/env python
"""What one uncached page costs in Python: cold and warm, in one process; never part of `make test`.

    python scripts/bench_render.py            # the table (part of `make bench`)
    python scripts/bench_render.py --profile  # and a cProfile of the warm seed article
    python scripts/bench_render.py --profile --page "front page"  # ... of another page

The dataset is a SQLite database of its own (bench/render.sqlite3), built once:
the seed article, 120 generated articles with 1,500 comments, a pictured
article topped up to 200 comments and a live blog of 300 entries. Pages are
served by Django's test client with production settings, the local-memory
cache, no page cache and no Varnish:

- **cold**: the cache cleared before each request (as after a restart);
- **warm**: the cache filled by the previous requests (as after a purge, when
  Varnish sends the next reader to Django).

Each column is the median of the medians of ROUNDS rounds of REPEAT requests,
the pages interleaved. Results go to bench/render.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
PYTHON = sys.executable
DATABASE_URL = f"sqlite:///{OUT}/render.sqlite3"
PAGES = ["seed article", "pictured article, 200 comments", "front page", "section", "live blog, 300 entries"]


def env_for(production: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PAGE_CACHE", "VARNISH_URL"}}
    env.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="newsroom.settings.production" if production else "newsroom.settings.dev",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="false",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(*args: str, production: bool = False) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(production), check=True)


# Tops the dataset up to what is measured: run once, then a no-op.
SETUP_CODE = r"""
from datetime import timedelta
import django
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from news.models import CategoryIndexPage, LiveBlogEntry, LiveBlogPage, NewsArticlePage

pictured = NewsArticlePage.objects.live().filter(lead_image__isnull=False).order_by("pk").first()
kind = ContentType.objects.get_for_model(NewsArticlePage)
have = XtdComment.objects.filter(content_type=kind, object_pk=str(pictured.pk)).count()
for n in range(have, 200):
    XtdComment.objects.create(
        content_type=kind, object_pk=str(pictured.pk), site_id=1, user_name=f"Reader {n}",
        user_email=f"reader{n}@example.org", comment=f"Comment number {n}: " + "words " * 30,
        submit_date=timezone.now() - timedelta(minutes=300 - n), is_public=True,
    )
blog = LiveBlogPage.objects.filter(slug="bench-live-blog").first()
if blog is None:
    section = CategoryIndexPage.objects.filter(depth=3).order_by("path").first()
    when = timezone.now() - timedelta(days=1)
    blog = LiveBlogPage(title="Bench live blog", slug="bench-live-blog",
                        standfirst="Follow it as it happens.", status="live", display_date=when)
    section.add_child(instance=blog)
    blog.save_revision().publish()
    # Entries are rows of their own, each saved with its revision as the live desk posts them.
    for m in range(300):
        LiveBlogEntry(page=blog, posted_at=when + timedelta(minutes=m),
                      headline=f"Entry {m}" if m % 3 == 0 else "",
                      body=f"<p>Entry {m} of the day.</p>").save_change()
"""

MEASURE_CODE = r"""
import cProfile, json, os, pstats, statistics, sys, time
import django
django.setup()
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db.models import Count
from django_comments_xtd.models import XtdComment
from news.models import CategoryIndexPage, LiveBlogPage, NewsArticlePage, StoryPage

repeat, rounds, profile, profiled = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
seed = NewsArticlePage.objects.get(slug="respiratory-viruses-may-awaken-dormant-breast-cancer")
pictured = NewsArticlePage.objects.live().filter(lead_image__isnull=False).order_by("pk").first()
section = max(CategoryIndexPage.objects.filter(depth=3), key=lambda s: StoryPage.objects.child_of(s).count())
urls = {
    "seed article": seed.url,
    "pictured article, 200 comments": pictured.url,
    "front page": "/",
    "section": section.url,
    "live blog, 300 entries": LiveBlogPage.objects.get(slug="bench-live-blog").url,
}
client = Client(HTTP_HOST="127.0.0.1")

def clear():
    for cache in caches.all():
        cache.clear()

def timed(url, cold):
    if cold:
        clear()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed

results = {name: {"url": url, "cold": [], "warm": []} for name, url in urls.items()}
for name, url in urls.items():
    for _ in range(3):
        client.get(url)  # renditions made, code paths loaded
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    results[name]["warm_queries"] = len(queries)
    clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    results[name]["cold_queries"] = len(queries)
for _ in range(rounds):
    for name, url in urls.items():
        results[name]["cold"].append(statistics.median(timed(url, True) for _ in range(repeat)))
        timed(url, False)
        results[name]["warm"].append(statistics.median(timed(url, False) for _ in range(repeat)))
for row in results.values():
    row["cold"] = round(statistics.median(row["cold"]), 1)
    row["warm"] = round(statistics.median(row["warm"]), 1)
if profile:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(urls[profiled])
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
    stats.print_stats(int(os.environ.get("PROFILE_LINES", "45")))
print(json.dumps(results))
"""


def prepare() -> None:
    OUT.mkdir(exist_ok=True)
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0", production=True)
    manage("import_seeds")
    manage("generate_demo_content", "--articles=120", "--comments=1500", "--seed=1", "--if-fewer-than=60")
    subprocess.run([PYTHON, "-c", SETUP_CODE], cwd=ROOT, env=env_for(False), check=True, timeout=600)


def measure(repeat: int, rounds: int, profile: bool, page: str = PAGES[0]) -> dict:
    output = subprocess.run(
        [PYTHON, "-c", MEASURE_CODE, str(repeat), str(rounds), "1" if profile else "0", page],
        cwd=ROOT,
        env=env_for(True),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def table(results: dict, when: str) -> str:
    lines = [
        f"In-process, {when}: SQLite, production settings, local-memory cache, no page cache "
        "(median of the medians, ms).",
        "",
        "| Page | Queries cold / warm | Cold ms | Warm ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in PAGES:
        row = results[name]
        lines.append(
            f"| {name} | {row['cold_queries']} / {row['warm_queries']} | {row['cold']} | {row['warm']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "15")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    parser.add_argument("--profile", action="store_true", help="print a cProfile of a warm page")
    parser.add_argument("--page", choices=PAGES, default=PAGES[0], help="the page --profile profiles")
    parser.add_argument("--skip-prepare", action="store_true", help="measure the dataset as it is")
    args = parser.parse_args()
    if not args.skip_prepare:
        prepare()
    results = measure(args.repeat, args.rounds, args.profile, args.page)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report = {"date": when, "pages": results, "table": table(results, when)}
    (OUT / "render.json").write_text(json.dumps(report, indent=2))
    print("\n" + report["table"])


if __name__ == "__main__":
    main()
