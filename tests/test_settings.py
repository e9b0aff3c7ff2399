"""Settings modules: each environment reads what it must from the environment."""

import os
import subprocess
import sys

from django.conf import settings


def run_settings(module: str, env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; from django.conf import settings; django.setup(); {code}"],
        env={**clean_env, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings("newsroom.settings.production", {}, "print('started')")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_reads_hosts_and_database_from_the_environment():
    result = run_settings(
        "newsroom.settings.production",
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "news.example.org, www.news.example.org",
            "DATABASE_URL": "postgres://reader@db.internal:5432/newsroom",
        },
        "db = settings.DATABASES['default']; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, db['ENGINE'], db['HOST'], db['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['news.example.org', 'www.news.example.org'] "
        "django.db.backends.postgresql db.internal newsroom"
    )


def test_development_defaults_to_sqlite_in_the_project_directory():
    result = run_settings("newsroom.settings.dev", {}, "print(settings.DATABASES['default']['ENGINE'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_production_turns_on_https_redirect_and_hsts_from_the_environment():
    result = run_settings(
        "newsroom.settings.production",
        {"SECRET_KEY": "x" * 50, "SECURE_SSL_REDIRECT": "true", "SECURE_HSTS_SECONDS": "31536000"},
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True 31536000 True"
