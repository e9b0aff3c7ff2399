"""Per-article comment counts use one index on both columns, on SQLite and PostgreSQL."""

from django.db import connection


def test_comments_are_indexed_by_content_type_and_object_together(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "django_comments")
    index = constraints["django_comments_ct_object_idx"]
    assert index["index"]
    assert index["columns"] == ["content_type_id", "object_pk"]
