from django.db import migrations


class Migration(migrations.Migration):
    """One index on (content_type_id, object_pk) for per-article comment counts.

    django_comments indexes the two columns separately, so counting one
    article's comments read every comment of the type. The table belongs to
    django_comments, hence raw SQL that both SQLite and PostgreSQL accept.
    """

    dependencies = [
        ("discussion", "0003_sync_django_site"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS django_comments_ct_object_idx "
            "ON django_comments (content_type_id, object_pk)",
            reverse_sql="DROP INDEX IF EXISTS django_comments_ct_object_idx",
        ),
    ]
