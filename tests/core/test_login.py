"""The readers' sign-in page (Wagtail's, for login-restricted pages) lands somewhere real."""

import pytest


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="a-long-password")


@pytest.mark.parametrize("next_url", ["", "https://evil.example/", "//evil.example/"])
def test_sign_in_with_a_refused_next_lands_on_the_front_page(client, home_page, reader, next_url):
    response = client.post(
        "/_util/login/", {"username": "reader", "password": "a-long-password", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(response["Location"]).status_code == 200


def test_sign_in_with_a_same_site_next_goes_there(client, article, reader):
    response = client.post(
        "/_util/login/", {"username": "reader", "password": "a-long-password", "next": article.url}
    )
    assert response["Location"] == article.url


def test_wrong_password_shows_the_form_again(client, home_page, reader):
    response = client.post("/_util/login/", {"username": "reader", "password": "nope"})
    assert response.status_code == 200
