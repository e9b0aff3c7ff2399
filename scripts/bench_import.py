#!/usr/bin/env python
"""Benchmark of the WordPress import at archive scale; never part of `make test`.

    python scripts/bench_import.py                  # make bench-import: every row below
    python scripts/bench_import.py --rows dry,import # some rows only
    python scripts/bench_import.py --scale 0.1       # every size a tenth, to try the script

Rows (exports written by scripts/generate_wxr.py --seed 1, kept in bench/):
  dry        dry run of 60,000 posts, 1 comment each, on PostgreSQL
  import     import of 10,000 posts, 100,000 comments, 2,000 attachments, on PostgreSQL
  sqlite     the same import on SQLite
  large      import of 100,000 posts, 1,000,000 comments, on PostgreSQL
  small      import of 2,000 posts, 2,000 comments, on PostgreSQL
  small-sqlite  the same on SQLite
  medium     import of 1,000 posts, 3,000 comments, on PostgreSQL (the rate docs/wordpress-import.md quotes)
  medium-sqlite  the same on SQLite

Each import goes into a fresh database (newsroom_bench_import on 127.0.0.1, or a SQLite file
in bench/). Wall time and the command's peak memory (its process and the dry run's
conversion processes) are printed as a table, with the date, the machine and its load, and
written to bench/import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from stack import create_database

import bench

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "newsroom_bench_import"
ROWS = {
    "dry": {
        "label": "{posts:,} posts, 1 comment each",
        "posts": 60_000,
        "comments": 60_000,
        "attachments": 0,
        "dry": True,
    },
    "import": {
        "label": "{posts:,} posts, {comments:,} comments, {attachments:,} attachments",
        "posts": 10_000,
        "comments": 100_000,
        "attachments": 2_000,
    },
    "sqlite": {
        "label": "{posts:,} posts, {comments:,} comments, {attachments:,} attachments (SQLite)",
        "posts": 10_000,
        "comments": 100_000,
        "attachments": 2_000,
        "sqlite": True,
    },
    "small": {
        "label": "{posts:,} posts, {comments:,} comments",
        "posts": 2_000,
        "comments": 2_000,
        "attachments": 20,
        "pages": 10,
    },
    "small-sqlite": {
        "label": "{posts:,} posts, {comments:,} comments (SQLite)",
        "posts": 2_000,
        "comments": 2_000,
        "attachments": 20,
        "pages": 10,
        "sqlite": True,
    },
    "medium": {
        "label": "{posts:,} posts, {comments:,} comments",
        "posts": 1_000,
        "comments": 3_000,
        "attachments": 20,
        "pages": 10,
    },
    "medium-sqlite": {
        "label": "{posts:,} posts, {comments:,} comments (SQLite)",
        "posts": 1_000,
        "comments": 3_000,
        "attachments": 20,
        "pages": 10,
        "sqlite": True,
    },
    "large": {
        "label": "{posts:,} posts, {comments:,} comments",
        "posts": 100_000,
        "comments": 1_000_000,
        "attachments": 0,
        "check_site": True,
    },
}
# Sampled old addresses that must reach their story in one hop, after the largest import.
REDIRECT_SAMPLE = 1000


def export_for(row: dict, scale: float) -> Path:
    sizes = {key: int(row[key] * scale) for key in ("posts", "comments", "attachments")}
    pages = row.get("pages", 0 if row.get("dry") else 50)
    path = OUT / f"wxr-{sizes['posts']}-{sizes['comments']}-{sizes['attachments']}-{pages}.xml"
    if not path.exists():
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "scripts" / "generate_wxr.py"),
                "--seed",
                "1",
                "--posts",
                str(sizes["posts"]),
                "--comments",
                str(sizes["comments"]),
                "--attachments",
                str(sizes["attachments"]),
                "--pages",
                str(row.get("pages", 0 if row.get("dry") else 50)),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def fresh_database(sqlite: bool, keep: bool = False) -> str:
    if keep:
        if create_database(PG, f"{DATABASE}_dry", if_missing=True):
            migrate(f"{PG}/{DATABASE}_dry")
        return f"{PG}/{DATABASE}_dry"
    if sqlite:
        path = OUT / "import.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        create_database(PG, DATABASE)
        url = f"{PG}/{DATABASE}"
    migrate(url)
    return url


def migrate(url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


def measure(url: str, export: Path, dry: bool) -> tuple[float, float, str]:
    """Seconds, peak memory (MB, the largest of the command's processes) and its last line."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    command = [PYTHON, "manage.py", "import_wordpress", str(export), *(["--dry-run"] if dry else [])]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    # The peak of the command and of the conversion processes it waited for (Linux's wait4).
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    peak = usage.ru_maxrss / 1024
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-2000:]}")
    done = [line for line in output.splitlines() if line.startswith("Done in")]
    return seconds, peak, done[-1] if done else ""


def check_site(url: str, export: Path) -> dict:
    """The site the import made: sampled old addresses (one hop each?) and each page type's
    uncached time and queries against `make bench-sizes`'s small site (100 articles).

    The import ran ANALYZE at its end (wordpress.importer.refresh_planner_statistics):
    the pages are measured with the statistics of the tables as they now are."""
    output = subprocess.run(
        [PYTHON, "scripts/check_imported_site.py", str(export), "--sample", str(REDIRECT_SAMPLE)],
        cwd=ROOT,
        env=bench.env_for(url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
    ).stdout
    redirects = json.loads(output.strip().splitlines()[-1])
    small_url = f"{PG}/newsroom_bench_{bench.SMALL[0]}"
    bench.prepare(small_url, *bench.SMALL)  # also collects the static files production settings serve
    small, imported = bench.measure(small_url)["pages"], bench.measure(url)["pages"]
    pages = {
        name: {
            "small_ms": small[name]["ms"],
            "imported_ms": imported[name]["ms"],
            "ratio": round(imported[name]["ms"] / small[name]["ms"], 2),
            "queries": f"{small[name]['queries']} / {imported[name]['queries']}",
        }
        for name in bench.PAGE_TYPES
    }
    return {"redirects": redirects, "pages": pages}


def print_site_check(check: dict) -> None:
    redirects = check["redirects"]
    one_hop = redirects["outcomes"].get("one hop", 0)
    print(
        f"\nOld addresses of {redirects['posts']:,} random published posts: {one_hop:,} of "
        f"{redirects['addresses']:,} redirect in one hop to a page that answers 200"
    )
    for failure in redirects["failures"]:
        print(f"  {failure}")
    print("\nUncached time per page type (median ms, in-process, production settings) and queries:")
    print("| Page | Small site (100 articles) | Imported site | Ratio (target at most 2) | Queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, page in check["pages"].items():
        print(
            f"| {name} | {page['small_ms']} | {page['imported_ms']} | {page['ratio']} | {page['queries']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        default="dry,import,sqlite,large",
        help="Comma-separated: dry, import, sqlite, large, small, small-sqlite, medium, medium-sqlite.",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every size (0.1 for a quick try).")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    load = os.getloadavg()
    header = (
        f"WordPress import benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, {platform.python_version()}; load average at start "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(header, flush=True)
    results = []
    for name in args.rows.split(","):
        row = ROWS[name]
        export = export_for(row, args.scale)
        # A dry run writes nothing: an empty migrated database serves every run.
        url = fresh_database(row.get("sqlite", False), keep=row.get("dry", False))
        seconds, peak, phases = measure(url, export, row.get("dry", False))
        sizes = {key: int(row[key] * args.scale) for key in ("posts", "comments", "attachments")}
        results.append(
            {
                "row": name,
                "export": row["label"].format(**sizes) + f" ({export.stat().st_size / 1e6:.0f} MB)",
                "dry_run_s": round(seconds) if row.get("dry") else None,
                "import_s": None if row.get("dry") else round(seconds),
                "posts_per_s": round(sizes["posts"] / seconds, 1),
                "peak_mb": round(peak),
                "phases": phases,
                "load_after": round(os.getloadavg()[0], 1),
            }
        )
        print(f"  {name}: {seconds:.0f} s, {peak:.0f} MB; {phases}", flush=True)
        if row.get("check_site"):
            results[-1]["site_check"] = check_site(url, export)
    print()
    print(header)
    print("| Export | Dry run | Import | Posts/s | Peak memory | Load after |")
    print("| --- | --- | --- | --- | --- | --- |")
    for result in results:
        dry = (
            f"{result['dry_run_s'] // 60} min {result['dry_run_s'] % 60:02d} s"
            if result["dry_run_s"]
            else "—"
        )
        imp = f"{result['import_s'] // 60} min {result['import_s'] % 60:02d} s" if result["import_s"] else "—"
        print(
            f"| {result['export']} | {dry} | {imp} | {result['posts_per_s']} | {result['peak_mb']} MB "
            f"| {result['load_after']} |"
        )
    for result in results:
        if "site_check" in result:
            print_site_check(result["site_check"])
    (OUT / "import.json").write_text(json.dumps({"machine": header, "rows": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
