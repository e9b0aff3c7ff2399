"""What the command shows while it runs and records when it ends: items per second, the
time left, and the time of each phase."""

import json

import pytest

from wordpress.importer import Importer
from wordpress.management.commands.import_wordpress import progress_line

from .wxr_builder import item, write

pytestmark = pytest.mark.django_db


def test_progress_shows_items_per_second_and_the_time_left():
    # 501 items done 250 s after the first: 2 items a second, 4,499 items left.
    assert progress_line(501, 5_000, 250.0) == (
        "[###                           ] 501/5000 items, 2.0 items/s, 37 min 30 s left"
    )
    assert progress_line(5_000, 5_000, 10.0).endswith("items/s, 0 s left")


def test_progress_before_a_rate_is_known_shows_the_count_only():
    assert progress_line(1, 10, 0.0) == "[###                           ] 1/10 items"


def test_report_records_the_time_of_each_phase(run_import, tmp_path):
    path = write(tmp_path / "export.xml", item(1), item(2))
    report_path = tmp_path / "report.json"

    output = run_import(path, "--report", str(report_path))

    phases = json.loads(report_path.read_text())["phases"]
    assert list(phases) == ["read and check", "import", "indexes and history", "cache purges"]
    assert all(seconds >= 0 for seconds in phases.values())
    assert "(read and check " in output.splitlines()[-2]


def test_dry_run_report_records_its_phases(run_import, tmp_path):
    path = write(tmp_path / "export.xml", item(1))
    report_path = tmp_path / "report.json"

    run_import(path, "--dry-run", "--report", str(report_path))

    assert list(json.loads(report_path.read_text())["phases"]) == ["read and check", "sections", "convert"]


def test_importer_keeps_its_call_with_a_progress_callback(tmp_path, home_page):
    calls = []
    path = write(tmp_path / "export.xml", item(1), item(2))

    Importer(path, progress=lambda done, total: calls.append((done, total))).run()

    assert calls == [(1, 2), (2, 2)]
