import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from readership.counter import hour_start
from readership.models import HourlyViews
from readership.stories import countable_stories

DEMO_STORIES = 30
DEMO_HOURS = 24 * 7


class Command(BaseCommand):
    help = (
        'Give the demo site\'s stories a week of generated hourly views, so that "Most read", '
        "the Stories listing and the editor's chart have something to show. Not in production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Do nothing when views are already stored (for `make run`).",
        )

    def handle(self, *args, seed: int, if_none: bool, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to generate demo views when DEBUG is off.")
        if if_none and HourlyViews.objects.exists():
            return
        generator = random.Random(seed)  # noqa: S311 - demo figures, not secrets
        stories = list(
            countable_stories().order_by("-first_published_at").values_list("pk", flat=True)[:DEMO_STORIES]
        )
        now = hour_start(timezone.now())
        rows = []
        for rank, story in enumerate(stories):
            # A few stories draw most readers, as on any news site; readers come in the daytime.
            popularity = 400 / (rank + 1)
            for hours_ago in range(DEMO_HOURS):
                hour = now - timedelta(hours=hours_ago)
                daytime = 1.0 if 7 <= hour.hour <= 22 else 0.2
                views = int(generator.uniform(0.3, 1.0) * popularity * daytime / (1 + hours_ago / 24))
                if views:
                    rows.append(HourlyViews(story_id=story, hour=hour, views=views))
        HourlyViews.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        self.stdout.write(f"Generated {sum(row.views for row in rows)} demo views of {len(stories)} stories.")
