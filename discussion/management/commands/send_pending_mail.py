from django.core.management.base import BaseCommand

from discussion.mail import send_pending_confirmations


class Command(BaseCommand):
    help = (
        "Send again the comment confirmation emails the mail server did not take. "
        "Run every minute (make run's loop; site/systemd/newsroom-send-pending-mail.timer)."
    )

    def handle(self, *args, **options) -> None:
        report = send_pending_confirmations()
        if report.sent or report.failed or report.given_up:
            self.stdout.write(
                f"Comment confirmations: {report.sent} sent, {report.failed} still unsent, "
                f"{report.given_up} given up."
            )
