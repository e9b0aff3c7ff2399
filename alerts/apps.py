from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Breaking-news alerts by Web Push: readers' subscriptions by topic, and alerts editors send."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = "Alerts"
