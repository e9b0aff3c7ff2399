"""Review e-mails link to the admin where it runs: the development server's port, or production's address."""

import importlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from django.core import mail
from django.core.management import call_command

from tests.admin_forms import story_form

ROOT = Path(__file__).resolve().parents[2]


def dev_settings(monkeypatch, **environ: str):
    for name in ("PORT", "WAGTAILADMIN_BASE_URL", "AKISMET_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "newsroom.settings.dev", raising=False)
    try:
        return importlib.import_module("newsroom.settings.dev")
    finally:
        sys.modules.pop("newsroom.settings.dev", None)


def test_development_admin_address_follows_the_port(monkeypatch):
    assert dev_settings(monkeypatch, PORT="18830").WAGTAILADMIN_BASE_URL == "http://127.0.0.1:18830"
    assert dev_settings(monkeypatch).WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8000"
    explicit = dev_settings(monkeypatch, PORT="18830", WAGTAILADMIN_BASE_URL="http://desk.local:9000")
    assert explicit.WAGTAILADMIN_BASE_URL == "http://desk.local:9000"


def test_make_run_passes_its_port_to_the_server_and_the_site():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    recipe = subprocess.run(  # noqa: S603
        [make, "-n", "run", "PORT=18830"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "configure_local_site --port 18830" in recipe
    assert "PORT=18830 .venv/bin/python manage.py runserver 127.0.0.1:18830" in recipe


@pytest.mark.django_db
def test_review_email_links_to_the_configured_admin(settings, writer_client, editor, health):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:18830"
    writer_client.post(f"/admin/pages/add/news/newsarticlepage/{health.pk}/", story_form("action-submit"))

    [message] = mail.outbox
    assert "http://127.0.0.1:18830/admin/pages/" in message.body
    assert "127.0.0.1:8000" not in message.body


@pytest.mark.django_db
def test_configure_local_site_warns_when_emails_would_link_elsewhere(settings, site):
    settings.DEBUG = True
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    out, err = io.StringIO(), io.StringIO()

    call_command("configure_local_site", "--port", "18830", stdout=out, stderr=err)

    assert "Default site address: http://127.0.0.1:18830/" in out.getvalue()
    assert "Admin e-mails link to http://127.0.0.1:8000, not http://127.0.0.1:18830" in err.getvalue()

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:18830"
    err = io.StringIO()
    call_command("configure_local_site", "--port", "18830", stdout=out, stderr=err)
    assert err.getvalue() == ""
