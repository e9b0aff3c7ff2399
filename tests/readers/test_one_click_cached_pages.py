"""The newsletter box's one click is the page's script's doing: the cached HTML is the same for everyone."""

import types

import pytest

from tests.factories import SubscriberFactory, SubscriptionFactory
from tests.readers.conftest import sign_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_clock_stopped(monkeypatch):
    """The comment form carries the second it was rendered (and a hash of it): one second for all."""
    import django_comments.forms

    monkeypatch.setattr(django_comments.forms, "time", types.SimpleNamespace(time=lambda: 1_700_000_000.0))


@pytest.mark.parametrize("which", ["article", "front"])
def test_the_page_is_byte_identical_for_anonymous_and_signed_in_subscribed_readers(
    client, reader, article, which, form_clock_stopped
):
    from newsletters.models import Newsletter

    url = {"article": article.url, "front": "/"}[which]
    anonymous = client.get(url)
    SubscriptionFactory(
        subscriber=SubscriberFactory(email=reader.email),
        newsletter=Newsletter.objects.get(slug="daily-briefing"),
    )
    sign_in_as(client, reader)
    me = client.get("/account/me.json").json()  # as the page's script does; it sets the CSRF cookie too
    assert me["signed_in"] and me["newsletters"]["subscribed"] == ["daily-briefing"]

    signed_in = client.get(url)

    assert signed_in.status_code == anonymous.status_code == 200
    assert signed_in.content == anonymous.content
    assert signed_in["Cache-Control"] == anonymous["Cache-Control"] and anonymous["Cache-Control"].startswith(
        "public"
    )
    assert not signed_in.cookies
    assert b"data-newsletter-signup" in signed_in.content and b'name="email"' in signed_in.content
