"""Make the key pair that signs the site's push messages (VAPID, RFC 8292)."""

from django.core.management.base import BaseCommand

from alerts.push import generate_vapid_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair for breaking-news alerts, as lines for the environment file."

    def handle(self, *args, **options) -> None:
        keys = generate_vapid_keys()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={keys.public_key}")
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={keys.private_key}")
        self.stderr.write(
            "Keep the private key secret. Changing the keys later ends every reader's subscription."
        )
