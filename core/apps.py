from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every part of the site shares: the base page, listings, metadata, site-wide tags.

    It imports no other app of the project; the others build on it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Site core"

    def ready(self) -> None:
        # Cache purges on publishing and on reader comments.
        from . import (
            fragments,
            lookups,
            privacy,  # noqa: F401  (connects its signal receivers)
            purging,
            renditions,
        )
        from .models import site_setting_models

        comment_models = purging.comment_models()
        purging.connect_comment_receivers(comment_models)
        lookups.register()
        # Story pictures made by a task when an image is uploaded or a page published.
        renditions.connect_image_receivers()
        # Cached page fragments: a changed image or document invalidates those showing it.
        fragments.connect_media_receivers()
        # And changed site settings (identity, discovery, comments) every page reads.
        fragments.connect_setting_receivers(site_setting_models())
        # And a changed reader comment those showing its object's comments.
        fragments.connect_comment_receivers(comment_models)
