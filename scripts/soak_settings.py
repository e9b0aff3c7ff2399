"""Production settings as `make soak` runs them: comments stored at once, mail kept in memory.

Production asks anonymous readers to confirm a comment by email before it is
stored; the soak counts stored comments, so it skips that step and sends no mail.
"""

from newsroom.settings.production import *  # noqa: F403

COMMENTS_XTD_CONFIRM_EMAIL = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
