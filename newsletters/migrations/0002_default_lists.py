from django.db import migrations

from newsletters.defaults import ensure_default_lists


def create_lists(apps, schema_editor):
    ensure_default_lists(apps.get_model("newsletters", "Newsletter"), apps.get_model("news", "CategoryIndexPage"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("news", "0010_story_latest_note"),
    ]

    operations = [migrations.RunPython(create_lists, migrations.RunPython.noop)]
