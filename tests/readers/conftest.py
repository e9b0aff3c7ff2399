import re

import pytest

from django.conf import settings

from discussion.models import ReaderCommentSettings
from tests.factories import ReaderFactory


@pytest.fixture
def comment_settings(site) -> ReaderCommentSettings:
    """Comments posted within milliseconds of loading the form are not held for it."""
    site_settings = ReaderCommentSettings.for_site(site)
    site_settings.min_seconds_to_fill = 0
    site_settings.save()
    return site_settings


@pytest.fixture
def reader(db):
    return ReaderFactory(email="ada@example.org", first_name="Ada L.")


def sign_in_as(client, user) -> None:
    """A reader's browser after signing in: the session in the reader cookie, no `sessionid`."""
    client.force_login(user)
    client.cookies[settings.READER_SESSION_COOKIE_NAME] = client.cookies.pop(
        settings.SESSION_COOKIE_NAME
    ).value


@pytest.fixture
def reader_client(client, reader):
    sign_in_as(client, reader)
    return client


def link_and_code(message) -> tuple[str, str]:
    link = re.search(r"https?://\S+/account/sign-in/link/\S+/", message.body).group(0)
    code = re.search(r"code on the sign-in page: (\d{6})", message.body).group(1)
    return link, code
