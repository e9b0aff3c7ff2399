"""Signed-in readers: newsletters on the account page and the sign-up box's one click, no e-mail sent."""

import json

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.test import Client

from newsletters.models import Newsletter, Subscriber, Subscription
from tests.factories import ReaderFactory, SubscriberFactory, SubscriptionFactory
from tests.readers.conftest import sign_in_as

pytestmark = pytest.mark.django_db

ONE_CLICK = "/account/newsletters/subscribe/"
ACCOUNT_LISTS = "/account/newsletters/"


@pytest.fixture
def reader(db):
    return ReaderFactory(email="ada@example.org", first_name="Ada L.")


@pytest.fixture
def reader_client(client, reader):
    sign_in_as(client, reader)
    return client


@pytest.fixture
def csrf_client(reader):
    """A browser that sends what a real one must: the session cookie and the CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    sign_in_as(browser, reader)
    return browser


def csrf_token(browser) -> str:
    return browser.get("/account/me.json").json()["csrf_token"]


@pytest.fixture
def weekly(health):
    return Newsletter.objects.create(
        name="Health weekly", slug="health-weekly", kind="section", section=health
    )


def receiving(email="ada@example.org") -> set[str]:
    return set(
        Subscription.objects.receiving()
        .filter(subscriber__email=email)
        .values_list("newsletter__slug", flat=True)
    )


# The account page


def test_the_account_page_lists_the_newsletters_with_the_readers_ticked(reader_client, daily, breaking):
    SubscriptionFactory(subscriber=SubscriberFactory(email="ada@example.org"), newsletter=breaking)

    html = reader_client.get("/account/").text

    section = BeautifulSoup(html, "html.parser").find(id="account-newsletters")
    form = section.find("form")
    assert form["action"] == "/account/newsletters/" and form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    boxes = {box["value"]: box.has_attr("checked") for box in form.find_all("input", type="checkbox")}
    assert boxes == {"daily-briefing": False, "breaking-news": True}
    assert "Sent to ada@example.org" in section.text


def test_ticking_on_the_account_page_subscribes_at_once_confirmed(csrf_client, daily, breaking):
    mail.outbox.clear()

    response = csrf_client.post(
        ACCOUNT_LISTS,
        {"newsletters": ["daily-briefing", "breaking-news"], "csrfmiddlewaretoken": csrf_token(csrf_client)},
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/?newsletters=saved#account-newsletters"
    assert receiving() == {"daily-briefing", "breaking-news"}
    assert all(s.confirmed_at for s in Subscription.objects.all())
    assert mail.outbox == [], "no confirmation e-mail: the reader's address is verified"
    assert "Saved: your newsletters changed at once" in csrf_client.get(response["Location"]).text


def test_unticking_on_the_account_page_leaves_those_lists_and_keeps_the_others(
    csrf_client, daily, breaking, weekly
):
    subscriber = SubscriberFactory(email="ada@example.org")
    for newsletter in (daily, breaking, weekly):
        SubscriptionFactory(subscriber=subscriber, newsletter=newsletter)
    weekly.is_active = False  # no longer offered: the form cannot untick it
    weekly.save()

    response = csrf_client.post(
        ACCOUNT_LISTS, {"newsletters": ["breaking-news"], "csrfmiddlewaretoken": csrf_token(csrf_client)}
    )

    assert response.status_code == 302
    assert receiving() == {"breaking-news", "health-weekly"}
    left = Subscription.objects.get(newsletter=daily)
    assert left.unsubscribed_at is not None and left.confirmed_at is not None


def test_unticking_everything_without_any_subscription_stores_nothing(csrf_client, daily):
    response = csrf_client.post(ACCOUNT_LISTS, {"csrfmiddlewaretoken": csrf_token(csrf_client)})
    assert response.status_code == 302
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-list", "health-weekly"])
def test_a_list_that_does_not_exist_or_is_not_offered_is_refused_and_nothing_changes(
    csrf_client, daily, weekly, slug
):
    weekly.is_active = False
    weekly.save()

    response = csrf_client.post(
        ACCOUNT_LISTS,
        {"newsletters": ["daily-briefing", slug], "csrfmiddlewaretoken": csrf_token(csrf_client)},
    )

    assert response.status_code == 400
    assert f"There is no newsletter “{slug}” to subscribe to." in response.text
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


def test_the_account_page_form_needs_the_csrf_token(csrf_client, daily):
    response = csrf_client.post(ACCOUNT_LISTS, {"newsletters": ["daily-briefing"]})
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_account_page_form_needs_a_reader(client, daily):
    response = client.post(ACCOUNT_LISTS, {"newsletters": ["daily-briefing"]})
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
    assert not Subscription.objects.exists()


def test_a_reader_whose_mail_was_refused_is_told_and_saving_starts_again(csrf_client, reader_client, daily):
    subscriber = SubscriberFactory(email="ada@example.org", is_active=False, deactivated_reason="550")
    SubscriptionFactory(subscriber=subscriber, newsletter=daily)
    assert "was refused by its server" in csrf_client.get("/account/").text

    csrf_client.post(
        ACCOUNT_LISTS, {"newsletters": ["daily-briefing"], "csrfmiddlewaretoken": csrf_token(csrf_client)}
    )

    assert receiving() == {"daily-briefing"}


# The sign-up box's one click


def test_one_click_subscribes_a_signed_in_reader_confirmed(csrf_client, daily):
    mail.outbox.clear()

    response = csrf_client.post(
        ONE_CLICK,
        {"newsletters": "daily-briefing", "csrfmiddlewaretoken": csrf_token(csrf_client)},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "subscribed": ["daily-briefing"],
        "joined": ["Daily briefing"],
        "account_url": "/account/#account-newsletters",
    }
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "ada@example.org"
    assert subscription.confirmed_at is not None and subscription.unsubscribed_at is None
    assert mail.outbox == []


def test_one_click_without_javascript_goes_back_to_the_page(csrf_client, daily, article):
    response = csrf_client.post(
        ONE_CLICK,
        {
            "newsletters": "daily-briefing",
            "next": article.url,
            "csrfmiddlewaretoken": csrf_token(csrf_client),
        },
    )
    assert response.status_code == 302 and response["Location"] == article.url
    assert receiving() == {"daily-briefing"}


def test_one_click_finds_an_address_signed_up_before_with_capitals(csrf_client, daily, breaking):
    subscriber = SubscriberFactory(email="Ada@Example.org")
    SubscriptionFactory(subscriber=subscriber, newsletter=breaking, confirmed_at=None)

    csrf_client.post(
        ONE_CLICK,
        {"newsletters": ["breaking-news"], "csrfmiddlewaretoken": csrf_token(csrf_client)},
        HTTP_ACCEPT="application/json",
    )

    assert Subscriber.objects.get() == subscriber
    assert Subscription.objects.get().confirmed_at is not None


def test_one_click_rejoins_a_list_the_reader_left(csrf_client, daily):
    from django.utils import timezone

    SubscriptionFactory(
        subscriber=SubscriberFactory(email="ada@example.org"),
        newsletter=daily,
        unsubscribed_at=timezone.now(),
    )
    csrf_client.post(
        ONE_CLICK,
        {"newsletters": "daily-briefing", "csrfmiddlewaretoken": csrf_token(csrf_client)},
        HTTP_ACCEPT="application/json",
    )
    assert receiving() == {"daily-briefing"}


def test_one_click_is_refused_to_anonymous_readers_and_stores_nothing(daily):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/account/sign-in/")  # a form page sets the CSRF cookie: the token passes, no session does
    cookie = browser.cookies["csrftoken"].value

    as_json = browser.post(
        ONE_CLICK,
        {"newsletters": "daily-briefing", "csrfmiddlewaretoken": cookie},
        HTTP_ACCEPT="application/json",
    )
    as_form = browser.post(
        ONE_CLICK, {"newsletters": "daily-briefing", "next": "/health/", "csrfmiddlewaretoken": cookie}
    )

    assert as_json.status_code == 403
    assert as_json.json()["sign_in_url"] == "/account/sign-in/"
    assert as_form.status_code == 302 and as_form["Location"] == "/account/sign-in/?next=%2Fhealth%2F"
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


def test_one_click_is_refused_to_an_editors_session(client, admin_user, daily):
    client.force_login(admin_user)
    response = client.post(ONE_CLICK, {"newsletters": "daily-briefing"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "slugs", [["no-such-list"], ["daily-briefing", "no-such-list"], ["health-weekly"], []]
)
def test_one_click_with_a_bad_list_is_a_400_and_stores_nothing(csrf_client, daily, weekly, slugs):
    weekly.is_active = False
    weekly.save()

    response = csrf_client.post(
        ONE_CLICK,
        {"newsletters": slugs, "csrfmiddlewaretoken": csrf_token(csrf_client)},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


def test_one_click_with_a_bad_list_without_javascript_is_a_page_that_says_so(csrf_client, daily):
    response = csrf_client.post(
        ONE_CLICK, {"newsletters": "no-such-list", "csrfmiddlewaretoken": csrf_token(csrf_client)}
    )
    assert response.status_code == 400
    assert "There is no newsletter “no-such-list” to subscribe to." in response.text


def test_one_click_needs_the_csrf_token(csrf_client, daily):
    csrf_token(csrf_client)  # the cookie is there; the token is not sent
    response = csrf_client.post(ONE_CLICK, {"newsletters": "daily-briefing"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_one_click_takes_only_posts(reader_client, daily):
    assert reader_client.get(ONE_CLICK).status_code == 405


# /account/me.json and the cached page


def test_me_json_says_which_lists_the_reader_receives(reader_client, daily, breaking):
    subscriber = SubscriberFactory(email="ada@example.org")
    SubscriptionFactory(subscriber=subscriber, newsletter=daily)
    SubscriptionFactory(subscriber=subscriber, newsletter=breaking, confirmed_at=None)  # not confirmed yet

    me = reader_client.get("/account/me.json").json()

    assert me["newsletters"] == {
        "subscribed": ["daily-briefing"],
        "subscribe_url": ONE_CLICK,
        "account_url": "/account/#account-newsletters",
        "sign_in_url": "/account/sign-in/",
    }


def test_me_json_finds_an_address_signed_up_with_capitals_before_the_account(reader_client, daily):
    # Signed up anonymously as typed; the reader signs in with the address in lower case.
    SubscriptionFactory(subscriber=SubscriberFactory(email="Ada@Example.org"), newsletter=daily)

    me = reader_client.get("/account/me.json").json()

    assert me["newsletters"]["subscribed"] == ["daily-briefing"]
    assert reader_client.get("/account/").status_code == 200


def test_me_json_says_nothing_about_newsletters_to_anonymous_readers(client, daily):
    assert client.get("/account/me.json").json() == {"signed_in": False, "sign_in_url": "/account/sign-in/"}


def test_me_json_costs_one_more_query_for_the_lists(reader_client, daily, django_assert_max_num_queries):
    SubscriptionFactory(subscriber=SubscriberFactory(email="ada@example.org"), newsletter=daily)
    with django_assert_max_num_queries(6):
        reader_client.get("/account/me.json")


def test_the_sign_up_box_is_the_same_for_everyone_and_carries_the_one_click_script(client, article, daily):
    html = client.get(article.url).text
    assert "data-newsletter-signup" in html
    assert '<script src="/static/newsletters/signup.js" defer></script>' in html
    assert 'name="email"' in html and "csrfmiddlewaretoken" not in html


# Download and delete


def test_download_my_data_holds_the_readers_newsletters(reader_client, daily):
    SubscriptionFactory(subscriber=SubscriberFactory(email="ada@example.org"), newsletter=daily)
    data = json.loads(reader_client.get("/account/my-data.json").content)
    assert data["newsletters"]["address"] == "ada@example.org"
    [subscription] = data["newsletters"]["subscriptions"]
    assert subscription["newsletter"] == "Daily briefing" and subscription["confirmed"]


def test_deleting_the_account_erases_its_newsletter_subscriptions(reader_client, daily):
    SubscriptionFactory(subscriber=SubscriberFactory(email="ada@example.org"), newsletter=daily)
    SubscriptionFactory(subscriber=SubscriberFactory(email="someone.else@example.org"), newsletter=daily)

    response = reader_client.post("/account/delete/", {"comments": "remove", "confirm": "on"})

    assert response.status_code == 200
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone.else@example.org"]
    assert Subscription.objects.count() == 1
