"""Sending in batches fast: the issue rendered once, a recipient's own parts filled in, few queries.

What each recipient gets is still theirs (own signed links, own address,
escaped in the HTML), the MIME message made ahead is the one Django would make,
a batch goes over one SMTP connection (a real one: aiosmtpd) and costs the same
few queries whatever its size, and a batch cut short sends nothing twice.
"""

from __future__ import annotations

import re
import threading
from email import message_from_bytes
from email.message import Message
from html import unescape
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from newsletters import messages, sending
from newsletters.messages import IssueMail, PreparedMIME, issue_message, wrap_html
from newsletters.models import Delivery, DeliveryStatus, Issue, IssueMessage, IssueStatus, Subscriber
from newsletters.tasks import start_sending
from newsletters.tokens import read_preferences_token, read_unsubscribe_token
from tests.factories import SubscriptionFactory

from .conftest import free_port


def planned(issue: Issue, subscriptions) -> tuple[int, int]:
    """The issue's delivery rows made as planning makes them; the batch's first and last subscriber."""
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING, planned_at=timezone.now())
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=s.subscriber_id) for s in subscriptions]
    )
    ids = sorted(s.subscriber_id for s in subscriptions)
    return ids[0], ids[-1]


def html_of(message: EmailMultiAlternatives) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def links(html: str) -> dict[str, str]:
    return {
        kind: unescape(re.search(rf'href="([^"]*/newsletters/{kind}/[^"]*)"', html).group(1))
        for kind in ("unsubscribe", "preferences")
    }


def test_each_recipient_gets_their_own_valid_links_and_address(issue, daily, client):
    first = SubscriptionFactory(newsletter=daily, subscriber__email="ada@example.org")
    second = SubscriptionFactory(newsletter=daily, subscriber__email="bob@example.org")
    start_sending(issue)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ada@example.org", "bob@example.org"}
    seen = set()
    for subscription in (first, second):
        message = by_address[subscription.subscriber.email]
        html = html_of(message)
        found = links(html)
        header = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
        assert found["unsubscribe"] == header
        # The same links in the plain-text part, and the recipient's address in both.
        assert found["unsubscribe"] in message.body and found["preferences"] in message.body
        assert f"sent to {subscription.subscriber.email}" in message.body
        assert f"sent to {subscription.subscriber.email}" in html
        assert messages.ADDRESS_PLACEHOLDER not in html + message.body
        assert "unsubscribe.invalid" not in html + message.body
        # Signed for this recipient (and list), and the pages open.
        unsubscribe_token = urlparse(found["unsubscribe"]).path.rstrip("/").rsplit("/", 1)[1]
        preferences_token = urlparse(found["preferences"]).path.rstrip("/").rsplit("/", 1)[1]
        assert read_unsubscribe_token(unsubscribe_token) == (subscription.subscriber_id, daily.pk)
        assert read_preferences_token(preferences_token) == subscription.subscriber_id
        assert client.get(urlparse(found["unsubscribe"]).path).status_code == 200
        assert client.get(urlparse(found["preferences"]).path).status_code == 200
        seen.add((found["unsubscribe"], found["preferences"]))
    assert len(seen) == 2


@pytest.mark.parametrize(
    "address, raw",
    [("o'brien&co@example.org", "o'brien&co"), ('"<b>bold</b>"@example.org', "<b>bold</b>")],
)
def test_an_address_with_html_special_characters_is_escaped_in_the_html_part(issue, daily, address, raw):
    SubscriptionFactory(newsletter=daily, subscriber__email=address)
    start_sending(issue)
    (message,) = mail.outbox
    assert message.to == [address]
    html = html_of(message)
    assert f"sent to {escape(address)}." in html
    assert raw not in html
    assert f"sent to {address}." in message.body  # The plain-text part as it is.
    # So it is on the wire, and the To header carries the address itself.
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["To"] == address
    html_part = next(part for part in parsed.walk() if part.get_content_type() == "text/html")
    assert raw not in html_part.get_payload(decode=True).decode()


def test_the_message_made_ahead_is_the_one_django_would_make(issue, daily):
    Issue.objects.filter(pk=issue.pk).update(subject="Café, crème — the week")
    SubscriptionFactory(newsletter=daily, subscriber__email="ada@example.org")
    start_sending(Issue.objects.get(pk=issue.pk))
    (message,) = mail.outbox
    made_ahead = message.message()
    assert isinstance(made_ahead, PreparedMIME)
    fast = message_from_bytes(made_ahead.as_bytes(linesep="\r\n"))
    slow = message_from_bytes(EmailMultiAlternatives.message(message).as_bytes(linesep="\r\n"))

    def unfolded(value) -> str:
        return re.sub(r"\r?\n[ \t]", " ", str(value)).strip()

    assert fast.keys() == slow.keys()
    for name in fast.keys():
        if name not in ("Content-Type", "Date", "Message-ID"):
            assert unfolded(fast[name]) == unfolded(slow[name]), name
    assert fast["Subject"] == slow["Subject"]  # Encoded as Django encodes it.
    fast_parts = [(p.get_content_type(), p.get_payload(decode=True)) for p in fast.walk()][1:]
    slow_parts = [(p.get_content_type(), p.get_payload(decode=True)) for p in slow.walk()][1:]
    assert [kind for kind, _ in fast_parts] == ["text/plain", "text/html"]
    assert fast_parts == slow_parts
    assert all(len(line) <= 998 for line in made_ahead.as_bytes(linesep="\r\n").split(b"\r\n"))
    # Asked for anything but its bytes, it is an ordinary message.
    assert made_ahead["To"] == "ada@example.org"
    assert [part.get_content_type() for part in made_ahead.walk()][1:] == ["text/plain", "text/html"]


def test_an_address_that_needs_encoding_or_a_changed_message_goes_django_s_way(issue, daily):
    rendered = issue_message(issue.pk)
    made = IssueMail(rendered)
    accented = made.message(1, "léa@exämple.org").message()
    assert not isinstance(accented, PreparedMIME)
    assert accented["To"].endswith("@xn--exmple-cua.org")

    rendered.base_url = "http://bücher.example"
    assert not isinstance(IssueMail(rendered).message(1, "ada@example.org").message(), PreparedMIME)

    changed = made.message(2, "ada@example.org")
    changed.cc = ["editor@example.org"]
    assert not isinstance(changed.message(), PreparedMIME)
    assert changed.message()["Cc"] == "editor@example.org"


def test_the_issue_is_rendered_once_for_all_its_batches_and_kept_as_sent(
    issue, daily, story, settings, monkeypatch
):
    settings.NEWSLETTERS_BATCH_SIZE = 2
    for _ in range(5):
        SubscriptionFactory(newsletter=daily)
    renders = []
    original = messages.render_issue
    monkeypatch.setattr(messages, "render_issue", lambda *a, **kw: renders.append(1) or original(*a, **kw))
    start_sending(issue)
    assert len(renders) == 1
    assert len(mail.outbox) == 5
    assert len({html_of(message).count("Water prices rise") for message in mail.outbox}) == 1
    assert IssueMessage.objects.get(issue=issue).subject == "Your Monday briefing"


def test_a_batch_goes_over_one_smtp_connection(issue, daily, settings, smtp_server):
    server, port = smtp_server
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.NEWSLETTERS_BATCH_SIZE = 3
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(7)]
    start_sending(issue)

    assert sorted(rcpt for envelope in server.envelopes for rcpt in envelope.rcpt_tos) == sorted(
        s.subscriber.email for s in subscriptions
    )
    assert server.connections == 3  # Batches of 3, 3 and 1.
    for envelope in server.envelopes:
        parsed = message_from_bytes(envelope.original_content)
        assert parsed["To"] == envelope.rcpt_tos[0]
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = next(p for p in parsed.walk() if p.get_content_type() == "text/html").get_payload(decode=True)
        assert b"Water prices rise" in html
        assert f"sent to {envelope.rcpt_tos[0]}".encode() in html
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_real_server_s_permanent_refusal_makes_the_address_inactive(issue, daily, settings, smtp_server):
    server, port = smtp_server
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    SubscriptionFactory(newsletter=daily, subscriber__email="gone@example.org")
    SubscriptionFactory(newsletter=daily, subscriber__email="fine@example.org")
    start_sending(issue)
    assert [envelope.rcpt_tos for envelope in server.envelopes] == [["fine@example.org"]]
    gone = Subscriber.objects.get(email="gone@example.org")
    assert not gone.is_active and "550" in gone.deactivated_reason
    assert Delivery.objects.get(subscriber=gone).status == DeliveryStatus.REFUSED
    assert server.connections == 1


@pytest.mark.parametrize("size", [3, 30])
def test_a_batch_costs_the_same_few_queries_whatever_its_size(
    issue, daily, size, django_assert_max_num_queries
):
    first, last = planned(issue, [SubscriptionFactory(newsletter=daily) for _ in range(size)])
    issue_message(issue.pk)  # Rendered when the issue was planned.
    with django_assert_max_num_queries(8):
        counts = sending.send(issue.pk, first, last)
    assert counts == {"sent": size, "refused": 0, "waiting": 0}
    assert len(mail.outbox) == size


def test_refusals_are_recorded_in_bulk_too(issue, daily, answering_mail_server):
    def batch(count: int) -> tuple[int, int]:
        addresses = [f"{kind}{n}@example.org" for n in range(count) for kind in ("gone", "busy", "fine")]
        return planned(issue, [SubscriptionFactory(newsletter=daily, subscriber__email=a) for a in addresses])

    first, last = batch(2)
    issue_message(issue.pk)
    with CaptureQueriesContext(connection) as small:
        with pytest.raises(sending.TemporaryRefusal):
            sending.send(issue.pk, first, last)
    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    first, last = batch(10)
    with CaptureQueriesContext(connection) as large:
        with pytest.raises(sending.TemporaryRefusal):
            sending.send(issue.pk, first, last)
    assert len(large.captured_queries) == len(small.captured_queries) <= 16
    assert Delivery.objects.filter(status=DeliveryStatus.REFUSED).count() == 10
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING, attempts=1).count() == 10
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 10
    assert Subscriber.objects.filter(is_active=False).count() == 10
    refused = Delivery.objects.filter(status=DeliveryStatus.REFUSED).select_related("subscriber")
    assert all(d.subscriber.email in d.last_error for d in refused)  # Each row its own error.


def test_a_worker_stopped_mid_batch_sends_nothing_twice(issue, daily, settings):
    """The message being handed over stays claimed (it may have gone); the ones after it go back."""
    settings.NEWSROOM_EMAIL_BACKEND = "tests.newsletters.mail_backends.StoppedOnThirdBackend"
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(5)]
    first, last = planned(issue, subscriptions)
    with pytest.raises(KeyboardInterrupt):
        sending.send(issue.pk, first, last)
    assert len(mail.outbox) == 2
    statuses = list(Delivery.objects.order_by("subscriber_id").values_list("status", "attempts"))
    assert statuses == [
        (DeliveryStatus.SENT, 1),
        (DeliveryStatus.SENT, 1),
        (DeliveryStatus.CLAIMED, 1),
        (DeliveryStatus.PENDING, 0),
        (DeliveryStatus.PENDING, 0),
    ]

    # The batch's retry sends the last two, never the one in flight.
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sending.send(issue.pk, first, last)
    sent_to = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(s.subscriber.email for n, s in enumerate(subscriptions) if n != 2)
    assert sent_to == expected


def test_a_worker_killed_after_claiming_leaves_its_batch_unsent_and_never_sends_it_twice(issue, daily):
    """Killed outright (no chance to record anything): what it claimed is never sent again, only given up."""
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(3)]
    first, last = planned(issue, subscriptions)
    assert len(sending.claim(issue.pk, first, last)) == 3  # Then the worker died.
    assert sending.claim(issue.pk, first, last) == []
    sending.send(issue.pk, first, last)
    assert mail.outbox == []
    assert sending.abandon_stale_claims(timezone.now() + sending.CLAIM_ABANDONED_AFTER * 2) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT


def test_a_message_that_cannot_be_made_does_not_stop_the_batch(issue, daily, settings):
    settings.NEWSROOM_EMAIL_BACKEND = "tests.newsletters.mail_backends.AnsweringBackend"
    bad = SubscriptionFactory(newsletter=daily, subscriber__email="bad\nheader@example.org")
    good = SubscriptionFactory(newsletter=daily, subscriber__email="fine@example.org")
    first, last = planned(issue, [bad, good])
    with pytest.raises(sending.TemporaryRefusal):
        sending.send(issue.pk, first, last)
    assert [message.to for message in mail.outbox] == [["fine@example.org"]]
    waiting = Delivery.objects.get(subscriber_id=bad.subscriber_id)
    assert waiting.status == DeliveryStatus.PENDING and waiting.last_error


def test_long_html_lines_are_broken_between_attributes_only():
    tag = '<td style="font-size:13px; color:#555555" class="a b">'
    html = "<!doctype html><html><body>" + tag * 40 + "<p>" + "word " * 300 + "</p></body></html>"
    wrapped = wrap_html(html, 200)
    assert wrapped.replace("\n", " ") == html
    assert all(len(line) <= 200 for line in wrapped.split("\n")[:-1])
    assert "word " * 300 in wrapped  # Text keeps its spaces.
    for line in wrapped.split("\n"):  # Quoted attribute values are never cut.
        assert line.count('"') % 2 == 0


class Server:
    """An SMTP server that keeps what it gets and counts connections; refuses addresses starting "gone"."""

    def __init__(self) -> None:
        self.envelopes = []
        self.peers = set()
        self.lock = threading.Lock()

    @property
    def connections(self) -> int:
        return len(self.peers)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.peers.add(session.peer)
            self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    server = Server()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield server, controller.port
    controller.stop()


def test_prepared_mime_serializes_as_made():
    data = b"Subject: x\r\nTo: a@example.org\r\n\r\nHello\r\n"
    prepared = PreparedMIME(data)
    assert prepared.as_bytes(linesep="\r\n") == data
    assert bytes(prepared) == data.replace(b"\r\n", b"\n")
    assert isinstance(prepared, Message)
    assert prepared["To"] == "a@example.org"
    prepared["To"] = "b@example.org"  # Changed: serialized anew.
    assert b"To: b@example.org" in prepared.as_bytes()
