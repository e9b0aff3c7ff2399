import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Point the default site at http://127.0.0.1:PORT so canonical URLs, feeds and "
        "email links work under the development server. Development settings only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to change the site address when DEBUG is off.")
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"{port} is not a TCP port.")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site; run migrate first.")
        site.hostname, site.port = "127.0.0.1", port
        site.save()
        self.stdout.write(f"Default site address: {site.root_url}/")
        # Review e-mails link to WAGTAILADMIN_BASE_URL (development settings: the PORT variable).
        if settings.WAGTAILADMIN_BASE_URL.rstrip("/") != site.root_url:
            self.stderr.write(
                f"Admin e-mails link to {settings.WAGTAILADMIN_BASE_URL}, not {site.root_url}: "
                f"run the server with PORT={port} (make run does)."
            )
