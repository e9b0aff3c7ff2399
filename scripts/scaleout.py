#!/usr/bin/env python
"""Scale-out proof: two app servers behind Varnish, sharing PostgreSQL, Redis and object storage.

    python scripts/scaleout.py      # make scaleout

Everything listens on 127.0.0.1. The run creates its own PostgreSQL database,
owned by a login role of its own that the app servers use, no superuser (both
dropped at the end), starts moto's S3 server with a bucket for media, uses
the machine's Redis with a key prefix of its own and RQ's task queue in
database 15 (the run's keys in both are deleted at the end; nothing else is
touched), migrates and collects static files once,
then starts two gunicorn app servers, A and B, with production settings and
the same environment, and Varnish with both in its round-robin director (and
the purge secret both sides are given).

Then it checks, over HTTP, what readers and editors rely on:

1. an editor signed in to A's admin publishes a new headline for a story
   Varnish has cached: Varnish serves the new one at once (A sent the purge);
2. an image uploaded in A's admin and set as the story's lead image is in the
   bucket, and A and B render the same stored renditions, which answer 200;
3. a reader's comment, on the form B rendered, posted to A and confirmed
   through the emailed link, shows on the article B serves and through Varnish;
4. Varnish spreads requests over both app servers.

Each step prints what it saw and how long it took. Exit status 1 when a check
fails. When something it needs is missing (varnishd, moto, PostgreSQL, Redis)
it says "skipped: <why>" and exits 0. Children are stopped at exit, also on
Ctrl-C and on failure; the whole run is bounded by --timeout.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from stack import (
    ROOT,
    create_app_database,
    drop_app_database,
    find_varnishd,
    free_port,
    public_read_policy,
    purge_secret,
    stop,
    vcl_for_backends,
    wait_for,
)

PYTHON = sys.executable
BUCKET = "newsroom-media"
# moto's local S3 takes any credentials; these open nothing elsewhere.
MOTO_KEY = "scaleout-local"
EDITOR = "scaleout-editor"
# How soon after publishing the new headline must show through Varnish.
FRESH_WITHIN_SECONDS = 1.0
# discussion's default "minimum seconds to fill" (Settings › Reader comments):
# a comment sent sooner is held for a moderator.
MIN_SECONDS_TO_FILL = 3
BALANCE_REQUESTS = 10
# Variables of the caller's shell that would change what the app servers run.
CLEARED = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "VARNISH_URL",
    "VARNISH_PURGE_SECRET",
    "PAGE_CACHE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
CLEARED_PREFIXES = ("AWS_", "GUNICORN_", "SECURE_", "CACHE_", "EMAIL_")


class CheckFailed(Exception):
    """A check saw something other than what a scaled-out site must do."""


class Skip(Exception):
    """Something the run needs is missing on this machine."""


def expect(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def say(message: str) -> None:
    print(message, flush=True)


# -- prerequisites ------------------------------------------------------------------


def ensure_varnishd() -> str:
    varnishd = find_varnishd()
    if varnishd is None and os.geteuid() == 0 and shutil.which("apt-get"):
        say("varnishd is missing: apt-get install varnish")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "varnish"],
            capture_output=True,
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        varnishd = find_varnishd()
    if varnishd is None:
        raise Skip("varnishd is not installed (Debian: apt-get install varnish)")
    return varnishd


def ensure_moto() -> None:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        if sys.prefix == sys.base_prefix:
            raise Skip("moto's S3 server is not installed (pip install 'moto[server]')") from None
        say("moto is missing: installing moto[server] into this virtualenv")
        spec = next(
            line.split("#")[0].strip()
            for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
            if line.startswith("moto")
        )
        installed = subprocess.run(
            [PYTHON, "-m", "pip", "install", "--quiet", spec], capture_output=True, timeout=600
        )
        if installed.returncode != 0:
            raise Skip("moto's S3 server is not installed and pip could not install it") from None


def check_postgres(server: str) -> None:
    import psycopg

    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        raise Skip(f"PostgreSQL does not answer at {server}: {str(exc).strip()}") from None


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        raise Skip(f"Redis does not answer at {url}: {exc}") from None


# -- the stack ----------------------------------------------------------------------


@dataclass
class AppServer:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def worker_log(self) -> Path:
        return self.log.with_suffix(".worker.log")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def worker_log_text(self) -> str:
        """What this server's task worker printed: e-mails sent (the console backend) among them."""
        return self.worker_log.read_text(errors="replace") if self.worker_log.exists() else ""


@dataclass
class Stack:
    postgres: str
    redis_url: str
    varnishd: str
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newsroom-scaleout-")))
    children: list[subprocess.Popen] = field(default_factory=list)
    database_created: bool = False

    def __post_init__(self) -> None:
        self.database = f"newsroom_scaleout_{os.getpid()}_{self.token}"
        self.redis_prefix = f"scaleout-{self.token}"
        self.editor_password = secrets.token_urlsafe(16)
        # One key for every app server: each must accept what another signed.
        self.secret_key = secrets.token_urlsafe(50)
        # Varnish takes purges only with it; every app server sends it.
        self.purge_secret = purge_secret()
        # The app's own database role, as in production: never a superuser.
        self.database_role = self.database
        self.database_url = ""
        self.varnish_port, self.s3_port = free_port(), free_port()
        # RQ's keys take no prefix: what its database holds before the run is left alone.
        self.rq_keys_before = rq_keys(tasks_redis_url(self.redis_url))
        self.apps = [
            AppServer(name, free_port(), self.workdir / f"app-{name.lower()}.log") for name in ("A", "B")
        ]

    @property
    def varnish(self) -> str:
        return f"http://127.0.0.1:{self.varnish_port}"

    @property
    def s3(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment every app server shares; each adds only where it listens."""
        base = {
            key: value
            for key, value in os.environ.items()
            if key not in CLEARED and not key.startswith(CLEARED_PREFIXES)
        }
        return {
            **base,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "SECRET_KEY": self.secret_key,
            # localhost: Varnish's health probe.
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WAGTAILADMIN_BASE_URL": self.varnish,
            "SECURE_COOKIES": "false",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": self.redis_url,
            "REDIS_KEY_PREFIX": self.redis_prefix,
            # RQ's keys take no prefix: the task queue gets a Redis database of its own.
            "REDIS_TASKS_URL": tasks_redis_url(self.redis_url),
            "PAGE_CACHE": "off",
            "STATIC_ROOT": str(self.workdir / "static"),
            # Unused with a bucket; set so nothing lands in the checkout.
            "MEDIA_ROOT": str(self.workdir / "media"),
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": MOTO_KEY,
            "AWS_SECRET_ACCESS_KEY": MOTO_KEY,
            # Emails (comment confirmations) go to the task workers' logs, where the
            # reader's inbox stands in.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "LOG_LEVEL": "WARNING",
            **extra,
        }

    def start(self, process_args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
        with log.open("ab") as out:
            process = subprocess.Popen(
                process_args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.children.append(process)
        return process

    def manage(self, *args: str, log: str) -> subprocess.Popen:
        return self.start([PYTHON, "manage.py", *args], self.workdir / log, self.env())

    def finish(self, process: subprocess.Popen, what: str, log: str, timeout: float) -> None:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(process)
            raise CheckFailed(f"{what} took longer than {timeout:.0f} s") from None
        if process.returncode != 0:
            tail = (self.workdir / log).read_text(errors="replace")[-2000:]
            raise CheckFailed(f"{what} failed (exit {process.returncode}):\n{tail}")

    # Each part of the setup --------------------------------------------------

    def create_database(self) -> None:
        # Marked first: a failure half-way still drops what was made.
        self.database_created = True
        self.database_url, _ = create_app_database(
            self.postgres, self.database, self.database_role, secrets.token_urlsafe(24)
        )

    def start_object_store(self) -> None:
        command = [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)]
        process = self.start(command, self.workdir / "moto.log", dict(os.environ))
        wait_for(f"{self.s3}/moto-api/", 30, process)
        s3 = self.s3_client()
        s3.create_bucket(Bucket=BUCKET)
        # Readers fetch media anonymously: the public-read policy site/README.md asks for.
        s3.put_bucket_policy(Bucket=BUCKET, Policy=public_read_policy(BUCKET))

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3,
            region_name="us-east-1",
            aws_access_key_id=MOTO_KEY,
            aws_secret_access_key=MOTO_KEY,
        )

    def bucket_keys(self) -> set[str]:
        pages = self.s3_client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def prepare_site(self) -> int:
        """Point the default site at Varnish's address, add a section and an editor; the section's id."""
        code = f"""
import os
from django.contrib.auth import get_user_model
from wagtail.models import Site
from news.models import CategoryIndexPage

# Purges name the site's address; Varnish keys pages on the Host readers send.
site = Site.objects.get(is_default_site=True)
site.hostname, site.port = "127.0.0.1", {self.varnish_port}
site.save()
section = site.root_page.add_child(instance=CategoryIndexPage(title="World", slug="world"))
get_user_model().objects.create_superuser({EDITOR!r}, "editor@example.org", os.environ["EDITOR_PASSWORD"])
print("section", section.pk)
"""
        output = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env(EDITOR_PASSWORD=self.editor_password),
            capture_output=True,
            text=True,
            timeout=120,
        )
        match = re.search(r"^section (\d+)$", output.stdout, re.MULTILINE)
        expect(match, f"setting up the site failed:\n{output.stdout[-1000:]}{output.stderr[-2000:]}")
        return int(match.group(1))

    def start_app_servers(self) -> None:
        for app in self.apps:
            env = self.env(
                GUNICORN_BIND=f"127.0.0.1:{app.port}",
                GUNICORN_WORKERS="2",
                GUNICORN_ACCESS_LOG="-",
                VARNISH_URL=self.varnish,
                VARNISH_PURGE_SECRET=self.purge_secret,
            )
            app.process = self.start([PYTHON, "-m", "gunicorn", "-c", "site/gunicorn.conf.py"], app.log, env)
            # One task worker per app server, both on the one queue (purges, e-mail, pictures).
            self.start([PYTHON, "manage.py", "run_worker"], app.worker_log, env)
        for app in self.apps:
            wait_for(f"{app.url}/healthz", 60, app.process)
        # The workers first catch up with what setting up the site queued (index updates).
        tasks_done(self, within=120)

    def start_varnish(self) -> None:
        # As root, varnishd compiles the VCL as its own unprivileged user: let it read this folder.
        self.workdir.chmod(0o755)
        vcl = self.workdir / "scaleout.vcl"
        vcl.write_text(vcl_for_backends([app.port for app in self.apps]))
        command = [self.varnishd, "-F", "-n", str(self.workdir / "varnish"), "-T", "none"]
        if os.geteuid() != 0:
            command += ["-j", "none"]
        command += ["-a", f"127.0.0.1:{self.varnish_port}", "-f", str(vcl), "-s", "malloc,64m"]
        # The VCL reads the purge secret from varnishd's environment.
        env = {**os.environ, "VARNISH_PURGE_SECRET": self.purge_secret}
        process = self.start(command, self.workdir / "varnish.log", env)
        wait_for(f"{self.varnish}/healthz", 30, process)

    def close(self) -> None:
        for process in reversed(self.children):
            stop(process)
        if self.database_created:
            drop_app_database(self.postgres, self.database, self.database_role)
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2, socket_timeout=5)
        keys = list(client.scan_iter(match=f"{self.redis_prefix}:*", count=500))
        if keys:
            client.delete(*keys)
        queue_keys = delete_rq_keys_of_run(tasks_redis_url(self.redis_url), self.rq_keys_before)
        dropped = f"database {self.database} and its role dropped, " if self.database_created else ""
        say(
            f"cleaned up: {len(self.children)} processes stopped, {dropped}"
            f"{len(keys)} Redis keys of this run and {queue_keys} task queue keys deleted"
        )


# -- HTTP as a browser does it ------------------------------------------------------


class FormReader(HTMLParser):
    """The action and the named fields of the first form with a given class (or any form)."""

    def __init__(self, form_class: str | None = None) -> None:
        super().__init__()
        self.form_class = form_class
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._state = "before"
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._state == "before" and tag == "form":
            if self.form_class is None or self.form_class in (values.get("class") or "").split():
                self._state, self.action = "in", values.get("action")
        elif self._state == "in" and tag == "input" and values.get("name"):
            if values.get("type") == "checkbox" and "checked" not in values:
                return
            self.fields[values["name"]] = values.get("value") or ""
        elif self._state == "in" and tag == "textarea":
            self._textarea = values.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._state == "in":
            self._state = "after"


def read_form(html: str, form_class: str | None = None) -> tuple[str, dict[str, str]]:
    reader = FormReader(form_class)
    reader.feed(html)
    expect(reader.action is not None, f"no {form_class or ''} form on the page")
    return reader.action or "", reader.fields


def reader_client(base: str):
    """A browser with no cookies: what Varnish may serve from its cache."""
    import httpx

    return httpx.Client(base_url=base, timeout=10, headers={"User-Agent": "newsroom-scaleout-reader"})


def draftail(text: str) -> str:
    """A paragraph as the admin's rich text editor posts it."""
    block = {"key": "scale", "type": "unstyled", "depth": 0, "text": text}
    return json.dumps({"blocks": [{**block, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def story_form(title: str, slug: str, *, lead_image: int | None = None) -> dict[str, str]:
    """The news article editor's fields as the admin posts them, with Publish pressed."""
    data = {
        "title": title,
        "slug": slug,
        "subheadline": "",
        "standfirst": "Two app servers, one site.",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": draftail("Written in the admin of one app server and read through the other."),
        "body-0-deleted": "",
        "body-0-order": "0",
        "references-count": "0",
        "tags": "",
        "reader_comments": "open",
        "lead_image": str(lead_image or ""),
        "lead_image_alt_text": "A test card in red and blue" if lead_image else "",
        # A credited picture: publishing one without a credit stops to ask first.
        "lead_image_credit": "Scale-out test card" if lead_image else "",
        "action-publish": "publish",
    }
    for formset in ("story_authors", "related_links", "corrections"):
        data |= {
            f"{formset}-TOTAL_FORMS": "0",
            f"{formset}-INITIAL_FORMS": "0",
            f"{formset}-MIN_NUM_FORMS": "0",
            f"{formset}-MAX_NUM_FORMS": "1000",
        }
    return data


def form_errors(html: str) -> str:
    """What the admin said was wrong, for the failure message."""
    messages = re.findall(
        r'class="[^"]*(?:error-message|help-critical|messages)[^"]*"[^>]*>(.*?)</', html, re.S
    )
    text = " | ".join(re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in messages)
    return text[:600] or main_text(html)


def main_text(html: str) -> str:
    """A page's main content as plain text, shortened: what a failure message quotes."""
    main = re.search(r"<main\b.*?</main>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else html)
    return re.sub(r"\s+", " ", text).strip()[:300]


class Editor:
    """An editor signed in to one app server's admin, with a real session cookie."""

    def __init__(self, app: AppServer, password: str) -> None:
        import httpx

        self.app = app
        self.client = httpx.Client(
            base_url=app.url, timeout=30, headers={"User-Agent": "newsroom-scaleout-editor"}
        )
        form = self.client.get("/admin/login/")
        expect(form.status_code == 200, f"{app.name}'s admin login page answered {form.status_code}")
        _, fields = read_form(form.text)
        fields |= {"username": EDITOR, "password": password, "next": "/admin/"}
        response = self.client.post("/admin/login/", data=fields)
        expect(
            response.status_code == 302 and response.headers.get("location") == "/admin/",
            f"signing in to {app.name}'s admin failed ({response.status_code})",
        )

    def post(self, path: str, data: dict[str, str], **kwargs):
        token = self.client.cookies.get("csrftoken")
        return self.client.post(path, data={**data, "csrfmiddlewaretoken": token}, **kwargs)

    def publish(self, path: str, form: dict[str, str]) -> None:
        response = self.post(path, form)
        expect(
            response.status_code == 302,
            f"publishing through {self.app.name}'s admin answered {response.status_code}: "
            f"{form_errors(response.text)}",
        )

    def upload_image(self, content: bytes, title: str) -> int:
        response = self.post(
            "/admin/images/multiple/add/",
            {"title": title},
            files={"files[]": ("scaleout-card.png", content, "image/png")},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
        expect(
            response.status_code == 200, f"image upload to {self.app.name} answered {response.status_code}"
        )
        answer = response.json()
        expect(answer.get("success") and answer.get("image_id"), f"image upload refused: {answer}")
        return int(answer["image_id"])


def card_png() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (1600, 1000), (200, 40, 40))
    image.paste((40, 60, 200), (800, 0, 1600, 1000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# -- the checks ---------------------------------------------------------------------


@dataclass
class Story:
    id: int
    path: str
    slug: str
    section_path: str
    comment_form_html: str = ""


def tasks_redis_url(redis_url: str) -> str:
    """The same Redis server, database 15: RQ's queue apart from any other site's on database 0."""
    parts = urlsplit(redis_url)
    return urlunsplit((parts.scheme, parts.netloc, "/15", parts.query, ""))


def rq_keys(url: str) -> set[bytes]:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return set(client.scan_iter(match="rq:*", count=500))


def delete_rq_keys_of_run(url: str, before: set[bytes]) -> int:
    """Delete what the run's workers left in the task queue's database; returns how many keys.

    Keys made during the run go (jobs, results, workers, registries); shared
    keys that were there before (another run's queue) only lose the run's
    jobs and workers as members.
    """
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    new = rq_keys(url) - before
    members = {key.split(b":", 2)[2] for key in new if key.startswith((b"rq:job:", b"rq:worker:"))}
    for key in before & rq_keys(url):
        kind = client.type(key)
        for member in members:
            if kind == b"zset":
                client.zrem(key, member)
            elif kind == b"set":
                client.srem(key, member, b"rq:worker:" + member)
            elif kind == b"list":
                client.lrem(key, 0, member)
    if new:
        client.delete(*new)
    return len(new)


def publish_fresh_through_varnish(stack: Stack, editor: Editor, section_id: int) -> tuple[Story, str]:
    app_a = stack.apps[0]
    slug = f"scaleout-{stack.token}"
    editor.publish(f"/admin/pages/add/news/newsarticlepage/{section_id}/", story_form("First headline", slug))
    api = reader_client(app_a.url).get(
        "/api/v2/pages/", params={"type": "news.NewsArticlePage", "slug": slug}
    )
    items = api.json().get("items", []) if api.status_code == 200 else []
    expect(items, f"the published story is not in A's API ({api.status_code})")
    path = urlsplit(items[0]["meta"]["html_url"]).path
    story = Story(id=items[0]["id"], path=path, slug=slug, section_path=path.rsplit("/", 2)[0] + "/")

    varnish = reader_client(stack.varnish)
    cached = {}
    for url in ("/", story.section_path, story.path):
        varnish.get(url)
        again = varnish.get(url)
        expect(
            again.status_code == 200 and again.headers.get("x-cache") == "HIT",
            f"Varnish did not cache {url} ({again.status_code}, X-Cache {again.headers.get('x-cache')})",
        )
        expect("First headline" in again.text, f"{url} does not show the story")
        cached[url] = again
    # The comment form step 3 fills in, as B renders it: A must accept what B signed.
    from_b = reader_client(stack.apps[1].url).get(story.path)
    expect(from_b.status_code == 200, f"B answered {from_b.status_code} for the article")
    story.comment_form_html = from_b.text

    headline = f"Second headline {stack.token}"
    started = time.monotonic()
    editor.publish(f"/admin/pages/{story.id}/edit/", story_form(headline, slug))
    published = time.monotonic()
    # The article: polled, and fresh within the bound or the check fails.
    while True:
        article = varnish.get(story.path)
        fresh_after = time.monotonic() - published
        if headline in article.text or fresh_after > FRESH_WITHIN_SECONDS:
            break
        time.sleep(0.02)
    expect(
        headline in article.text,
        f"the article still had the old headline through Varnish {fresh_after:.2f} s after publishing",
    )
    # The listings: purged by the same background task as the article, so fresh within the same bound.
    while True:
        stale = [url for url in ("/", story.section_path) if headline not in varnish.get(url).text]
        if not stale or time.monotonic() - published > FRESH_WITHIN_SECONDS:
            break
        time.sleep(0.02)
    expect(not stale, f"the old headline is still served through Varnish on {stale}")
    return story, (
        f"published on A in {published - started:.2f} s; through Varnish the article had the new headline "
        f"{fresh_after:.3f} s later (X-Cache {article.headers.get('x-cache')}), and so had its section and "
        f"the home page within {FRESH_WITHIN_SECONDS} s (all three were cached HITs before; a worker purges)"
    )


def comment_shows_on_the_other_server(stack: Stack, story: Story) -> str:
    app_a, app_b = stack.apps
    action, fields = read_form(story.comment_form_html, "comment-form")
    text = f"Comment through A {stack.token}"
    fields |= {"name": "Ada Reader", "email": "ada@example.org", "comment": text}
    # A comment sent this soon after its form was rendered is held as a bot's.
    wait = int(fields.get("timestamp") or 0) + MIN_SECONDS_TO_FILL + 1 - time.time()
    if wait > 0:
        say(f"    (waiting {wait:.1f} s: a comment sent within {MIN_SECONDS_TO_FILL} s of the form is held)")
        time.sleep(wait)
    reader = reader_client(app_a.url)
    posted = reader.post(action, data=fields)
    expect(
        posted.status_code == 302 and "/comments/posted/" in posted.headers.get("location", ""),
        f"A did not take the comment ({posted.status_code}): {main_text(posted.text)}",
    )
    # Queued by A, sent by whichever server's task worker took it.
    link = None
    deadline = time.monotonic() + 10
    while link is None and time.monotonic() < deadline:
        sent = "".join(app.worker_log_text() for app in stack.apps)
        link = re.search(r"https?://[^/\s]+(/comments/confirm/[^/\s]+/)", sent)
        time.sleep(0.05)
    expect(link, "no task worker sent the confirmation email A queued for the comment")
    confirmed = reader.get(link.group(1))
    expect(confirmed.status_code == 302, f"opening the emailed link on A answered {confirmed.status_code}")
    confirmed_at = time.monotonic()

    on_b = reader_client(app_b.url).get(story.path)
    expect(on_b.status_code == 200 and text in on_b.text, "the comment is not on the article B serves")
    through_varnish = reader_client(stack.varnish).get(story.path)
    expect(text in through_varnish.text, "the comment is not on the article through Varnish")
    return (
        "B's comment form posted to A, confirmed by the emailed link on A; "
        f"on B's article and through Varnish (X-Cache {through_varnish.headers.get('x-cache')}) "
        f"{time.monotonic() - confirmed_at:.3f} s later"
    )


def tasks_done(stack: Stack, within: float = 60.0) -> None:
    """Wait until the task queue (RQ, in its own Redis database) has nothing waiting or running.

    Idle twice, 0.3 s apart: a job a worker has just taken is briefly in neither list.
    """
    import redis

    url = tasks_redis_url(stack.redis_url)
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    deadline = time.monotonic() + within
    idle = 0
    while time.monotonic() < deadline and idle < 2:
        busy = client.llen("rq:queue:default") + client.zcard("rq:wip:default")
        idle = 0 if busy else idle + 1
        time.sleep(0.3)
    expect(idle >= 2, f"the task workers did not finish the queued tasks within {within:.0f} s")


def image_served_by_both(stack: Stack, editor: Editor, story: Story) -> str:
    png = card_png()
    image_id = editor.upload_image(png, f"Scale-out card {stack.token}")
    form = story_form(f"Second headline {stack.token}", story.slug, lead_image=image_id)
    editor.publish(f"/admin/pages/{story.id}/edit/", form)
    # The task workers make the story's picture sizes after the upload and the publish:
    # let them finish, so that what follows counts only what rendering the page adds.
    tasks_done(stack)
    media = re.compile(rf"{re.escape(stack.s3)}/{BUCKET}/[^\s\"',]+")
    rendered = {}
    keys_after: dict[str, int] = {}
    for app in stack.apps:
        page = reader_client(app.url).get(story.path)
        expect(page.status_code == 200, f"{app.name} answered {page.status_code} for the article")
        rendered[app.name] = set(media.findall(page.text))
        expect(rendered[app.name], f"the article {app.name} serves shows no image from the bucket")
        keys_after[app.name] = len(stack.bucket_keys())
    expect(
        rendered["A"] == rendered["B"],
        f"A and B render different image files: {sorted(rendered['A'] ^ rendered['B'])}",
    )
    expect(
        keys_after["A"] == keys_after["B"],
        "B made its own copies of renditions A had already stored",
    )
    through_varnish = set(media.findall(reader_client(stack.varnish).get(story.path).text))
    expect(through_varnish == rendered["A"], "the article through Varnish shows other image files")

    keys = stack.bucket_keys()
    originals = [key for key in keys if key.startswith("original_images/")]
    expect(len(originals) == 1, f"expected the upload in the bucket's original_images/, found {originals}")
    fetch = reader_client(stack.s3)
    original = fetch.get(f"/{BUCKET}/{originals[0]}")
    expect(original.status_code == 200 and original.content == png, "the original image does not read back")
    for url in sorted(rendered["B"]):
        key = urlsplit(url).path.removeprefix(f"/{BUCKET}/")
        expect(key in keys, f"{key} is referenced by B's page but not in the bucket")
        answer = fetch.get(url)
        expect(
            answer.status_code == 200 and answer.headers.get("content-type", "").startswith("image/"),
            f"{url} answered {answer.status_code} {answer.headers.get('content-type')}",
        )
    return (
        f"image {image_id} uploaded to A's admin: {len(keys)} objects in the bucket (the original and "
        f"{len(keys) - 1} renditions); A and B render the same {len(rendered['B'])} files, each answers 200"
    )


def varnish_uses_both(stack: Stack) -> str:
    marker = f"newsroom-scaleout-balance-{stack.token}"
    client = reader_client(stack.varnish)
    for number in range(BALANCE_REQUESTS):
        # /healthz is never cached, so every request reaches an app server.
        answer = client.get("/healthz", params={"n": number}, headers={"User-Agent": marker})
        expect(answer.status_code == 200, f"/healthz through Varnish answered {answer.status_code}")
    time.sleep(0.2)  # the access log line is written after the response
    counts = {app.name: app.log_text().count(marker) for app in stack.apps}
    expect(all(counts.values()), f"Varnish sent every request to one app server: {counts}")
    expect(sum(counts.values()) == BALANCE_REQUESTS, f"access logs show {counts} of {BALANCE_REQUESTS}")
    return f"{BALANCE_REQUESTS} uncached requests through Varnish: " + ", ".join(
        f"{count} on {name}" for name, count in counts.items()
    )


# -- running it ---------------------------------------------------------------------


@contextmanager
def step(title: str, started: float) -> Iterator[None]:
    say(f"[{time.monotonic() - started:6.1f} s] {title} ...")
    began = time.monotonic()
    yield
    say(f"           done in {time.monotonic() - began:.1f} s")


def run(stack: Stack) -> None:
    started = time.monotonic()
    with step("setup: database, object store, migrations and static files", started):
        stack.create_database()
        stack.start_object_store()
        migrate = stack.manage("migrate", "--noinput", "-v0", log="migrate.log")
        # Beside the migrations (no database needed); migrate has run the system checks.
        collect = stack.manage("collectstatic", "--noinput", "-v0", "--skip-checks", log="collectstatic.log")
        stack.finish(collect, "collectstatic", "collectstatic.log", 240)
        stack.finish(migrate, "migrate", "migrate.log", 240)
        section_id = stack.prepare_site()
        say(f"    database {stack.database}; Redis keys prefixed {stack.redis_prefix}:; bucket at {stack.s3}")
    with step("starting app servers A and B, then Varnish in front of both", started):
        stack.start_app_servers()
        stack.start_varnish()
        a, b = stack.apps
        say(f"    A {a.url}  B {b.url}  Varnish {stack.varnish} (round robin)")

    results = []
    with step("1. a story published through A's admin is fresh through Varnish at once", started):
        editor = Editor(stack.apps[0], stack.editor_password)
        story, said = publish_fresh_through_varnish(stack, editor, section_id)
        results.append(said)
        say(f"    ok: {said}")
    # The image goes before the comment: the comment form a reader loaded in step 1 must be
    # a few seconds old, and the upload fills that time.
    with step("2. an image uploaded through A is in the bucket and served for A and B", started):
        said = image_served_by_both(stack, editor, story)
        results.append(said)
        say(f"    ok: {said}")
    with step("3. a comment posted through A shows on B and through Varnish", started):
        said = comment_shows_on_the_other_server(stack, story)
        results.append(said)
        say(f"    ok: {said}")
    with step("4. Varnish balances requests over A and B", started):
        said = varnish_uses_both(stack)
        results.append(said)
        say(f"    ok: {said}")
    say(f"scale-out proven in {time.monotonic() - started:.1f} s: {len(results)} checks passed")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    database_url = os.environ.get("DATABASE_URL", "")
    parser.add_argument(
        "--postgres",
        default=database_url.rsplit("/", 1)[0]
        if database_url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432",
        help="the PostgreSQL server (no database name); default: DATABASE_URL's server, or 127.0.0.1:5432",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0", help="the shared Redis"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds the whole run may take")
    parser.add_argument("--keep-logs", action="store_true", help="keep the app servers' logs even on success")
    args = parser.parse_args()

    try:
        varnishd = ensure_varnishd()
        ensure_moto()
        check_postgres(args.postgres)
        check_redis(args.redis)
    except Skip as reason:
        say(f"skipped: {reason}")
        return 0

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    def out_of_time(signum: int, frame: object) -> None:
        raise CheckFailed(f"the run took longer than --timeout {args.timeout} s")

    # SIGINT too: a shell starts background jobs with it ignored, and `kill -INT` must still stop the run.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.timeout)
    stack = Stack(postgres=args.postgres, redis_url=args.redis, varnishd=varnishd)
    status = 1
    try:
        run(stack)
        status = 0
    except CheckFailed as exc:
        say(f"FAILED: {exc}")
    except KeyboardInterrupt:
        say("interrupted: stopping everything")
        status = 130
    except Exception:  # An unexpected error is a failed run too, after cleaning up.
        traceback.print_exc(file=sys.stdout)
        say("FAILED: the error above")
    finally:
        signal.alarm(0)
        # A second Ctrl-C must not leave servers and the database behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            stack.close()
        finally:
            if status == 1 or args.keep_logs:
                say(f"logs kept in {stack.workdir}")
            else:
                shutil.rmtree(stack.workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
