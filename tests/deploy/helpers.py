"""Run code under production settings in a fresh interpreter, with a chosen environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SITE_DIR = PROJECT_DIR / "site"
# Variables a developer's shell may carry that would change what production reads.
_CLEARED = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "VARNISH_URL",
    "VARNISH_PURGE_SECRET",
    "AWS_STORAGE_BUCKET_NAME",
    "PAGE_CACHE",
    "DATABASE_CONN_MAX_AGE",
    # Set by the browser tests' conftest; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(tmp_path: Path, **env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED and not k.startswith("SECURE_")}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "production-test-" + "k" * 50,
        "ALLOWED_HOSTS": "news.example.org,testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **env,
    }


def run_python(code: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    setup = "import django; from django.conf import settings; django.setup()\n"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", setup + code],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=timeout,
    )


def run_manage(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=timeout,
    )
