"""An index in the listings' order (newest first, undated last) on PostgreSQL.

PostgreSQL sorts NULLs first in a descending index; the listings put undated
stories last, so without this index every page of a listing sorted all the
stories of its section. SQLite orders NULLs last when descending anyway, and
uses the display_date index; it refuses NULLS LAST in an index definition.
"""

from django.db import migrations

INDEX = "news_storypage_listing_order"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_storypage "
            "(display_date DESC NULLS LAST, page_ptr_id DESC)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0007_live_blog")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
