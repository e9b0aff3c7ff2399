"""Sending an issue: the message, the headers, once per recipient, and what mail servers answer."""

import re
from email import message_from_bytes
from urllib.parse import urlparse

import pytest

from django.core import mail

from newsletters import sending, tasks
from newsletters.models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, Subscription
from newsletters.tasks import send_batch, start_sending
from tests.factories import IssueFactory, NewsArticlePageFactory, SubscriptionFactory


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_issue_goes_to_confirmed_subscribers_only(issue, daily):
    for email in ("a@example.org", "b@example.org"):
        SubscriptionFactory(newsletter=daily, subscriber__email=email)
    SubscriptionFactory(newsletter=daily, subscriber__email="waiting@example.org", confirmed_at=None)
    left = SubscriptionFactory(newsletter=daily, subscriber__email="left@example.org")
    left.unsubscribed_at = left.confirmed_at
    left.save()
    SubscriptionFactory(
        newsletter=daily, subscriber__email="inactive@example.org", subscriber__is_active=False
    )
    SubscriptionFactory(subscriber__email="other-list@example.org")

    assert start_sending(issue)

    assert recipients() == ["a@example.org", "b@example.org"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert issue.recipients == 2
    assert issue.sent_at is not None


def test_the_message_is_built_for_mail_clients_with_one_click_unsubscribe(issue, daily, story):
    SubscriptionFactory(newsletter=daily, subscriber__email="a@example.org")
    start_sending(issue)
    (message,) = mail.outbox
    assert message.subject == "Your Monday briefing"
    unsubscribe = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert urlparse(unsubscribe).scheme in ("http", "https")
    assert urlparse(unsubscribe).path.startswith("/newsletters/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The plain-text part, then the HTML one.
    assert "Water prices rise" in message.body
    assert unsubscribe in message.body
    assert "/newsletters/preferences/" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "600px" in html
    assert "<table" in html
    assert 'style="' in html
    assert "Water prices rise" in html
    assert "Good morning." in html
    assert f"http://localhost{story.url}" in html
    assert unsubscribe in html
    assert "unsubscribe.invalid" not in html


def test_story_cards_carry_absolute_picture_addresses(daily, health):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Dam", file=get_test_image_file())
    story = NewsArticlePageFactory(
        parent=health, title="The dam", lead_image=image, lead_image_alt_text="A dam"
    )
    SubscriptionFactory(newsletter=daily, subscriber__email="a@example.org")
    start_sending(IssueFactory(newsletter=daily, stories=[story]))
    ((html, _),) = mail.outbox[0].alternatives
    assert re.search(r'<img [^>]*alt="A dam"[^>]*src="http://localhost/[^"]+"', html) or re.search(
        r'<img [^>]*src="http://localhost/[^"]+"[^>]*alt="A dam"', html
    )


def test_a_story_made_private_or_unpublished_since_is_left_out(daily, health, story):
    gone = NewsArticlePageFactory(parent=health, title="Withdrawn story")
    issue = IssueFactory(newsletter=daily, stories=[story, gone])
    gone.unpublish()
    SubscriptionFactory(newsletter=daily, subscriber__email="a@example.org")
    start_sending(issue)
    assert "Water prices rise" in mail.outbox[0].body
    assert "Withdrawn story" not in mail.outbox[0].body


def test_an_issue_starts_once(issue, daily):
    SubscriptionFactory(newsletter=daily, subscriber__email="a@example.org")
    assert start_sending(issue)
    assert not start_sending(Issue.objects.get(pk=issue.pk))
    assert recipients() == ["a@example.org"]


def test_a_batch_run_twice_sends_each_message_once(issue, daily):
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(3)]
    first, last = subscriptions[0].subscriber_id, subscriptions[-1].subscriber_id
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING)
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=s.subscriber_id) for s in subscriptions]
    )

    send_batch.enqueue(issue.pk, first, last)
    send_batch.enqueue(issue.pk, first, last)

    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_delivery_claimed_by_a_worker_that_died_is_not_sent_again(issue, daily):
    subscriptions = [SubscriptionFactory(newsletter=daily) for _ in range(2)]
    Delivery.objects.create(
        issue=issue, subscriber_id=subscriptions[0].subscriber_id, status=DeliveryStatus.CLAIMED
    )
    Delivery.objects.create(issue=issue, subscriber_id=subscriptions[1].subscriber_id)
    sending.send(issue.pk, subscriptions[0].subscriber_id, subscriptions[1].subscriber_id)
    assert recipients() == [subscriptions[1].subscriber.email]


def test_planning_again_adds_no_second_delivery(issue, daily, settings):
    settings.NEWSLETTERS_BATCH_SIZE = 2
    for _ in range(5):
        SubscriptionFactory(newsletter=daily)
    start_sending(issue)
    tasks.plan_issue.enqueue(issue.pk)
    assert len(mail.outbox) == 5
    assert Delivery.objects.filter(issue=issue).count() == 5


def test_the_list_is_read_in_chunks_of_the_batch_size(issue, daily, settings, monkeypatch):
    settings.NEWSLETTERS_BATCH_SIZE = 2
    for _ in range(5):
        SubscriptionFactory(newsletter=daily)
    batches = []
    original = tasks.enqueue_or_run

    def record(the_task, *args, **kwargs):
        if the_task is send_batch:
            batches.append(args)
        return original(the_task, *args, **kwargs)

    monkeypatch.setattr(tasks, "enqueue_or_run", record)
    start_sending(issue)
    ids = list(Subscription.objects.order_by("subscriber_id").values_list("subscriber_id", flat=True))
    assert batches == [(issue.pk, ids[0], ids[1]), (issue.pk, ids[2], ids[3]), (issue.pk, ids[4], ids[4])]
    assert len(mail.outbox) == 5


def test_a_permanent_refusal_makes_the_address_inactive(issue, daily, answering_mail_server):
    SubscriptionFactory(newsletter=daily, subscriber__email="gone@example.org")
    SubscriptionFactory(newsletter=daily, subscriber__email="fine@example.org")
    start_sending(issue)
    assert recipients() == ["fine@example.org"]
    gone = Subscriber.objects.get(email="gone@example.org")
    assert not gone.is_active
    assert "550" in gone.deactivated_reason
    assert Delivery.objects.get(subscriber=gone).status == DeliveryStatus.REFUSED
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT
    # The next issue does not try it again.
    start_sending(IssueFactory(newsletter=daily))
    assert recipients() == ["fine@example.org", "fine@example.org"]


def test_a_temporary_refusal_waits_for_a_retry_and_is_then_sent(
    issue, daily, answering_mail_server, settings
):
    busy = SubscriptionFactory(newsletter=daily, subscriber__email="busy@example.org")
    SubscriptionFactory(newsletter=daily, subscriber__email="fine@example.org")
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING)
    for subscription in Subscription.objects.all():
        Delivery.objects.create(issue=issue, subscriber_id=subscription.subscriber_id)
    ids = sorted(Subscription.objects.values_list("subscriber_id", flat=True))

    with pytest.raises(sending.TemporaryRefusal):
        sending.send(issue.pk, ids[0], ids[-1])
    waiting = Delivery.objects.get(subscriber_id=busy.subscriber_id)
    assert waiting.status == DeliveryStatus.PENDING
    assert "451" in waiting.last_error
    assert Subscriber.objects.get(pk=busy.subscriber_id).is_active
    assert recipients() == ["fine@example.org"]

    # The server takes it on the retry: sent, and only that one.
    settings.NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sending.send(issue.pk, ids[0], ids[-1])
    assert recipients() == ["busy@example.org", "fine@example.org"]


def test_a_temporary_refusal_gives_up_after_the_last_attempt(issue, daily, answering_mail_server):
    busy = SubscriptionFactory(newsletter=daily, subscriber__email="busy@example.org")
    delivery = Delivery.objects.create(issue=issue, subscriber_id=busy.subscriber_id)
    for _ in range(sending.MAX_ATTEMPTS):
        try:
            sending.send(issue.pk, busy.subscriber_id, busy.subscriber_id)
        except sending.TemporaryRefusal:
            pass
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == sending.MAX_ATTEMPTS


def test_a_server_that_hangs_up_leaves_the_batch_for_the_retry(issue, daily, settings):
    settings.NEWSROOM_EMAIL_BACKEND = "tests.newsletters.mail_backends.DroppingBackend"
    subscription = SubscriptionFactory(newsletter=daily)
    Delivery.objects.create(issue=issue, subscriber_id=subscription.subscriber_id)
    with pytest.raises(sending.TemporaryRefusal):
        sending.send(issue.pk, subscription.subscriber_id, subscription.subscriber_id)
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_editors_test_message_goes_to_them_only(issue, daily):
    SubscriptionFactory(newsletter=daily)
    sending.send_test(issue, "editor@example.org")
    assert recipients() == ["editor@example.org"]
    assert mail.outbox[0].subject == "[Test] Your Monday briefing"
    assert not Delivery.objects.exists()
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SCHEDULED
