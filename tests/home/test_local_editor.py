import pytest

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_local_editor_is_created_and_can_open_the_admin(client, settings, db):
    settings.DEBUG = True
    call_command("ensure_local_editor")
    assert client.login(username="editor", password="editor")
    assert client.get("/admin/").status_code == 200


def test_local_editor_is_refused_outside_development(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("ensure_local_editor")
    assert not get_user_model().objects.filter(username="editor").exists()
