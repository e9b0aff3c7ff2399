"""Soak test: gunicorn with production settings on PostgreSQL and Redis, under a bounded mixed load,
through a cut of the app's database connections and a Redis stop and restart.

Loopback only. It creates its own database (dropped afterwards) and starts its
own redis-server on a free port: the machine's shared Redis is never touched,
and only connections to the soak's own database are terminated.

Reports requests, errors by status, recovery time after each fault, and
comments acknowledged against comments stored (each acknowledged one must be
stored exactly once). Exit status 1 when that last check fails.

    python scripts/soak.py [--seconds 120] [--readers 20] [--posters 6]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"
READER_PATHS = [
    "/",
    "/health/",
    ARTICLE,
    "/search/?q=cancer",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/api/v2/pages/?type=news.NewsArticlePage&fields=standfirst",
]
FORM = re.compile(r'<form class="comment-form"[^>]*action="([^"]+)"(.*?)</form>', re.S)
INPUT = re.compile(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (seconds since start, kind, status or 0 for a connection error)
    events: list[tuple[float, str, int]] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    refused: dict[str, int] = field(default_factory=dict)

    def record(self, at: float, kind: str, status: int) -> None:
        with self.lock:
            self.events.append((at, kind, status))


class Soak:
    def __init__(self, seconds: int, readers: int, posters: int) -> None:
        self.seconds, self.readers, self.posters = seconds, readers, posters
        self.database = f"newsroom_soak_{os.getpid()}"
        self.redis_port, self.app_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.app_port}"
        self.results = Results()
        self.faults: list[tuple[str, float, float]] = []  # (name, start, end of the fault)
        self.stop = threading.Event()
        self.tmp = Path(tempfile.mkdtemp(prefix="soak-"))
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'scripts'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "soak_settings",
            "SECRET_KEY": "soak-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "LOG_LEVEL": "ERROR",
        }
        self.redis: subprocess.Popen | None = None
        self.app_log = self.tmp / "gunicorn.log"
        self.app: subprocess.Popen | None = None

    # --- services -------------------------------------------------------
    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=self.env, check=True)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.redis_port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
            self.redis = None

    def set_up(self) -> None:
        self.psql(f"CREATE DATABASE {self.database}")
        self.start_redis()
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("import_seeds")
        # Every poster shares one address: the rate limit would measure itself, not the site.
        self.manage(
            "shell",
            "-c",
            "from wagtail.models import Site; from discussion.models import ReaderCommentSettings as S; "
            "s = S.for_site(Site.objects.get(is_default_site=True)); s.rate_limit_posts = 10000; "
            "s.min_seconds_to_fill = 0; s.save()",
        )
        self.app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.app_port}",
                "--workers",
                "3",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stderr=self.app_log.open("w"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer")

    def tear_down_app(self) -> None:
        if self.app is not None:
            self.app.send_signal(signal.SIGTERM)
            try:
                self.app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.app.kill()
            self.app = None

    def tear_down(self) -> None:
        self.tear_down_app()
        self.stop_redis()
        try:
            self.cut_database_connections()
            self.psql(f"DROP DATABASE IF EXISTS {self.database}")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def cut_database_connections(self) -> int:
        """Terminate every connection to the soak's own database (never another database's)."""
        # The name is this script's own (digits and letters), never input.
        out = self.psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "  # noqa: S608
            f"WHERE datname = '{self.database}' AND pid <> pg_backend_pid()"
        )
        return int(out.strip() or 0)

    # --- load -----------------------------------------------------------
    def reader(self, number: int, started: float) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as client:
            index = number
            while not self.stop.is_set():
                path = READER_PATHS[index % len(READER_PATHS)]
                index += 1
                self.request(client, "GET", path, started, "read")
                time.sleep(0.05)

    def poster(self, number: int, started: float) -> None:
        with httpx.Client(base_url=self.base, timeout=15) as client:
            while not self.stop.is_set():
                page = self.request(client, "GET", ARTICLE, started, "read")
                match = FORM.search(page.text) if page is not None and page.status_code == 200 else None
                if match is None:
                    time.sleep(0.5)
                    continue
                action, body = match.group(1), match.group(2)
                data = {name: unescape(value or "") for name, value in INPUT.findall(body)}
                token = f"soak-{uuid.uuid4().hex}"
                data.update(
                    {"name": f"Soak poster {number}", "email": "soak@example.org", "comment": f"Load {token}"}
                )
                response = self.request(client, "POST", action, started, "post", data=data)
                if response is not None and (
                    response.status_code == 302
                    or (response.status_code == 200 and "awaits moderation" in response.text)
                ):
                    with self.results.lock:
                        self.results.acknowledged.add(token)
                elif response is not None:
                    with self.results.lock:
                        self.results.refused[token] = response.status_code
                time.sleep(0.3)

    def request(self, client: httpx.Client, method: str, path: str, started: float, kind: str, **kwargs):
        try:
            response = client.request(method, path, **kwargs)
        except httpx.HTTPError:
            self.results.record(time.monotonic() - started, kind, 0)
            return None
        self.results.record(time.monotonic() - started, kind, response.status_code)
        return response

    def run(self) -> int:
        try:
            self.set_up()
        except BaseException:
            self.tear_down()
            raise
        started = time.monotonic()
        threads = [
            threading.Thread(target=work, args=(n, started), daemon=True)
            for work, count in ((self.reader, self.readers), (self.poster, self.posters))
            for n in range(count)
        ]
        for thread in threads:
            thread.start()
        try:
            self.sleep_until(started, self.seconds * 0.3)
            at = time.monotonic() - started
            cut = self.cut_database_connections()
            self.faults.append((f"PostgreSQL: {cut} app connections terminated", at, at))
            self.sleep_until(started, self.seconds * 0.55)
            down_at = time.monotonic() - started
            self.stop_redis()
            self.sleep_until(started, self.seconds * 0.55 + 15)
            self.start_redis()
            up_at = time.monotonic() - started
            self.faults.append(("Redis stopped for 15 s, then restarted", down_at, up_at))
            self.sleep_until(started, self.seconds)
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=30)
        stored = self.stored_tokens()
        self.tear_down_app()
        exceptions = self.logged_exceptions()
        self.tear_down()
        return self.report(stored, exceptions)

    def logged_exceptions(self) -> collections.Counter:
        """The exception types in the app's error log (the last line of each traceback)."""
        text = self.app_log.read_text(errors="replace") if self.app_log.exists() else ""
        return collections.Counter(re.findall(r"^([\w.]+(?:Error|Exception)):", text, re.M))

    def sleep_until(self, started: float, seconds: float) -> None:
        time.sleep(max(0.0, started + seconds - time.monotonic()))

    def stored_tokens(self) -> collections.Counter:
        rows = self.psql(
            "SELECT substring(comment from 'soak-[0-9a-f]{32}') FROM django_comments "
            "WHERE comment LIKE 'Load soak-%'",
            self.database,
        ).split()
        return collections.Counter(rows)

    # --- report ---------------------------------------------------------
    def recovery(self, start: float, end: float, next_start: float) -> str:
        """Seconds from the end of a fault until answers are good again (no error after that point)."""
        errors = [at for at, _, status in self.results.events if start <= at < next_start and status >= 500]
        errors += [at for at, _, status in self.results.events if start <= at < next_start and status == 0]
        if not errors:
            return "no errors"
        last = max(errors)
        good = [at for at, _, status in self.results.events if last < at < next_start and 200 <= status < 400]
        if not good:
            return f"{len(errors)} errors, not recovered before the next fault"
        return f"{len(errors)} errors, recovered {max(0.0, min(good) - end):.1f} s after the fault ended"

    def report(self, stored: collections.Counter, exceptions: collections.Counter) -> int:
        events = self.results.events
        by_status = collections.Counter(status for _, _, status in events)
        lines = [
            f"make soak, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: {self.seconds} s, "
            f"{self.readers} readers and {self.posters} comment posters on gunicorn (3 workers x 4 threads), "
            "PostgreSQL, Redis",
            f"requests: {len(events)} ({len(events) / self.seconds:.0f}/s); by status: "
            + ", ".join(
                f"{'connection error' if status == 0 else status}: {count}"
                for status, count in sorted(by_status.items())
            ),
        ]
        starts = [start for _, start, _ in self.faults] + [float(self.seconds) + 60]
        for (name, start, end), next_start in zip(self.faults, starts[1:], strict=True):
            lines.append(f"fault at {start:.0f} s: {name}; {self.recovery(start, end, next_start)}")
        acknowledged = self.results.acknowledged
        missing = [token for token in acknowledged if stored[token] == 0]
        doubled = [token for token, count in stored.items() if count > 1]
        unacknowledged_stored = [token for token in stored if token not in acknowledged]
        lines.append(
            f"comments: {len(acknowledged)} acknowledged, {sum(stored.values())} stored; "
            f"acknowledged but not stored: {len(missing)}; stored twice: {len(doubled)}; "
            f"refused ({dict(collections.Counter(self.results.refused.values()))}) "
            f"but stored: {len(unacknowledged_stored)}"
        )
        if exceptions:
            lines.append(
                "server errors logged: "
                + ", ".join(f"{name} x{count}" for name, count in exceptions.most_common(4))
            )
        print("\n".join(lines))
        return 1 if missing or doubled else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--posters", type=int, default=6)
    args = parser.parse_args()
    for tool in ("psql", "redis-server"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: make soak needs PostgreSQL's client and redis-server.")
            return 2
    return Soak(args.seconds, args.readers, args.posters).run()


if __name__ == "__main__":
    sys.exit(main())
