#!/usr/bin/env python
"""Benchmark of the page-view beacon (make bench-beacon); never part of `make test`.

Builds a small site (SQLite in bench/, 20 generated stories), collects static
files, then with production settings and 2 gunicorn workers counting in Redis:

1. POSTs the beacon for one story with wrk (a browser's User-Agent) and reports
   views per second and latency, then flushes and checks that every 204 was
   counted once;
2. when varnishd is installed, measures the article through Varnish (the page
   that carries the beacon script), and the beacon sent through Varnish, which
   passes every POST to the app.

Results are printed and written to bench/beacon.json. Everything listens on
127.0.0.1 only; the Redis keys live under a prefix of their own and are
removed afterwards.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from stack import free_port, stop, wait_for

from bench import ensure_wrk, env_for, machine, start_varnish, wrk

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
PYTHON = sys.executable
DATABASE_URL = f"sqlite:///{OUT}/beacon.sqlite3"
REDIS_URL = os.environ.get("BENCH_BEACON_REDIS_URL", "redis://127.0.0.1:6379/10")
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "8"))
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
TARGET_VIEWS_PER_SECOND = 1000


def environment(prefix: str) -> dict[str, str]:
    return env_for(DATABASE_URL) | {"READERSHIP_REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def prepare(prefix: str) -> tuple[int, str]:
    """The dataset (built once), static files, and the story the beacons name with its path."""
    development = env_for(DATABASE_URL, production=False)
    manage(development, "migrate", "--noinput", "-v0")
    manage(
        development, "generate_demo_content", "--articles", "20", "--comments", "0", "--if-fewer-than", "20"
    )
    manage(environment(prefix), "collectstatic", "--noinput", "-v0")
    code = (
        "import django; django.setup()\n"
        "from readership.stories import countable_stories\n"
        "story = countable_stories().order_by('pk').first()\n"
        "print(story.pk, story.url)\n"
    )
    output = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=environment(prefix), check=True, capture_output=True, text=True
    )
    story, path = output.stdout.split()
    return int(story), path


def beacon_wrk(url: str, story: int, workdir: Path) -> dict:
    script = workdir / "beacon.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "story={story}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["User-Agent"] = "{BROWSER}"\n'
    )
    return wrk_with(url, script)


def wrk_with(url: str, script: Path) -> dict:
    """wrk sending the requests `script` describes; its rate, latency and request count."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 30).stdout
    sent = re.search(r"(\d+) requests in ", output)

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
        "requests": int(sent.group(1)) if sent else 0,
    }


def flushed_views(prefix: str, story: int) -> int:
    manage(environment(prefix), "flush_page_views")
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Sum\n"
        "from readership.models import HourlyViews\n"
        f"print(HourlyViews.objects.filter(story_id={story}).aggregate(total=Sum('views'))['total'] or 0)\n"
    )
    output = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=environment(prefix), check=True, capture_output=True, text=True
    )
    return int(output.stdout.strip())


def forget_keys(prefix: str) -> None:
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(f"{prefix}*"))
    if keys:
        connection.delete(*keys)


def main() -> None:
    missing = ensure_wrk()
    if missing:
        sys.exit(f"Cannot measure: {missing}")
    OUT.mkdir(exist_ok=True)
    prefix = f"bench-beacon-{secrets.token_hex(4)}:"
    story, path = prepare(prefix)
    report: dict = {"machine": machine(), "story": story, "seconds": SECONDS, "connections": CONNECTIONS}
    port = free_port()
    gunicorn = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "newsroom.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
        + ["--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=environment(prefix),
    )
    varnish = None
    workdir = Path(tempfile.mkdtemp(prefix="bench-beacon-"))
    try:
        base = f"http://127.0.0.1:{port}"
        # Workers start slowly on a busy machine.
        wait_for(base + "/healthz", 300, gunicorn)
        before = flushed_views(prefix, story)
        report["beacon_gunicorn"] = beacon_wrk(base + "/most-read/beacon", story, workdir)
        counted = flushed_views(prefix, story) - before
        report["views_counted"] = counted
        print(f"Beacon on gunicorn: {report['beacon_gunicorn']}; {counted} views counted", flush=True)
        try:
            varnish, varnish_base, why_not = start_varnish(port, workdir)
        except RuntimeError as exc:
            varnish, varnish_base, why_not = None, None, f"Varnish did not start: {exc}"
        if varnish is None:
            report["varnish"] = why_not
        else:
            report["article_varnish"] = wrk(varnish_base + path)
            report["beacon_through_varnish"] = beacon_wrk(varnish_base + "/most-read/beacon", story, workdir)
    finally:
        stop(varnish)
        stop(gunicorn)
        forget_keys(prefix)
        shutil.rmtree(workdir, ignore_errors=True)
    (OUT / "beacon.json").write_text(json.dumps(report, indent=2))
    beacon = report["beacon_gunicorn"]
    print(f"Machine: {report['machine']}")
    print(
        f"Beacon on gunicorn (2 workers, production settings, wrk -c{CONNECTIONS} {SECONDS}s): "
        f"{beacon['rps']:.0f} views/s, p50 {beacon['p50_ms']} ms, p99 {beacon['p99_ms']} ms, "
        f"{beacon['non_2xx']} non-2xx; {report['views_counted']} views counted for {beacon['requests']} sent"
    )
    if "article_varnish" in report:
        print(f"Article through Varnish: {report['article_varnish']['rps']:.0f} requests/s")
        print(
            f"Beacon through Varnish (passed to the app): "
            f"{report['beacon_through_varnish']['rps']:.0f} views/s"
        )
    verdict = "meets" if beacon["rps"] and beacon["rps"] >= TARGET_VIEWS_PER_SECOND else "MISSES"
    print(f"{verdict} the target of {TARGET_VIEWS_PER_SECOND} views/s. Written to bench/beacon.json.")


if __name__ == "__main__":
    main()
