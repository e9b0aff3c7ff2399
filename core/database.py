"""Database upkeep that both databases share."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """Run ANALYZE after a bulk load.

    Without statistics, SQLite's planner guesses, and on a freshly filled
    archive it picked a scan of every story for the related panel (hundreds of
    milliseconds at 10,000 stories). PostgreSQL's autovacuum gets there
    eventually; this gets there now.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
