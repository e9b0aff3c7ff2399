from django.conf import settings
from django.db import migrations


def sync_django_site(apps, schema_editor):
    """Give django.contrib.sites' Site the default Wagtail site's host name.

    django-comments-xtd builds redirects and email links from it; a signal
    keeps it in step when the Wagtail site changes later.
    """
    WagtailSite = apps.get_model("wagtailcore", "Site")
    DjangoSite = apps.get_model("sites", "Site")
    wagtail_site = WagtailSite.objects.filter(is_default_site=True).first()
    if wagtail_site is None:
        return
    domain = wagtail_site.hostname
    if wagtail_site.port not in (80, 443):
        domain = f"{domain}:{wagtail_site.port}"
    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": wagtail_site.site_name or domain}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0002_reader_comment_moderators"),
        ("sites", "0002_alter_domain_unique"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(sync_django_site, migrations.RunPython.noop)]
