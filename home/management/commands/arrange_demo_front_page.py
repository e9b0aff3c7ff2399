from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.models import HomePage, default_layout
from pages.models import ContentPage

DEMO_LAYOUT = [
    ("top_stories", {"stories": [], "count": 4}),
    ("live_now", {"heading": "Live now", "count": 3}),
    (
        "opinion",
        {"heading": "Opinion and analysis", "kinds": "Opinion, Analysis", "tag": "opinion", "count": 4},
    ),
    (
        "newsletter_signup",
        {"heading": "Get the morning briefing", "text": "The day's top stories in your inbox every morning."},
    ),
    ("section", {"section": None, "stories": [], "count": 4}),
    ("ranked_list", {"ranking": "most_discussed", "heading": "", "count": 5, "include_shown": False}),
]


def is_unarranged(layout: list[dict]) -> bool:
    """True for an empty layout or the one the upgrade wrote (home.models.default_layout)."""
    if not layout:
        return True
    unarranged = default_layout()
    return [block.get("type") for block in layout] == [block["type"] for block in unarranged] and all(
        block.get("value", {}).get("count") == default["value"]["count"]
        for block, default in zip(layout, unarranged, strict=True)
    )


class Command(BaseCommand):
    help = (
        "Arrange the front page in packages (top stories, live now, opinion, each section, most "
        "discussed, a promo) unless an editor already has. Development settings only."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to arrange the front page when DEBUG is off.")
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page; run migrate first.")
        # The layout the upgrade wrote (or none) is the unarranged page: replace it.
        if not is_unarranged(list(home.layout.raw_data)):
            self.stdout.write("The front page is already arranged.")
            return
        blocks = [{"type": kind, "value": value} for kind, value in DEMO_LAYOUT]
        about = ContentPage.objects.child_of(home).live().first()
        if about is not None:
            promo = {
                "heading": f"About {home.title if home.title != 'Home' else 'us'}",
                "text": "Who we are, how we work and how to reach the newsroom.",
                "link_label": "Read more",
                "link_page": about.pk,
                "link_url": "",
            }
            blocks.append({"type": "promo", "value": promo})
        home.layout = blocks
        home.save_revision().publish()
        self.stdout.write(f"Front page arranged in {len(blocks)} packages.")
