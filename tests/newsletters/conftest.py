import pytest

from newsletters.models import Newsletter


@pytest.fixture
def daily(db) -> Newsletter:
    """The daily briefing the migration creates."""
    return Newsletter.objects.get(slug="daily-briefing")


@pytest.fixture
def breaking(db) -> Newsletter:
    return Newsletter.objects.get(slug="breaking-news")


@pytest.fixture
def answering_mail_server(settings):
    settings.NEWSROOM_EMAIL_BACKEND = "tests.newsletters.mail_backends.AnsweringBackend"
