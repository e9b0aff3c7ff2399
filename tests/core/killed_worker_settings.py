"""Settings of the worker process that tests/core/test_killed_worker.py starts and kills.

The test settings, with the database queue and real SMTP to the test's own server.
"""

import os

from newsroom.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("TEST_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 60
