from django.core.management.base import BaseCommand

from news.models import CategoryIndexPage
from newsletters.defaults import ensure_default_lists
from newsletters.models import Newsletter


class Command(BaseCommand):
    help = "Create the daily briefing, breaking news and a weekly list per section where missing."

    def handle(self, *args, **options) -> None:
        made = ensure_default_lists(Newsletter, CategoryIndexPage)
        self.stdout.write(f"{made} newsletter list(s) created.")
