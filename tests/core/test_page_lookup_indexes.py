"""What every reader page looks up has an index, so the lookup does not read every page."""

import pytest

from django.db import connection


def indexes_of(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def test_pages_are_indexed_by_address_and_the_pages_in_menus_by_path(db):
    indexes = indexes_of("wagtailcore_page")
    assert indexes["newsroom_page_url_path"]["columns"] == ["url_path"]
    assert indexes["newsroom_page_in_menus"]["columns"] == ["path"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches its FTS5 table")
def test_search_matches_come_from_a_full_text_index_on_postgresql(db):
    # Wagtail's backend matches title || body, which its per-column GIN indexes do not cover.
    assert indexes_of("wagtailsearch_indexentry")["newsroom_search_title_body"]["type"] == "gin"
