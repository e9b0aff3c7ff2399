import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_says_what_is_stored(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "<h1" in response.text and "Privacy notice" in response.text
    for stored in ("e-mail address", "display name", "IP address", "reader_session", "delete your account"):
        assert stored in response.text, stored


def test_the_privacy_notice_is_an_ordinary_content_page(home_page):
    from pages.models import ContentPage

    notice = ContentPage.objects.get(slug="privacy")
    assert notice.get_parent().specific == home_page
    assert notice.live and not notice.show_in_menus
    home_page.refresh_from_db()
    assert home_page.get_children().filter(slug="privacy").count() == 1
