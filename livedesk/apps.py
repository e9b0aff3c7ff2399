from django.apps import AppConfig


class LiveDeskConfig(AppConfig):
    """The live desk: posting, editing, pinning and deleting live blog entries without the page form."""

    name = "livedesk"
    verbose_name = "Live desk"
