"""An import killed with SIGKILL in the middle of a batch's bulk writes, then run again.

The import runs in a process of its own on the test database (tests/wordpress/
import_process.py), stops inside the second batch's writes with that batch's
pages, revisions and redirects inserted and its transaction open, and is killed
there, with no chance to clean up. The database throws the open batch away; the
next run carries on from it and makes the very site an uninterrupted run makes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from django.db import connection, transaction

from wagtail.models import Page

from tests.factories import home_page_with_site
from wordpress.importer import Importer
from wordpress.models import WordPressItem

from ..core.test_killed_worker import BASE_DIR, first_column, killed_when, worker_database_url
from .site_rows import site_rows
from .test_batches import export_of

PROCESS_SECONDS = 120


def start_import(database_url: str, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (the project's own module)
        [sys.executable, "-m", "tests.wordpress.import_process", *arguments],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + PROCESS_SECONDS
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the import never reached the held batch:\n{process.stdout.read().decode()}")
        time.sleep(0.05)


@pytest.fixture
def home_site(transactional_db):
    return home_page_with_site("home-killed-import")


def test_an_import_killed_inside_a_bulk_batch_is_carried_on_into_the_same_site(home_site, tmp_path):
    export = export_of(tmp_path, 12)
    with transaction.atomic():
        Importer(export, batch_size=5).run()
        uninterrupted = site_rows()
        transaction.set_rollback(True)
    database_url = worker_database_url(tmp_path)

    ready = tmp_path / "held"
    killed = start_import(database_url, str(export), "5", "story-7", str(ready))
    killed_when(killed, lambda: wait_for(ready, killed))
    # The first batch (stories 1 to 5) was committed; of the second, held with its pages
    # written, nothing is left.
    stories = first_column(database_url, f"SELECT slug FROM {Page._meta.db_table} WHERE slug LIKE 'story-%'")  # noqa: S608
    assert sorted(stories) == [f"story-{n}" for n in range(1, 6)]
    records = first_column(database_url, f"SELECT kind FROM {WordPressItem._meta.db_table}")  # noqa: S608
    assert records.count("post") == 5

    rerun = start_import(database_url, str(export), "5")
    output, _ = rerun.communicate(timeout=PROCESS_SECONDS)
    assert rerun.returncode == 0, output.decode()

    if database_url.startswith("sqlite:///"):
        # The processes wrote to a copy of the in-memory test database: read it back.
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as written:
            connection.ensure_connection()
            written.backup(connection.connection)
    resumed = site_rows()
    for table in uninterrupted:
        assert resumed[table] == uninterrupted[table], table
