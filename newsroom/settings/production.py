"""Production: every secret and host comes from the environment.

Required: SECRET_KEY. Usually also: ALLOWED_HOSTS (comma-separated),
DATABASE_URL (postgres://...), WAGTAILADMIN_BASE_URL, REDIS_URL.
site/.env.example lists every variable; site/README.md tells how to run it.
"""

import ipaddress
import os
import re

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]


def _env_flag(name: str, default: str = "false") -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "on", "yes"}


# Persistent connections save a PostgreSQL handshake per request; the health
# check (base settings) replaces one that died while idle instead of failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405

if os.environ.get("REDIS_URL"):
    # django-redis, not Django's RedisCache: Wagtail reads site root paths from
    # the cache on every URL it builds, so with Django's backend a Redis outage
    # turns every page into a 500. Ignored errors degrade to uncached service;
    # the short timeouts keep an unreachable Redis from stalling each request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Sites sharing one Redis (and one database number) keep apart by prefix.
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", ""),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Background tasks (core.tasks): on Redis with RQ's worker (`manage.py rqworker`,
# site/README.md) when REDIS_URL is set, on the database queue (`manage.py
# db_worker`) otherwise. REDIS_TASKS_URL may name another Redis database number.
if os.environ.get("REDIS_URL"):
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("REDIS_TASKS_URL") or os.environ["REDIS_URL"],
            "DEFAULT_TIMEOUT": int(os.environ.get("TASK_TIMEOUT", "600")),
        }
    }
    # Enqueueing while Redis is down runs the task in-line instead of failing the request.
    TASKS = {"default": {"BACKEND": "core.tasks.ResilientRQBackend"}}

# Varnish takes a PURGE only with this secret: site/varnish/default.vcl reads the
# same VARNISH_PURGE_SECRET from varnishd's environment and wants 32 or more
# URL-safe characters, so anything else would have every purge refused.
VARNISH_PURGE_SECRET = os.environ.get("VARNISH_PURGE_SECRET", "")
if WAGTAILFRONTENDCACHE and not re.fullmatch(r"[A-Za-z0-9_-]{32,}", VARNISH_PURGE_SECRET):  # noqa: F405
    raise ImproperlyConfigured(
        "VARNISH_URL needs VARNISH_PURGE_SECRET, the secret Varnish was given: 32 or more "
        "letters, digits, '-' or '_' (python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
    )
for _backend in WAGTAILFRONTENDCACHE.values():  # noqa: F405
    _backend["PURGE_SECRET"] = VARNISH_PURGE_SECRET

# Static files: hashed names from collectstatic, served by WhiteNoise straight
# from gunicorn with far-future cache headers (nothing else needed in front).
MIDDLEWARE = [
    *MIDDLEWARE[:1],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media: on local disk (MEDIA_ROOT) unless an S3-compatible bucket is named; a
# site on several app servers needs the bucket, since each server's disk is its own.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Pictures public, documents private objects behind signed addresses (core.storage).
    STORAGES["default"] = {"BACKEND": "core.storage.MediaStorage"}
    WAGTAILDOCS_SERVE_METHOD = "redirect"
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # Plain public URLs for pictures: signed ones change on every render, which defeats
    # page caching. Documents get signed ones (core.storage).
    AWS_QUERYSTRING_AUTH = False
    # A replaced image gets a new name, so a cached copy of the old one is never served for it.
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {
        "CacheControl": os.environ.get("AWS_S3_CACHE_CONTROL", "public, max-age=86400"),
    }
    MEDIA_URL = f"https://{AWS_S3_CUSTOM_DOMAIN}/" if AWS_S3_CUSTOM_DOMAIN else MEDIA_URL  # noqa: F405
else:
    # Media on local disk is served by the app itself (core.media), cached by Varnish.
    MIDDLEWARE.insert(2, "core.media.LocalMediaMiddleware")

if "TRUSTED_PROXIES" in os.environ:
    # Empty trusts no proxy: the site faces readers directly.
    NEWSROOM_TRUSTED_PROXIES = [p.strip() for p in os.environ["TRUSTED_PROXIES"].split(",") if p.strip()]
for _proxy in NEWSROOM_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from exc

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES", "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's admin previews pages in a same-origin frame, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# TLS usually ends at the proxy in front, which redirects; turn these on once
# every host is served over https.
SECURE_SSL_REDIRECT = _env_flag("SECURE_SSL_REDIRECT")
# Varnish's probe and load balancers ask over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/worker)?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_flag("SECURE_HSTS_PRELOAD")

# Every e-mail goes through the task queue (core.mail); the worker hands it to this backend.
NEWSROOM_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
# Seconds before an unreachable mail server is given up on: the send task then
# tries again later (core.mail), and only in-line sends (queue down) wait on it.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))

# Anonymous reader comments are stored only once the emailed link is opened.
COMMENTS_XTD_CONFIRM_EMAIL = True
