"""Local development: debug on, console email, a throwaway secret key."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-only"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Reader comments appear at once; production asks anonymous readers to confirm by email.
COMMENTS_XTD_CONFIRM_EMAIL = False

# Review and reader-comment emails link where the development server runs:
# `make run` passes its PORT here and to configure_local_site, which gives the
# default Site the same port.
_port = os.environ.get("PORT", "8000")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or f"http://127.0.0.1:{_port}"
AKISMET_SITE_URL = os.environ.get("AKISMET_SITE_URL", WAGTAILADMIN_BASE_URL)

# `make run` counts views in a local Redis when one is running (readership).
READERSHIP_REDIS_URL = READERSHIP_REDIS_URL or "redis://127.0.0.1:6379/0"  # noqa: F405

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
