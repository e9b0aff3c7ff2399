"""/healthz tells Varnish and load balancers whether this app server can serve pages."""

from unittest import mock

from django.db import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("django.db.connection.ensure_connection", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "database unavailable\n"
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_a_query_fails(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_answers_head_requests(client, db):
    assert client.head("/healthz").status_code == 200


def test_healthz_refuses_a_post(client, db):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_section_called_health_is_still_a_page(client, health):
    response = client.get("/health/")
    assert response.status_code == 200
    assert "Health" in response.text
