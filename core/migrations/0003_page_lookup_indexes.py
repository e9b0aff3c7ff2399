"""Indexes for what every reader page looks up, so the lookups do not grow with the archive.

- `wagtailcore_page.url_path`: routing finds the page a URL names by its full
  address in one query (`core.models.UrlPathRoutingMixin`); without an index
  that query read every page. PostgreSQL gets a hash index: a B-tree entry is
  limited to about 2.7 kB and a deep address could exceed it.
- Pages shown in menus, by path (partial): the navigation lists the site root's
  children shown in menus. Wagtail's `child_of` filters on `path LIKE`, which
  SQLite's case-insensitive LIKE cannot answer from the path index, so it read
  every page; the handful of pages in menus are an index of their own.
- PostgreSQL only: a GIN index on `title || body` of the search index. Wagtail's
  database backend matches that concatenation, which the separate GIN indexes
  on each column cannot answer, so every search read every index entry. SQLite
  searches its FTS5 table, already an index.

The tables belong to Wagtail, hence raw SQL.
"""

from django.db import migrations

SQLITE = [
    ("newsroom_page_url_path", "CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page (url_path)"),
    (
        "newsroom_page_in_menus",
        "CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page (path) WHERE show_in_menus",
    ),
]
POSTGRESQL = [
    ("newsroom_page_url_path", "CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page USING hash (url_path)"),
    (
        "newsroom_page_in_menus",
        "CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page (path) WHERE show_in_menus",
    ),
    (
        "newsroom_search_title_body",
        "CREATE INDEX IF NOT EXISTS {name} ON wagtailsearch_indexentry USING gin ((title || body))",
    ),
]


def indexes_for(vendor: str) -> list[tuple[str, str]]:
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])


def create_indexes(apps, schema_editor):
    for name, sql in indexes_for(schema_editor.connection.vendor):
        schema_editor.execute(sql.format(name=name))


def drop_indexes(apps, schema_editor):
    for name, _ in indexes_for(schema_editor.connection.vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_site_identity_for_editors"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
