from unittest import mock

import akismet
import pytest
from django_comments_xtd.conf import settings as xtd_settings

from discussion.models import ReaderCommentSettings


@pytest.fixture(autouse=True)
def comment_settings(site) -> ReaderCommentSettings:
    """The site's reader comment settings, with the minimum fill time off.

    Tests post the form within milliseconds of loading it; the test of that
    check turns it back on.
    """
    site_settings = ReaderCommentSettings.for_site(site)
    site_settings.min_seconds_to_fill = 0
    site_settings.save()
    return site_settings


@pytest.fixture
def akismet_client(settings, monkeypatch):
    """Akismet switched on, with a stand-in client: no test reaches the network."""
    settings.AKISMET_API_KEY = "test-key"
    client = mock.create_autospec(akismet.SyncClient, instance=True)
    client.comment_check.return_value = akismet.CheckResponse.HAM
    monkeypatch.setattr("discussion.spam.get_akismet_client", lambda: client)
    monkeypatch.setattr("discussion.moderation.get_akismet_client", lambda: client)
    return client


@pytest.fixture
def moderator(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("moderator", email="mod@example.org", password="pw")
    user.groups.add(Group.objects.get(name="Reader comment moderators"))
    return user


@pytest.fixture
def confirm_email():
    """Anonymous comments wait for the emailed link, as in production."""
    # django-comments-xtd reads its settings once; override_settings cannot reach them.
    before = xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL
    xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    yield
    xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL = before
