"""The publisher's logo and X/Twitter account describe the site, not discovery: they move to core."""

from django.db import migrations


def copy_to_site_identity(apps, schema_editor):
    DiscoverySettings = apps.get_model("news", "DiscoverySettings")
    SiteIdentity = apps.get_model("core", "SiteIdentity")
    for settings in DiscoverySettings.objects.all():
        SiteIdentity.objects.update_or_create(
            site_id=settings.site_id,
            defaults={"publisher_logo_id": settings.publisher_logo_id, "twitter_handle": settings.twitter_handle},
        )


def copy_back(apps, schema_editor):
    DiscoverySettings = apps.get_model("news", "DiscoverySettings")
    SiteIdentity = apps.get_model("core", "SiteIdentity")
    for identity in SiteIdentity.objects.all():
        DiscoverySettings.objects.update_or_create(
            site_id=identity.site_id,
            defaults={"publisher_logo_id": identity.publisher_logo_id, "twitter_handle": identity.twitter_handle},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_site_identity"),
        ("news", "0005_newsarticlepage_on_storypage"),
    ]

    operations = [
        migrations.RunPython(copy_to_site_identity, copy_back),
        migrations.AlterModelOptions(name="discoverysettings", options={"verbose_name": "discovery"}),
        migrations.RemoveField(model_name="discoverysettings", name="publisher_logo"),
        migrations.RemoveField(model_name="discoverysettings", name="twitter_handle"),
    ]
