from django.core.management.base import BaseCommand

from readership.flush import flush_views


class Command(BaseCommand):
    help = (
        "Move the page views counted in Redis to the hourly rows in the database "
        "(every minute, beside publish_scheduled)."
    )

    def handle(self, *args, **options) -> None:
        moved = flush_views()
        if options["verbosity"] > 1:
            self.stdout.write(f"{moved} views flushed.")
