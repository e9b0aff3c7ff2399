"""Settings of the worker process that tests/core/test_killed_worker.py starts and kills.

The test settings, with the database queue (or RQ, when TEST_RQ_URL names a
Redis database) and real SMTP to the test's own server.
"""

import os

from newsroom.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if os.environ.get("TEST_RQ_URL"):
    RQ_QUEUES = {"default": {"URL": os.environ["TEST_RQ_URL"], "DEFAULT_TIMEOUT": 60}}
    TASKS = {"default": {"BACKEND": "core.tasks.ResilientRQBackend"}}
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("TEST_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 60
