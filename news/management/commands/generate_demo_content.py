import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from core.database import refresh_planner_statistics
from news.demo_content import DemoContent, terminal_progress
from news.models import StoryPage


class Command(BaseCommand):
    help = (
        "Fill the default site with generated sections, stories, pictures and reader comments "
        "(reproducible with --seed). Not in production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100)
        parser.add_argument("--comments", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-fewer-than",
            type=int,
            default=None,
            metavar="N",
            help="Do nothing when the site already has N stories or more (for `make run`).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off too (benchmark databases only).",
        )

    def handle(self, *args, articles, comments, seed, if_fewer_than, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to generate demo content when DEBUG is off.")
        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments must not be negative.")
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("No default site: run migrate first.")
        if if_fewer_than is not None:
            existing = StoryPage.objects.count()
            if existing >= if_fewer_than:
                self.stdout.write(f"The site has {existing} stories already: no demo content generated.")
                return
        started = time.monotonic()
        made = DemoContent(articles, comments, seed=seed, progress=terminal_progress()).run(site.root_page)
        refresh_planner_statistics()
        summary = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in made.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {time.monotonic() - started:.0f} s."))
