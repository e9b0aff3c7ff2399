#!/usr/bin/env python
"""Benchmark of the reader pages on a site at scale; never part of `make test`.

    python scripts/bench.py        # make bench: PostgreSQL, gunicorn, wrk (+ Varnish, static reference)
    python scripts/bench.py sizes  # make bench-sizes: 100/1,000 vs 10,000/100,000, SQLite and PostgreSQL

Datasets are built once with `generate_demo_content` and reused. Results are
printed as a table and written to bench/results.json (or bench/sizes.json).
Everything listens on 127.0.0.1 only and every run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from stack import create_database, find_varnishd, free_port, purge_secret, stop, vcl_for_backends, wait_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
BIG = (10_000, 100_000)
SMALL = (100, 1_000)
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "4"))
# The page types measured, by name; `pick_urls` finds their addresses in the dataset.
PAGE_TYPES = ["front page", "section p1", "section p200", "article 200 comments", "search", "feed"]
# A Redis database of the benchmark's own for the production cache and page cache.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# Varnish takes the publish's purges only with it (VARNISH_PURGE_SECRET on both sides).
PURGE_SECRET = purge_secret()


def env_for(database_url: str, production: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_SETTINGS_MODULE="newsroom.settings.production" if production else "newsroom.settings.dev",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="false",
        PYTHONPATH=str(ROOT),
        VARNISH_PURGE_SECRET=PURGE_SECRET,
    )
    return env


def manage(database_url: str, *args: str, production: bool = False) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(database_url, production), check=True)


def prepare(database_url: str, articles: int, comments: int) -> None:
    """Migrate, generate the dataset unless it is there, refresh the planner's statistics."""
    if database_url.startswith("postgres"):
        create_database(PG, database_url.rsplit("/", 1)[1], if_missing=True)
    manage(database_url, "migrate", "--noinput", "-v0")
    # Production settings serve hashed static names from the manifest.
    manage(database_url, "collectstatic", "--noinput", "-v0", production=True)
    manage(
        database_url,
        "generate_demo_content",
        f"--articles={articles}",
        f"--comments={comments}",
        "--seed=1",
        f"--if-fewer-than={max(articles // 2, 1)}",
    )
    code = "from django.db import connection\nwith connection.cursor() as c:\n    c.execute('ANALYZE')\n"
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env_for(database_url, False), check=True
    )


# -- measuring in one process (uncached time and SQL queries per page) -------

MEASURE_CODE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db.models import Count
from django_comments_xtd.models import XtdComment
from news.models import CategoryIndexPage, StoryPage
from django.conf import settings

def pick_urls():
    sections = CategoryIndexPage.objects.filter(depth=3)
    section = max(sections, key=lambda s: StoryPage.objects.descendant_of(s).count())
    counts = (XtdComment.objects.values("object_pk").annotate(n=Count("pk")).order_by())
    best = min(counts, key=lambda row: abs(row["n"] - 200))
    article = StoryPage.objects.get(pk=int(best["object_pk"]))
    pages = StoryPage.objects.descendant_of(section).live().count() // settings.NEWSROOM_ARTICLES_PER_PAGE
    deep = min(200, max(pages, 1))
    return {
        "front page": "/",
        "section p1": section.url,
        "section p200": f"{section.url}?page={deep}",
        "article 200 comments": article.url,
        "search": "/search/?q=researchers",
        "feed": "/feed/",
    }, best["n"], deep

def eight_packages():
    # A front page arranged in 8 packages: top stories, live now, three sections,
    # opinion, most discussed and the newsletter sign-up; None where front pages have no layout.
    from home.models import HomePage
    home = HomePage.objects.first()
    if home is None or not hasattr(home, "layout"):
        return None
    sections = list(CategoryIndexPage.objects.filter(depth=3).order_by("path")[:3])
    return home, [
        ("top_stories", {"stories": [], "count": 5}),
        ("live_now", {"heading": "Live now", "count": 3}),
        *(("section", {"section": s.pk, "stories": [], "count": 6}) for s in sections),
        ("opinion", {"heading": "Opinion", "kinds": "Analysis, Opinion", "tag": "opinion", "count": 4}),
        ("ranked_list", {"ranking": "most_discussed", "heading": "", "count": 5, "include_shown": False}),
        ("newsletter_signup", {"heading": "Get the morning briefing", "text": "Every morning."}),
    ]

urls, comment_count, deep = pick_urls()
client = Client(HTTP_HOST="127.0.0.1")
results = {}
arranged = eight_packages()
if arranged is not None:
    urls["front page, 8 packages"] = "/"
for name, url in urls.items():
    if name == "front page, 8 packages":
        home, layout = arranged
        kept = home.layout.raw_data
        home.layout = [{"type": kind, "value": value} for kind, value in layout]
        type(home).objects.filter(pk=home.pk).update(layout=home.layout)
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: the next request clears the connection's query log.
    query_count = len(queries)
    times = []
    for _ in range(int(sys.argv[1])):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    results[name] = {"url": url, "queries": query_count, "ms": round(statistics.median(times), 1),
                     "bytes": len(response.content)}
    if name == "front page, 8 packages":  # the measured site is left as it was
        home.layout = list(kept)
        type(home).objects.filter(pk=home.pk).update(layout=home.layout)
print(json.dumps({"pages": results, "article_comments": comment_count, "deep_page": deep}))
"""


def measure(database_url: str, repeat: int = 15) -> dict:
    """Median uncached time and queries per page type, in-process with production settings."""
    output = subprocess.run(
        [PYTHON, "-c", MEASURE_CODE, str(repeat)],
        cwd=ROOT,
        env=env_for(database_url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=900,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- HTTP: gunicorn, wrk, nginx, Varnish ---------------------------------------


def wrk(url: str) -> dict | None:
    if shutil.which("wrk") is None:
        return None
    output = subprocess.run(
        ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=WRK_SECONDS + 30,
    ).stdout

    def latency(label: str) -> float | None:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def ensure_wrk() -> str | None:
    """wrk from Debian, installed when missing; the reason when it cannot be."""
    if shutil.which("wrk"):
        return None
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=300)
    return None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)"


def start_static_server(html: bytes, workdir: Path) -> tuple[subprocess.Popen, str, str]:
    """The article's HTML as a static file: nginx when installed, else Python's http.server."""
    (workdir / "site").mkdir()
    (workdir / "site" / "article.html").write_bytes(html)
    port = free_port()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        conf = workdir / "nginx.conf"
        conf.write_text(
            f"daemon off; worker_processes 1; pid {workdir}/nginx.pid; error_log {workdir}/error.log;\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{ access_log off; client_body_temp_path {workdir}; proxy_temp_path {workdir};\n"
            f"  fastcgi_temp_path {workdir}; uwsgi_temp_path {workdir}; scgi_temp_path {workdir};\n"
            f"  server {{ listen 127.0.0.1:{port}; root {workdir}/site; }} }}\n"
        )
        process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(workdir)])
        server = "nginx"
    else:
        process = subprocess.Popen(
            [PYTHON, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(workdir / "site")]
        )
        server = "python http.server"
    url = f"http://127.0.0.1:{port}/article.html"
    wait_for(url)
    return process, url, server


def start_varnish(
    backend_port: int, workdir: Path, port: int | None = None
) -> tuple[subprocess.Popen | None, str | None, str]:
    varnishd = find_varnishd()
    if varnishd is None:
        return None, None, "varnishd is not installed"
    # The VCL's backend pointed at this run's gunicorn.
    text = vcl_for_backends([backend_port])
    local_vcl = workdir / "bench.vcl"
    local_vcl.write_text(text)
    # Started as root, varnishd reads the VCL as its own unprivileged user.
    workdir.chmod(0o755)
    local_vcl.chmod(0o644)
    port = port or free_port()
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(local_vcl),
            "-n",
            str(workdir / "varnish"),
            "-s",
            "malloc,128m",
        ],
        stdout=subprocess.DEVNULL,
        env={**os.environ, "VARNISH_PURGE_SECRET": PURGE_SECRET},
    )
    wait_for(f"http://127.0.0.1:{port}/")
    return process, f"http://127.0.0.1:{port}", ""


def point_default_site_at(database_url: str, port: int) -> None:
    """Make the default Wagtail site 127.0.0.1:port, so purges name the Host readers send to Varnish."""
    code = (
        "import django; django.setup()\n"
        "from wagtail.models import Site\n"
        "site = Site.objects.get(is_default_site=True)\n"
        f"site.hostname, site.port = '127.0.0.1', {port}\n"
        "site.save()\n"
    )
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env_for(database_url), check=True, timeout=120)


PUBLISH_AND_WATCH_CODE = r"""
import json, sys, time, urllib.request
import django
django.setup()
from news.models import StoryPage

path, marker, address = sys.argv[1:4]
# Slugs repeat across sections: the page is the one at this address.
page = StoryPage.objects.get(url_path__endswith=path).specific
page.title = marker
revision = page.save_revision()
started = time.time()
revision.publish()
published = time.time()
polls = 0
while time.time() - started < 30:
    polls += 1
    body = urllib.request.urlopen(address, timeout=5).read().decode()
    if marker in body:
        visible = time.time()
        print(json.dumps({"publish_s": published - started, "visible_s": visible - started, "polls": polls}))
        break
    time.sleep(0.02)
"""


def publish_to_visible(database_url: str, varnish_base: str, path: str) -> dict | None:
    """Publish a new headline with purges sent to Varnish; time until Varnish serves it.

    One process publishes, as the admin would, and then reads the article
    through Varnish every 20 ms: the clock starts before the publish call (which
    sends the purges) and stops at the first response with the new headline.
    """
    marker = f"Bench headline {secrets.token_hex(4)}"
    env = env_for(database_url) | {"VARNISH_URL": varnish_base}
    output = subprocess.run(
        [PYTHON, "-c", PUBLISH_AND_WATCH_CODE, path, marker, varnish_base + path],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    if not output:
        return None
    times = json.loads(output.splitlines()[-1])
    return {key: round(value, 3) if isinstance(value, float) else value for key, value in times.items()}


def start_gunicorn(database_url: str, port: int, **extra_env: str) -> subprocess.Popen:
    """gunicorn with production settings and 2 workers on 127.0.0.1:port."""
    return subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "newsroom.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
        + ["--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env_for(database_url) | extra_env,
    )


def measure_urls(base: str, pages: dict, column: str, rows: dict) -> None:
    """One warming request, then wrk, for every page at `base`, into rows[page][column]."""
    for name, page in pages.items():
        urllib.request.urlopen(base + page["url"], timeout=60).read()
        rows.setdefault(name, {})[column] = wrk(base + page["url"])


def run_http(database_url: str, measured: dict) -> dict:
    """Each page uncached at gunicorn, warm in the origin page cache, warm through Varnish."""
    reason = ensure_wrk()
    results: dict = {"wrk": f"{WRK_CONNECTIONS} connections, {WRK_SECONDS} s per URL", "skipped": {}}
    if reason:
        results["skipped"]["all"] = reason
        return results
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    pages = measured["pages"]
    article_url = pages["article 200 comments"]["url"]
    # Every column shares the production cache in Redis; the origin page cache
    # is on only in its own gunicorn.
    redis = {"REDIS_URL": BENCH_REDIS_URL}
    uncached_port, cached_port, varnish_port = free_port(), free_port(), free_port()
    point_default_site_at(database_url, varnish_port)
    processes: list[subprocess.Popen | None] = []
    rows: dict = {}
    try:
        uncached = start_gunicorn(database_url, uncached_port, **redis)
        processes.append(uncached)
        origin = f"http://127.0.0.1:{uncached_port}"
        wait_for(origin + "/healthz")
        measure_urls(origin, pages, "uncached", rows)

        cached = start_gunicorn(database_url, cached_port, PAGE_CACHE="on", **redis)
        processes.append(cached)
        wait_for(f"http://127.0.0.1:{cached_port}/healthz")
        measure_urls(f"http://127.0.0.1:{cached_port}", pages, "origin page cache", rows)
        stop(cached)

        varnish, varnish_base, why = start_varnish(uncached_port, workdir, varnish_port)
        processes.append(varnish)
        if varnish is None:
            results["skipped"]["varnish"] = why
        else:
            measure_urls(varnish_base, pages, "varnish", rows)
            results["publish_to_visible"] = publish_to_visible(database_url, varnish_base, article_url)

        html = urllib.request.urlopen(origin + article_url, timeout=60).read()
        static, static_url, server = start_static_server(html, workdir)
        processes.append(static)
        rows["article as a static file"] = {f"static ({server})": wrk(static_url)}
        results["rows"] = rows
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    return results


# -- reports -------------------------------------------------------------------


COLUMNS = ("uncached", "origin page cache", "varnish")


def machine() -> str:
    """What the numbers were measured on, for the report."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = match.group(1).strip() if match else ""
    return f"{os.cpu_count()} cores{', ' + model if model else ''}"


def rps(result: dict | None) -> str:
    return f"{result['rps']:,.0f}" if result and result.get("rps") is not None else "–"


def latency(result: dict | None) -> str:
    return f"{result['p50_ms']} / {result['p99_ms']}" if result and result.get("p50_ms") is not None else "–"


def main_table(report: dict) -> str:
    """The results as a Markdown table (the README and site/README.md show it)."""
    measured, http = report["in_process"], report["http"]
    lines = [
        f"`make bench`, {report['date']}, {report['machine']}: PostgreSQL, {report['size'][0]:,} articles / "
        f"{report['size'][1]:,} comments, gunicorn 2 workers, wrk {http.get('wrk', '')}.",
        "",
        "| Page | Queries | In-process ms | Uncached req/s (p50 / p99 ms) "
        "| Origin page cache req/s (p50 / p99) | Varnish req/s (p50 / p99) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in PAGE_TYPES:
        page = measured["pages"][name]
        row = http.get("rows", {}).get(name, {})
        cells = [f"{rps(row.get(c))} ({latency(row.get(c))})" for c in COLUMNS]
        lines.append(f"| {name} | {page['queries']} | {page['ms']} | " + " | ".join(cells) + " |")
    for column, result in http.get("rows", {}).get("article as a static file", {}).items():
        cell = f"{rps(result)} ({latency(result)})"
        lines.append(f"| article as a static file, {column} | – | – | {cell} | | |")
    lines.append("")
    article = http.get("rows", {}).get("article 200 comments", {})
    static = next(iter(http.get("rows", {}).get("article as a static file", {}).values()), None)

    def ratio(a: dict | None, b: dict | None) -> str:
        return f"{a['rps'] / b['rps']:.2f}" if a and b and a.get("rps") and b.get("rps") else "–"

    lines.append(
        f"Article warm through Varnish / static file: {ratio(article.get('varnish'), static)} "
        f"(target ≥ 0.5); origin page cache / uncached: "
        f"{ratio(article.get('origin page cache'), article.get('uncached'))} (target ≥ 10)."
    )
    arranged, default = measured["pages"].get("front page, 8 packages"), measured["pages"]["front page"]
    if arranged:
        lines.append(
            f"Front page arranged in 8 packages: {arranged['queries']} queries, {arranged['ms']} ms in "
            f"process ({arranged['ms'] / default['ms']:.2f} × the unarranged front page; target ≤ 1.2)."
        )
    visible = http.get("publish_to_visible")
    if visible:
        lines.append(
            f"Publishing a new headline to seeing it through Varnish: {visible['visible_s']} s "
            f"(the publish itself, purges included, {visible['publish_s']} s; target < 1 s)."
        )
    for what, why in http.get("skipped", {}).items():
        lines.append(f"Skipped {what}: {why}.")
    return "\n".join(lines)


def main_bench(args) -> None:
    size = (args.articles, args.comments)
    database_url = args.database_url or f"{PG}/newsroom_bench" + ("" if size == BIG else f"_{size[0]}")
    prepare(database_url, *size)
    measured = measure(database_url)
    http = run_http(database_url, measured)
    OUT.mkdir(exist_ok=True)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "database": "postgresql",
        "size": size,
        "in_process": measured,
        "http": http,
    }
    report["table"] = main_table(report)
    (OUT / "results.json").write_text(json.dumps(report, indent=2))
    print("\n" + report["table"])
    print(f"\nWritten to {OUT / 'results.json'}")


def main_sizes(args) -> None:
    OUT.mkdir(exist_ok=True)
    report: dict = {"date": time.strftime("%Y-%m-%d")}
    databases = {
        "sqlite": lambda size: f"sqlite:///{OUT}/bench-{size[0]}.sqlite3",
        "postgresql": lambda size: f"{PG}/newsroom_bench" + ("" if size == BIG else f"_{size[0]}"),
    }
    for database, url_for in databases.items():
        report[database] = {}
        for size in (SMALL, BIG):
            url = url_for(size)
            prepare(url, *size)
            report[database][f"{size[0]}/{size[1]}"] = measure(url)
    (OUT / "sizes.json").write_text(json.dumps(report, indent=2))
    small, big = f"{SMALL[0]}/{SMALL[1]}", f"{BIG[0]}/{BIG[1]}"
    print(f"\nUncached time per page type (median ms, in-process) and queries: {small} vs {big}")
    print(f"{'page':<24}{'db':<12}{'small ms':>9}{'big ms':>9}{'ratio':>7}{'queries':>10}")
    for database in databases:
        for name in PAGE_TYPES:
            a, b = report[database][small]["pages"][name], report[database][big]["pages"][name]
            ratio = b["ms"] / a["ms"] if a["ms"] else 0
            print(
                f"{name:<24}{database:<12}{a['ms']:>9}{b['ms']:>9}{ratio:>7.2f}{a['queries']:>5}/{b['queries']:<4}"
            )
        pages = report[database][big]["pages"]
        deep = pages["section p200"]["ms"] / pages["section p1"]["ms"]
        print(f"{'section p200 / p1':<24}{database:<12}{'':>18}{deep:>7.2f}")
    print(f"\nWritten to {OUT / 'sizes.json'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", choices=["http", "sizes"], default="http")
    parser.add_argument("--database-url", help="PostgreSQL database for the HTTP benchmark")
    parser.add_argument("--articles", type=int, default=BIG[0], help="dataset size for the HTTP benchmark")
    parser.add_argument("--comments", type=int, default=BIG[1], help="dataset size for the HTTP benchmark")
    args = parser.parse_args()
    (main_sizes if args.mode == "sizes" else main_bench)(args)


if __name__ == "__main__":
    main()
