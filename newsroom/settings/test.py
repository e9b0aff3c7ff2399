"""Settings for the pytest suite: fast hashing, local-memory cache, in-memory email."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Django's test setup sends to the in-memory outbox directly; tests of the
# mail queue set EMAIL_BACKEND back to core.mail's, which then sends here.
NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the test's own transaction; tests of the queue switch
# to the database backend and run the worker themselves (tests/core/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Views are counted only in the tests that give them a Redis (tests/readership).
READERSHIP_REDIS_URL = ""

MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WORDPRESS_IMPORT_DIR = BASE_DIR / ".test-imports"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Story pictures are made on upload and publish only in the tests of that
# (tests/core/test_renditions_task.py): with tasks run at once, every test
# that saves an image would make them all.
NEWSROOM_PREPARE_RENDITIONS = False
