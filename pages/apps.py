from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Plain content pages (About, Contact, policies) that live outside the news sections."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = "Content pages"
