"""The comment form a reader first sees is plain HTML; it must stay the form Django would render."""

from html.parser import HTMLParser

from django_comments_xtd import get_form
from django_comments_xtd.models import XtdComment

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse

from discussion.forms import blank_form_fields
from tests.discussion.forms import post_comment, read_comment_form


class Elements(HTMLParser):
    """Every form element with its attributes, in document order, and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"form", "input", "textarea", "label", "small", "button", "p"}:
            self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(" ".join(data.split()))


def elements_of(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def test_the_blank_form_has_the_fields_and_attributes_of_the_rendered_form(rf, article, akismet_client):
    request = rf.get(article.url)
    request.user = AnonymousUser()
    next_url = reverse("reader-comments-posted")
    form = get_form()(article)
    context = {"form": form, "request": request, "next_url": next_url}
    rendered = render_to_string("discussion/form.html", context)
    security = {key: form.initial[key] for key in ("timestamp", "security_hash")}
    blank = render_to_string(
        "discussion/blank_form.html",
        {"blank_form": blank_form_fields(article) | security | {"akismet": True}, "next_url": next_url},
    )
    expected, actual = elements_of(rendered), elements_of(blank)
    assert actual.elements == expected.elements
    assert actual.text == expected.text
    assert "Akismet" in " ".join(actual.text)


def test_a_comment_sent_from_the_blank_form_is_stored(client, article):
    action, fields = read_comment_form(client.get(article.url).text)
    assert set(fields) >= {"content_type", "object_pk", "timestamp", "security_hash", "honeypot", "reply_to"}
    assert post_comment(client, article.url, comment="Sent from the plain form.").status_code == 302
    assert XtdComment.objects.filter(comment="Sent from the plain form.").exists()


def test_a_tampered_timestamp_in_the_blank_form_is_refused(client, article):
    action, fields = read_comment_form(client.get(article.url).text)
    fields.update(name="Ada Reader", email="ada@example.org", comment="Tampered.", timestamp="1000")
    response = client.post(action, fields)
    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_each_view_of_the_page_has_fresh_security_data(client, article, monkeypatch):
    first = read_comment_form(client.get(article.url).text)[1]
    monkeypatch.setattr("time.time", lambda: int(first["timestamp"]) + 30)
    second = read_comment_form(client.get(article.url).text)[1]
    assert second["timestamp"] == str(int(first["timestamp"]) + 30)
    assert second["security_hash"] != first["security_hash"]
