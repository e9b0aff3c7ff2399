from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The editorial desk: roles, the review workflow and the editors' admin views."""

    name = "desk"
    verbose_name = "Editorial desk"
