"""The deployment files in site/ say what the settings and the operator need."""

from __future__ import annotations

import configparser
import os
import re
import runpy
import subprocess

import pytest

from tests.deploy.helpers import PROJECT_DIR, SITE_DIR

SETTINGS_FILES = [
    *sorted((PROJECT_DIR / "newsroom" / "settings").glob("*.py")),
    SITE_DIR / "gunicorn.conf.py",
]
# Names settings read through os.environ or the production settings' flag helper.
ENV_READ = re.compile(r"""(?:os\.environ(?:\.get)?[(\[]|_env_flag\()\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read_by_settings() -> set[str]:
    names = {"DATABASE_URL"}  # read by dj-database-url
    for path in SETTINGS_FILES:
        names.update(ENV_READ.findall(path.read_text()))
    return names


def variables_in_env_example() -> set[str]:
    text = (SITE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_settings_read():
    missing = variables_read_by_settings() - variables_in_env_example()
    assert not missing, f"site/.env.example lacks {sorted(missing)}"


def test_env_example_lists_nothing_the_settings_ignore():
    unknown = variables_in_env_example() - variables_read_by_settings() - {"DJANGO_SETTINGS_MODULE"}
    assert not unknown, f"site/.env.example names {sorted(unknown)}, which nothing reads"


def load_gunicorn_config(monkeypatch, **env: str) -> dict:
    for name in [n for n in os.environ if n.startswith("GUNICORN_") or n == "FORWARDED_ALLOW_IPS"]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SITE_DIR / "gunicorn.conf.py"))


def test_gunicorn_listens_on_loopback_by_default_with_an_access_log(monkeypatch):
    config = load_gunicorn_config(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["wsgi_app"] == "newsroom.wsgi:application"
    assert config["accesslog"] == "-"
    assert config["workers"] == os.cpu_count() * 2 + 1


def test_gunicorn_bind_and_workers_come_from_the_environment(monkeypatch):
    config = load_gunicorn_config(monkeypatch, GUNICORN_BIND="10.0.0.11:8000", GUNICORN_WORKERS="3")
    assert (config["bind"], config["workers"]) == ("10.0.0.11:8000", 3)


def test_gunicorn_accepts_the_configuration(tmp_path):
    gunicorn = PROJECT_DIR / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in .venv")
    result = subprocess.run(  # noqa: S603
        [str(gunicorn), "-c", str(SITE_DIR / "gunicorn.conf.py"), "--check-config"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test"},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((SITE_DIR / "systemd" / name).read_text())
    return parser


def test_app_service_runs_gunicorn_with_the_site_config_and_the_environment_file():
    service = unit("newsroom.service")["Service"]
    assert service["ExecStart"].endswith("gunicorn -c site/gunicorn.conf.py")
    assert service["EnvironmentFile"] == "/etc/newsroom/env"
    assert service["User"] == "newsroom"


def test_varnish_service_loads_the_project_vcl():
    service = unit("newsroom-varnish.service")["Service"]
    assert "-f /srv/newsroom/site/varnish/default.vcl" in service["ExecStart"]


def test_varnish_service_listens_on_loopback_unless_told_otherwise():
    service = unit("newsroom-varnish.service")["Service"]
    assert "-a ${VARNISH_LISTEN}" in service["ExecStart"]
    assert "VARNISH_LISTEN=127.0.0.1:6081" in service["Environment"].split()
    # Where the purge secret comes from: read after the defaults, so it overrides them.
    assert service["EnvironmentFile"] == "-/etc/newsroom/varnish.env"


def test_timer_runs_publish_scheduled_every_minute():
    timer = unit("newsroom-publish-scheduled.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* *:*:00"
    assert timer["Unit"] == "newsroom-publish-scheduled.service"
    service = unit("newsroom-publish-scheduled.service")["Service"]
    assert service["ExecStart"].endswith("manage.py publish_scheduled")
    assert service["Type"] == "oneshot"


def test_procfile_runs_the_web_process_and_the_scheduler():
    processes = dict(
        line.split(":", 1)
        for line in (SITE_DIR / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert "gunicorn -c site/gunicorn.conf.py" in processes["web"]
    assert "publish_scheduled" in processes["scheduler"]
    assert "send_pending_mail" in processes["scheduler"]
    assert "migrate" in processes["release"]


def test_make_serve_is_documented_in_make_help():
    result = subprocess.run(["make", "help"], capture_output=True, text=True, cwd=PROJECT_DIR)  # noqa: S607
    assert re.search(r"make serve\s+Production settings locally", result.stdout)


def test_generated_secret_key_is_never_committed():
    command = ["git", "check-ignore", "-q", "site/.local/secret_key"]
    ignored = subprocess.run(command, cwd=PROJECT_DIR)  # noqa: S603
    assert ignored.returncode == 0
