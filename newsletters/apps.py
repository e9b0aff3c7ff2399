from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """E-mail newsletters: lists readers sign up to, issues editors send, and the archive."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (forgets the cached sign-up lists on change)
