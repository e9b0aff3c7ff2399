"""Local development: debug on, console email, a throwaway secret key."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-only"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Reader comments appear at once; production asks anonymous readers to confirm by email.
COMMENTS_XTD_CONFIRM_EMAIL = False

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
