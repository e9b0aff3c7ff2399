from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Reader accounts without passwords: sign-in by e-mailed link or code, the account page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "readers"
    verbose_name = "Reader accounts"
