import socket

import pytest

from newsletters.models import Newsletter
from tests.factories import IssueFactory, NewsArticlePageFactory


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def story(health):
    """The story the sending tests' issue carries."""
    return NewsArticlePageFactory(
        parent=health, title="Water prices rise", standfirst="Bills go up in spring."
    )


@pytest.fixture
def issue(daily, story):
    return IssueFactory(
        newsletter=daily, subject="Your Monday briefing", intro="Good morning.", stories=[story]
    )
