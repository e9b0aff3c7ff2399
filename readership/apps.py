from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    """Page views per story per hour, counted without cookies or personal data: "Most read"
    for readers, views in the Stories listing, the dashboard and the editor for editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "readership"
    verbose_name = "Readership"

    def ready(self) -> None:
        from . import signals  # noqa: F401
