import pytest

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
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


def test_local_site_address_follows_the_development_port(settings, site):
    settings.DEBUG = True
    call_command("configure_local_site", "--port", "8123")
    site.refresh_from_db()
    assert site.root_url == "http://127.0.0.1:8123"
    assert DjangoSite.objects.get_current().domain == "127.0.0.1:8123"


def test_local_site_address_is_refused_outside_development(settings, site):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("configure_local_site", "--port", "8123")
    site.refresh_from_db()
    assert site.port == 80


def test_local_site_address_refuses_a_bad_port(settings, site):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a TCP port"):
        call_command("configure_local_site", "--port", "70000")
