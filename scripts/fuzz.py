#!/usr/bin/env python
"""Hostile requests against the served site, on SQLite and on PostgreSQL; never part of `make test`.

    python scripts/fuzz.py [--requests 10000] [--seed 1] [--database sqlite|postgres|both]
                           [--max-seconds 1800]

For each database: a fresh site (demo stories and comments, a live blog, a
picture, a document, a superuser) under production settings and gunicorn on
127.0.0.1, then `--requests` generated requests (scripts/fuzz_requests.py):
every public URL pattern with hostile query parameters, the comment form with
hostile fields, and the admin's search boxes signed in through the admin's
login form. Prints the count of server errors (5xx, or no answer) and the
first few with a line of the server's error log; exit status 1 on any.
The same seed sends the same requests. Loopback only; the PostgreSQL database
(newsroom_fuzz_<pid>) and the working directory are removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import httpx
from fuzz_requests import Request, generate
from stack import create_database, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
EDITOR = "fuzz-editor"
CLIENTS = 4
FORM = re.compile(r'<form class="comment-form"[^>]*action="([^"]+)"(.*?)</form>', re.S)
INPUT = re.compile(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Run inside the site (`manage.py shell`): what the generated requests need that
# the demo content lacks, and the addresses and ids they are built from, as JSON.
WORLD = r"""
import io, json, os
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.rich_text import RichText
from discussion.models import ReaderCommentSettings
from django_comments_xtd.models import XtdComment
from news.models import Author, CategoryIndexPage, LiveBlogEntry, LiveBlogPage, NewsArticlePage
from pages.models import ContentPage

site = Site.objects.get(is_default_site=True)
settings = ReaderCommentSettings.for_site(site)
settings.rate_limit_posts, settings.min_seconds_to_fill = 30000, 0
settings.save()
get_user_model().objects.create_superuser("fuzz-editor", "fuzz@example.org", os.environ["FUZZ_PASSWORD"])
section = CategoryIndexPage.objects.live().filter(depth=3).first()
blog = LiveBlogPage(title="Live: climate summit", standfirst="As it happens.")
section.add_child(instance=blog)
for n in (1, 2):
    LiveBlogEntry(page=blog, headline=f"Update {n}", body="<p>News</p>").save_change()
buffer = io.BytesIO()
PILImage.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
image = get_image_model().objects.create(title="Climate chart", file=ImageFile(buffer, name="chart.jpg"))
report = ContentFile(b"report", "report.txt")
document = get_document_model().objects.create(title="Climate report", file=report)
commented = XtdComment.objects.filter(level=0).values_list("object_pk", flat=True)[:100]
article = NewsArticlePage.objects.live().filter(pk__in=[int(pk) for pk in commented]).first()
comment = XtdComment.objects.filter(object_pk=str(article.pk), level=0).first()
page = ContentPage.objects.live().first() or section
tag = Tag.objects.first()
known = [str(p) for p in (section.pk, article.pk, blog.pk, image.pk, comment.pk, site.root_page_id)]
known += [article.url, section.url, article.slug, tag.name, "climate", "health", "2025-01-01", "100"]
print(json.dumps({
    "section": section.url, "article": article.url, "article_id": article.pk, "liveblog": blog.url,
    "page": page.url, "tag": tag.slug, "author": Author.objects.first().slug, "image_id": image.pk,
    "document": document.url, "comment_id": comment.pk, "home_id": site.root_page_id, "known": known,
}))
"""


class ServedSite:
    """One database's site: prepared, served by gunicorn, removed afterwards."""

    def __init__(self, database: str, workdir: Path) -> None:
        self.database, self.workdir = database, workdir
        self.pg_name = f"newsroom_fuzz_{os.getpid()}"
        url = f"{PG}/{self.pg_name}" if database == "postgres" else f"sqlite:///{workdir / 'db.sqlite3'}"
        self.password = secrets.token_urlsafe(16)
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "false",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            # No mail server on loopback: confirmation e-mails go nowhere instead of failing.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "FUZZ_PASSWORD": self.password,
            "PYTHONPATH": str(ROOT),
        }
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        command = [PYTHON, "manage.py", *args]
        return subprocess.run(
            command, cwd=ROOT, env=self.env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout

    def prepare(self) -> dict:
        if self.database == "postgres":
            create_database(PG, self.pg_name)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("import_seeds")
        self.manage(
            "generate_demo_content", "--articles=40", "--comments=200", "--seed=1", "--allow-production"
        )
        return json.loads(self.manage("shell", "-c", WORLD).strip().splitlines()[-1])

    def serve(self) -> None:
        self.server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2"]
            # No control socket: its one default path would clash with other gunicorns on the machine.
            + ["--timeout", "60", "--access-logfile", "/dev/null", "--no-control-socket"],
            cwd=ROOT,
            env=self.env,
            stderr=self.log.open("w"),
            start_new_session=True,
        )
        # A first page can take seconds on a busy machine: one long wait, not wait_for's 2 s tries.
        deadline = time.monotonic() + 120
        while self.server.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/", timeout=60).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.5)
        print(self.log.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise RuntimeError(f"gunicorn did not serve {self.base}/")

    def remove(self) -> None:
        stop(self.server)
        if self.database == "postgres":
            import psycopg
            from psycopg import sql

            with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.pg_name))
                )

    def errors(self) -> dict[str, str]:
        """The last line of each "Internal Server Error" traceback in the log, by path."""
        found: dict[str, str] = {}
        path = None
        for line in self.log.read_text(errors="replace").splitlines():
            match = re.match(r"Internal Server Error: (\S+)", line)
            if match:
                path = match.group(1)
            elif path and line and not line.startswith((" ", "Traceback", "During", "The above")):
                found.setdefault(path, line.strip()[:300])
                path = None
        return found


def sign_in(base: str, password: str) -> httpx.Cookies:
    """A session of the superuser, through the admin's login form as an editor signs in."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/admin/login/")
        token = CSRF.search(form.text).group(1)
        fields = {"username": EDITOR, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        answer = client.post("/admin/login/", data=fields)
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"could not sign in to the admin ({answer.status_code})")
        return client.cookies


def send(client: httpx.Client, request: Request) -> int:
    """The status of `request`, 0 when no answer came."""
    try:
        if request.form is not None:
            page = client.get(request.form)
            match = FORM.search(page.text)
            if match is None:
                return page.status_code
            fields = {name: unescape(value or "") for name, value in INPUT.findall(match.group(2))}
            fields.update({"name": "Fuzz", "email": "fuzz@example.org", "comment": "A comment."})
            fields.update(request.hostile_fields)
            body = urlencode(fields, errors="surrogatepass")
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return client.post(match.group(1), content=body, headers=headers).status_code
        return client.request(request.method, request.url, data=request.data).status_code
    except httpx.HTTPError:
        return 0


def attack(site: ServedSite, world: dict, count: int, seed: int, max_seconds: float) -> dict:
    requests = generate(world, count, seed)
    cookies = sign_in(site.base, site.password)
    deadline = time.monotonic() + max_seconds
    statuses: Counter[int] = Counter()
    failures: list[tuple[Request, int]] = []
    lock = threading.Lock()
    local = threading.local()

    def one(request: Request) -> None:
        if time.monotonic() > deadline:
            return
        if not hasattr(local, "clients"):
            anonymous = httpx.Client(base_url=site.base, timeout=60)
            local.clients = (anonymous, httpx.Client(base_url=site.base, timeout=60, cookies=cookies))
        status = send(local.clients[request.admin], request)
        with lock:
            statuses[status] += 1
            if status >= 500 or status == 0:
                failures.append((request, status))

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, requests))
    return {"statuses": statuses, "failures": failures, "seconds": time.monotonic() - started}


def run(database: str, count: int, seed: int, max_seconds: float) -> int:
    workdir = Path(tempfile.mkdtemp(prefix=f"fuzz-{database}-"))
    site = ServedSite(database, workdir)
    try:
        print(f"[{database}] preparing the site", flush=True)
        world = site.prepare()
        site.serve()
        print(f"[{database}] {count} requests, seed {seed}", flush=True)
        result = attack(site, world, count, seed, max_seconds)
        errors = site.errors()
    finally:
        site.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    statuses, failures = result["statuses"], result["failures"]
    sent = sum(statuses.values())
    spread = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(statuses.items()))
    print(f"[{database}] {sent} requests in {result['seconds']:.0f} s, server errors: {len(failures)}")
    print(f"[{database}] statuses: {spread}")
    if sent < count:
        print(f"[{database}] stopped at --max-seconds after {sent} of {count} requests")
    for request, status in failures[:5]:
        line = errors.get(request.path, "(nothing in the error log)")
        print(f"  {status or 'no answer'} {request.method} {request.url[:300]}\n      {line}")
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--max-seconds", type=float, default=1800, help="per database, for the requests")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"make fuzz, {when}, {platform.node()} ({os.cpu_count()} cores), seed {args.seed}")
    counts = {database: run(database, args.requests, args.seed, args.max_seconds) for database in databases}
    print("server errors: " + ", ".join(f"{database} {n}" for database, n in counts.items()))
    return 1 if any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
