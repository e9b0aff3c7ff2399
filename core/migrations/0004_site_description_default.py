from django.db import migrations, models

DESCRIPTION = "The latest news, analysis and reader discussion."


def describe_undescribed_sites(apps, schema_editor):
    """Sites whose identity row was created empty (on a first page view) get the default too."""
    apps.get_model("core", "SiteIdentity").objects.filter(description="").update(description=DESCRIPTION)


class Migration(migrations.Migration):
    """A default site description, so a new site's front page has a meta description."""

    dependencies = [
        ("core", "0003_page_lookup_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="siteidentity",
            name="description",
            field=models.TextField(
                blank=True,
                default=DESCRIPTION,
                help_text="One or two sentences about the site: the front page's description for search "
                "engines and link previews, and the feeds' description.",
                max_length=300,
            ),
        ),
        migrations.RunPython(describe_undescribed_sites, migrations.RunPython.noop),
    ]
