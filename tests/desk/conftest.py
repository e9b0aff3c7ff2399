import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from desk.roles import EDITORS, WRITERS


def member_of(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def writer(db):
    return member_of(WRITERS, "wendy")


@pytest.fixture
def editor(db):
    return member_of(EDITORS, "eddie")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
