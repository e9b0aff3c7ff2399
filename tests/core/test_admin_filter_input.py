"""Admin listing filters with numbers past every integer column: no 500 (SQLite's driver cannot bind them)."""

import pytest

from django.contrib.auth import get_user_model

from tests.factories import NewsArticlePageFactory

HUGE = [str(2**63), str(2**64), "-" + str(2**64)]


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.mark.parametrize("owner", HUGE)
@pytest.mark.parametrize("listing", ["/admin/stories/", "EXPLORER"])
def test_owner_filter_past_any_id_is_no_server_error(superuser_client, health, listing, owner):
    NewsArticlePageFactory(parent=health, title="Quokka article")
    address = f"/admin/pages/{health.pk}/" if listing == "EXPLORER" else listing
    response = superuser_client.get(address, {"owner": owner})
    assert response.status_code == 200


def test_ids_past_the_column_match_nothing_alongside_real_ones(superuser_client):
    users = get_user_model().objects
    admin = users.get()
    assert list(users.filter(pk__in=[admin.pk, 2**64, -(2**64)])) == [admin]
    assert list(users.filter(pk__in=[2**64])) == []
