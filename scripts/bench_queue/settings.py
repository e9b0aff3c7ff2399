"""Settings of `make bench-queue`: development's, with the queue the benchmark names."""

import os

from newsroom.settings.dev import *  # noqa: F403

DEBUG = False
if os.environ.get("BENCH_QUEUE") == "rq":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
    RQ_QUEUES = {"default": {"URL": os.environ["BENCH_QUEUE_REDIS_URL"], "DEFAULT_TIMEOUT": 60}}
    TASKS = {"default": {"BACKEND": "core.tasks.ResilientRQBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
