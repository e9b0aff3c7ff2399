"""What the shipped schedulers run: the page-view flush each minute, the session clean-up daily."""

import configparser

from tests.deploy.helpers import PROJECT_DIR, SITE_DIR


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string((SITE_DIR / "systemd" / name).read_text())
    return parser


def test_systemd_timer_flushes_page_views_every_minute():
    timer = unit("newsroom-flush-page-views.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* *:*:00"
    assert timer["Unit"] == "newsroom-flush-page-views.service"
    service = unit("newsroom-flush-page-views.service")["Service"]
    assert service["ExecStart"].endswith("manage.py flush_page_views")
    assert service["Type"] == "oneshot"


def test_procfile_scheduler_and_make_run_flush_page_views():
    scheduler = next(
        line for line in (SITE_DIR / "Procfile").read_text().splitlines() if line.startswith("scheduler:")
    )
    assert "manage.py flush_page_views" in scheduler
    make_run = (PROJECT_DIR / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py flush_page_views" in make_run
    assert "manage.py generate_demo_views --if-none" in make_run


def test_expired_sessions_are_cleared_daily_by_systemd_and_the_procfile():
    # The privacy notice says a session ends after two weeks at most: its row must go too.
    timer = unit("newsroom-clear-sessions.timer")["Timer"]
    assert timer["OnCalendar"] == "daily"
    assert timer["Unit"] == "newsroom-clear-sessions.service"
    assert unit("newsroom-clear-sessions.service")["Service"]["ExecStart"].endswith("manage.py clearsessions")
    scheduler = next(
        line for line in (SITE_DIR / "Procfile").read_text().splitlines() if line.startswith("scheduler:")
    )
    assert "manage.py clearsessions" in scheduler
    assert "manage.py prune_tasks" in scheduler
