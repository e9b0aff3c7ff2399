"""Demo content for `make run`: the lists, some subscribers and one briefing in the archive."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from news.models import CategoryIndexPage
from newsletters.defaults import DAILY_SLUG, ensure_default_lists
from newsletters.models import Issue, IssueStatus, IssueStory, Newsletter, Subscriber, Subscription
from newsletters.ranking import ranking


class Command(BaseCommand):
    help = "Lists for every section, generated demo subscribers, and one sent daily briefing (once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--subscribers", type=int, default=50)

    def handle(self, *args, subscribers: int = 50, **options) -> None:
        ensure_default_lists(Newsletter, CategoryIndexPage)
        daily = Newsletter.objects.get(slug=DAILY_SLUG)
        now = timezone.now()
        if not Subscriber.objects.filter(email__endswith="@demo.example").exists():
            made = Subscriber.objects.bulk_create(
                [Subscriber(email=f"reader{n}@demo.example") for n in range(subscribers)]
            )
            Subscription.objects.bulk_create(
                [Subscription(subscriber=s, newsletter=daily, confirmed_at=now) for s in made]
            )
        if not Issue.objects.filter(newsletter=daily, sent_at__isnull=False).exists():
            # The demo's stories are dated over past weeks: the archive's example takes the newest.
            stories = ranking()(daily, now - timedelta(days=3650), daily.story_count)
            issue = Issue.objects.create(
                newsletter=daily,
                subject=f"{daily.name}: a sample issue",
                intro="A sample of what readers receive each morning.",
                status=IssueStatus.SENT,
                send_at=now,
                sent_at=now,
                planned_at=now,
                recipients=Subscription.objects.receiving().filter(newsletter=daily).count(),
            )
            IssueStory.objects.bulk_create(
                [IssueStory(issue=issue, page_id=story.pk, sort_order=n) for n, story in enumerate(stories)]
            )
        self.stdout.write("Newsletters: lists, demo subscribers and a sample issue in /newsletters/archive/.")
