"""The dry run that only reads and converts: the report of the import's own dry run
(a rehearsal rolled back), with no writes and no query per item."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from news.models import NewsArticlePage
from wordpress.dry_run import DryRun
from wordpress.importer import Importer
from wordpress.models import WordPressItem
from wordpress.wxr import WXRError

from .conftest import SHARED_WXR, shared_export
from .test_import import snapshot
from .wxr_builder import author, category, comment, item, write, write_generated

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHARED_EXPORTS = sorted(path.name for path in SHARED_WXR.glob("*.xml"))


def comparable(report) -> dict:
    data = report.as_dict()
    del data["seconds"], data["phases"]
    return data


def generate(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    subprocess.run(  # noqa: S603 (the project's own script)
        [sys.executable, str(ROOT / "scripts" / "generate_wxr.py"), "-o", str(path), *args], check=True
    )
    return path


@pytest.mark.parametrize("name", SHARED_EXPORTS or ["small-export.xml"])
def test_dry_run_reports_what_the_rehearsal_reports_on_real_exports(name, home_page):
    path = shared_export(name)

    try:
        rehearsal = Importer(path, dry_run=True).run()
    except WXRError as refusal:
        # A file the import refuses, the dry run refuses with the same reason.
        with pytest.raises(WXRError, match=re.escape(str(refusal))):
            DryRun(path, workers=1).run()
        return
    dry_run = DryRun(path, workers=1).run()

    assert comparable(dry_run) == comparable(rehearsal)


def test_dry_run_reports_what_the_rehearsal_reports_on_a_generated_export(tmp_path, home_page):
    path = generate(
        tmp_path, "generated.xml", "--posts", "120", "--comments", "400", "--pages", "12", "--seed", "3"
    )

    rehearsal = Importer(path, dry_run=True).run()
    dry_run = DryRun(path, workers=1).run()

    assert comparable(dry_run) == comparable(rehearsal)
    assert dry_run.counts["page"] and dry_run.counts["comment"]["public"]


def test_dry_run_after_an_import_reports_what_the_rehearsal_reports(tmp_path, home_page):
    first = generate(tmp_path, "first.xml", "--posts", "30", "--pages", "4", "--seed", "5")
    second = generate(tmp_path, "second.xml", "--posts", "60", "--pages", "8", "--seed", "5")
    Importer(first).run()

    rehearsal = Importer(second, dry_run=True).run()
    dry_run = DryRun(second, workers=1).run()

    rehearsed = comparable(rehearsal)
    # Comments on posts imported earlier are counted by the import, not by this dry run.
    rehearsed["counts"]["comment"] = comparable(dry_run)["counts"]["comment"]
    assert comparable(dry_run) == rehearsed
    assert dry_run.counts["post"]["unchanged"] == 30


def test_dry_run_writes_nothing_and_queries_the_same_whatever_the_size(tmp_path, home_page):
    small = write_generated(tmp_path / "small.xml", posts=5)
    large = write_generated(tmp_path / "large.xml", posts=60)
    before = snapshot()

    with CaptureQueriesContext(connection) as small_queries:
        DryRun(small, workers=1).run()
    with CaptureQueriesContext(connection) as large_queries:
        report = DryRun(large, workers=1).run()

    assert snapshot() == before
    assert report.counts["post"]["published"] == 60
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries) <= 12
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for query in large_queries.captured_queries
    )


def test_dry_run_in_a_pool_of_processes_reports_what_one_process_reports(tmp_path, home_page, monkeypatch):
    monkeypatch.setattr("wordpress.dry_run.POOL_MIN_ITEMS", 1)
    monkeypatch.setattr("wordpress.dry_run.BATCH", 7)
    path = generate(
        tmp_path, "generated.xml", "--posts", "50", "--attachments", "10", "--missing-attachments", "5"
    )

    alone = DryRun(path, workers=1).run()
    pooled = DryRun(path, workers=2).run()

    assert comparable(pooled) == comparable(alone)
    assert pooled.counts["post"]["published"] > 40


def test_dry_run_notes_slugs_taken_under_an_existing_section(tmp_path, home_page, run_import):
    first = write(tmp_path / "first.xml", author("editor"), category("news", "News"), item(1, slug="floods"))
    run_import(first)
    second = write(
        tmp_path / "second.xml",
        author("editor"),
        category("news", "News"),
        item(2, slug="floods", comments=[comment(5, "Hello"), comment(6, "Reply", parent=5)]),
        base="https://other.example",
    )

    report = DryRun(second, workers=1).run()

    assert {
        "item": "post 2 ('Story 2')",
        "note": "the slug 'floods' is already used here; imported as 'floods-2'",
    } in report.notes
    assert report.counts["comment"]["public"] == 2
    assert NewsArticlePage.objects.count() == 1
    assert WordPressItem.objects.filter(source="https://other.example").count() == 0
    assert Page.objects.filter(slug="floods-2").count() == 0
