"""Development settings as `make bench-alerts` runs them: the local push service is allowed."""

from newsroom.settings.dev import *  # noqa: F403

ALERTS_PUSH_SERVICE_HOSTS = ("127.0.0.1",)
ALERTS_PUSH_OVER_PLAIN_HTTP = True
