from django.core.management.base import BaseCommand

from newsletters.composing import compose_due, issues_due
from newsletters.sending import abandon_stale_claims
from newsletters.tasks import start_sending


class Command(BaseCommand):
    help = (
        "Compose the issues due, and start sending the scheduled ones whose time has come "
        "(run every minute by the scheduler; the sending itself runs on the task worker)."
    )

    def handle(self, *args, **options) -> None:
        for issue in compose_due():
            self.stdout.write(f"Composed: {issue} ({issue.get_status_display()})")
        for issue in issues_due():
            if start_sending(issue):
                self.stdout.write(f"Sending: {issue}")
        abandoned = abandon_stale_claims()
        if abandoned:
            self.stderr.write(f"{abandoned} deliveries left claimed by a stopped worker were given up")
