"""Production settings, read from the environment as a real deployment would set it."""

import json

import pytest

from tests.deploy.helpers import production_env, run_manage, run_python

HSTS = {
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


READ = [
    "CACHES",
    "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS",
    "DATABASES",
    "STORAGES",
    "MIDDLEWARE",
    "MEDIA_URL",
    "WAGTAILFRONTENDCACHE",
    "PAGE_CACHE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_QUERYSTRING_AUTH",
    "WAGTAILDOCS_SERVE_METHOD",
]
CONFIGURED = {
    **HSTS,
    "REDIS_URL": "redis://cache.internal:6379/2",
    "REDIS_KEY_PREFIX": "news-example",
    "DATABASE_CONN_MAX_AGE": "0",
    "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_CUSTOM_DOMAIN": "media.news.example.org",
    "VARNISH_URL": "http://127.0.0.1:6081, http://10.0.0.5:6081",
    "VARNISH_PURGE_SECRET": "purge-" + "p" * 40,
    "PAGE_CACHE": "on",
}


def read_settings(tmp_path, **env: str) -> dict:
    """The settings in READ as production computes them from `env` (one interpreter for all)."""
    code = f"import json; print(json.dumps({{n: getattr(settings, n, None) for n in {READ!r}}}, default=str))"
    result = run_python(code, production_env(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def defaults(tmp_path_factory) -> dict:
    """Production settings with only the required variables set."""
    return read_settings(tmp_path_factory.mktemp("defaults"))


@pytest.fixture(scope="module")
def configured(tmp_path_factory) -> dict:
    """Production settings with every optional service configured."""
    return read_settings(tmp_path_factory.mktemp("configured"), **CONFIGURED)


def test_check_deploy_prints_no_warning_with_https_and_hsts_configured(tmp_path):
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, **HSTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_hsts_is_left_off(tmp_path):
    result = run_manage(["check", "--deploy"], production_env(tmp_path))
    assert "security.W004" in result.stderr


def test_hsts_switches_come_from_the_environment(defaults, configured):
    assert [configured[f"SECURE_HSTS_{n}"] for n in ("SECONDS", "INCLUDE_SUBDOMAINS", "PRELOAD")] == [
        31536000,
        True,
        True,
    ]
    assert [defaults[f"SECURE_HSTS_{n}"] for n in ("SECONDS", "INCLUDE_SUBDOMAINS", "PRELOAD")] == [
        0,
        False,
        False,
    ]


def test_redis_cache_ignores_redis_errors(configured):
    cache = configured["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert configured["DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"] is True


def test_sites_sharing_one_redis_keep_their_keys_apart_by_prefix(configured):
    assert configured["CACHES"]["default"]["KEY_PREFIX"] == "news-example"


def test_database_connections_persist_for_a_minute_and_are_health_checked(defaults, configured):
    assert defaults["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert defaults["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert configured["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_media_stay_on_local_disk_without_a_bucket(defaults):
    assert defaults["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert defaults["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert defaults["MIDDLEWARE"][:3] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "core.media.LocalMediaMiddleware",
    ]
    # Documents are streamed by Wagtail's view after its privacy checks.
    assert defaults["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_media_go_to_s3_compatible_storage_when_a_bucket_is_named(configured):
    assert configured["STORAGES"]["default"] == {"BACKEND": "core.storage.MediaStorage"}
    assert [configured[f"AWS_{n}"] for n in ("STORAGE_BUCKET_NAME", "S3_ENDPOINT_URL", "S3_REGION_NAME")] == [
        "newsroom-media",
        "https://s3.example.net",
        "eu-west-1",
    ]
    assert [configured[f"AWS_{n}"] for n in ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "S3_CUSTOM_DOMAIN")] == [
        "AKIAEXAMPLE",
        "secret",
        "media.news.example.org",
    ]
    assert configured["AWS_QUERYSTRING_AUTH"] is False
    assert configured["MEDIA_URL"] == "https://media.news.example.org/"
    assert "core.media.LocalMediaMiddleware" not in configured["MIDDLEWARE"]
    # Private objects, reached through a signed redirect after Wagtail's privacy checks.
    assert configured["WAGTAILDOCS_SERVE_METHOD"] == "redirect"


def test_purges_go_to_varnish_only_when_its_address_is_given(defaults, configured):
    assert defaults["WAGTAILFRONTENDCACHE"] == {}
    backend = {"BACKEND": "core.purging.TimeoutHTTPBackend", "PURGE_SECRET": "purge-" + "p" * 40}
    assert configured["WAGTAILFRONTENDCACHE"] == {
        "varnish-1": {**backend, "LOCATION": "http://127.0.0.1:6081"},
        "varnish-2": {**backend, "LOCATION": "http://10.0.0.5:6081"},
    }


@pytest.mark.parametrize("secret", [None, "", "short", "p" * 31, "spaces in a secret " + "p" * 32])
def test_purges_without_a_secret_varnish_would_take_refuse_to_start(tmp_path, secret):
    env = production_env(tmp_path, VARNISH_URL="http://127.0.0.1:6081")
    if secret is not None:
        env["VARNISH_PURGE_SECRET"] = secret
    result = run_python("print('started')", env)
    assert result.returncode != 0
    assert "VARNISH_URL needs VARNISH_PURGE_SECRET" in result.stderr
    if secret:
        assert secret not in result.stderr


def test_page_cache_is_off_unless_switched_on(defaults, configured):
    assert defaults["PAGE_CACHE"] is False
    assert configured["PAGE_CACHE"] is True


def test_healthz_answers_plain_http_probes_when_https_is_enforced(tmp_path):
    result = run_python(
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='news.example.org')\n"
        "print(c.get('/healthz').status_code, c.get('/some-page/').status_code)",
        production_env(tmp_path, **HSTS),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_static_files_get_hashed_names_and_far_future_cache_headers(tmp_path):
    result = run_python(
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "url = static('css/newsroom.css')\n"
        "response = Client().get(url, HTTP_ACCEPT_ENCODING='gzip')\n"
        "print(url, response.status_code, response['Cache-Control'], response.get('Content-Encoding'))",
        production_env(tmp_path),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    url, status, *rest = result.stdout.split()
    assert (
        url.startswith("/static/css/newsroom.") and url.endswith(".css") and url != "/static/css/newsroom.css"
    )
    assert status == "200"
    assert " ".join(rest) == "max-age=315360000, public, immutable gzip"


def test_uploaded_media_on_local_disk_are_served_with_a_day_of_caching(tmp_path):
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "media" / "images" / "photo.jpg").write_bytes(b"jpeg bytes")
    result = run_python(
        "from django.test import Client\n"
        "c = Client()\n"
        "ok = c.get('/media/images/photo.jpg')\n"
        "missing = c.get('/media/images/none.jpg')\n"
        "escape = c.get('/media/../manage.py')\n"
        "print(ok.status_code, b''.join(ok.streaming_content).decode(), ok['Cache-Control'])\n"
        "print(missing.status_code, missing['Cache-Control'])\n"
        "print(escape.status_code)",
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "200 jpeg bytes public, max-age=86400",
        "404 public, max-age=60",
        "400",
    ]
