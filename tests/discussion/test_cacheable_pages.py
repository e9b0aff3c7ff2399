"""Article pages stay cacheable for anonymous readers; signed-in readers keep CSRF protection."""

import pytest

from django.contrib.auth import get_user_model
from django.test import Client

from discussion.models import ReaderComment, ReaderFlag
from tests.discussion.forms import FormParser, read_comment_form
from tests.factories import ReaderCommentFactory


@pytest.fixture
def strict_client() -> Client:
    """A client that, like a browser, gets no pass on CSRF checks."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", "reader@example.org", "pw", first_name="Rea")


def test_anonymous_article_page_sets_no_cookie_and_holds_no_token(strict_client, article):
    ReaderCommentFactory(article=article)
    response = strict_client.get(article.url)
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text
    assert "Leave a Comment" in response.text


def test_anonymous_reader_posts_a_comment_without_a_csrf_cookie(strict_client, article):
    action, fields = read_comment_form(strict_client.get(article.url).text)
    fields.update({"name": "Ada", "email": "ada@example.org", "comment": "Posted from a cached page."})
    response = strict_client.post(action, fields)
    assert response.status_code == 302
    assert ReaderComment.objects.get().comment == "Posted from a cached page."


def test_signed_in_reader_gets_a_token_and_a_post_without_it_is_refused(strict_client, article, reader):
    strict_client.force_login(reader)
    response = strict_client.get(article.url)
    action, fields = read_comment_form(response.text)
    assert fields["csrfmiddlewaretoken"]
    fields["comment"] = "In my own name."

    forged = {name: value for name, value in fields.items() if name != "csrfmiddlewaretoken"}
    assert strict_client.post(action, forged).status_code == 403
    assert not ReaderComment.objects.exists()

    assert strict_client.post(action, fields).status_code == 302
    assert ReaderComment.objects.get().user_id == reader.pk


def test_report_confirmation_page_carries_the_token_and_a_post_without_it_is_refused(strict_client, article):
    comment = ReaderCommentFactory(article=article)
    assert strict_client.post(f"/comments/flag/{comment.pk}/").status_code == 403
    assert not ReaderFlag.objects.exists()

    confirm = strict_client.get(f"/comments/flag/{comment.pk}/")
    assert confirm["Cache-Control"].startswith("max-age=0")
    parser = FormParser(form_class="comment__flag-confirm")
    parser.feed(confirm.text)
    assert strict_client.post(parser.action, parser.fields).status_code == 200
    assert ReaderFlag.objects.filter(comment=comment).count() == 1
