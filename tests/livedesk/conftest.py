import pytest

from django.contrib.auth.models import Group

from desk.roles import EDITORS, WRITERS
from tests.core.conftest import purged  # noqa: F401 (the frontend-cache capture, shared)
from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return member_of(django_user_model, EDITORS, "eddie")


@pytest.fixture
def writer(django_user_model):
    return member_of(django_user_model, WRITERS, "wendy")


@pytest.fixture
def live_blog(health):
    blog = LiveBlogPageFactory(parent=health, title="Storm live")
    LiveBlogEntryFactory(page=blog, headline="Winds pick up", body="<p>Gusts of 90 km/h.</p>")
    return blog


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client
