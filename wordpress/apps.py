from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """The WordPress (WXR) import and the record of what it imported."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "wordpress"
    verbose_name = "WordPress import"
