import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the local editor login. Development settings only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a local editor account when DEBUG is off.")
        username = os.environ.get("NEWSROOM_EDITOR_USERNAME", "editor")
        password = os.environ.get("NEWSROOM_EDITOR_PASSWORD", "editor")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        admin_url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the local editor: log in at {admin_url} as '{username}' with password '{password}'."
            )
        )
