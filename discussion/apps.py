from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Reader comments on articles: threads, spam defence and moderation.

    Not to be confused with Wagtail's own comments, which are notes between
    editors inside the admin.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "discussion"
    verbose_name = "Reader comments"

    def ready(self) -> None:
        from . import signals  # noqa: F401
