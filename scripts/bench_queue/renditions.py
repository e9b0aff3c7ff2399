"""A story with five new 4000×3000 photos: its first view, with and without the worker's help.

    python -m scripts.bench_queue.renditions      # part of make bench-queue

On a throwaway SQLite database and media folder, development settings with
the database queue. Two stories, each with five new photos (lead image and
body): for the first, the worker makes the pictures after the publish (a burst
worker, in this process) before anyone reads it; for the second no task runs
(as before the queue): its first reader's request makes them. Prints, for
each, the renditions the first view made and its time against a second view.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PHOTOS = 5
SIZE = (4000, 3000)


def photo(title: str):
    from io import BytesIO

    from PIL import Image as PILImage

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    buffer = BytesIO()
    # Noise, so the JPEG is as heavy to decode as a photograph.
    PILImage.effect_noise(SIZE, 60).convert("RGB").save(buffer, "JPEG", quality=85)
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.jpg"))


def publish_story(section, title: str, with_worker: bool):
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from news.models import NewsArticlePage

    settings.NEWSROOM_PREPARE_RENDITIONS = with_worker
    with transaction.atomic():
        photos = [photo(f"{title} {n}") for n in range(PHOTOS)]
    body = [
        {"type": "image", "value": {"image": p.pk, "alt_text": "A photo", "caption": "", "credit": ""}}
        for p in photos
    ]
    slug = title.lower().replace(" ", "-")
    story = NewsArticlePage(title=title, slug=slug, lead_image=photos[0], body=body)
    with transaction.atomic():
        section.add_child(instance=story)
        story.save_revision().publish()
    started = time.perf_counter()
    if with_worker:
        call_command("run_worker", burst=True, verbosity=0)
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()  # As before the queue: nothing made ahead.
    return story, time.perf_counter() - started


def view(client, url: str) -> tuple[float, list[str]]:
    """The time of a view of `url` and the filter specs of the renditions it made."""
    from wagtail.images.models import Rendition

    before = Rendition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    made = Rendition.objects.filter(pk__gt=before).order_by("filter_spec")
    return seconds, [f"{spec} (image {image})" for spec, image in made.values_list("filter_spec", "image_id")]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-renditions-") as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="scripts.bench_queue.settings",
            DATABASE_URL=f"sqlite:///{folder}/site.sqlite3",
            MEDIA_ROOT=f"{folder}/media",
            BENCH_QUEUE="database",
        )
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client

        from wagtail.models import Site

        from news.models import CategoryIndexPage

        call_command("migrate", verbosity=0)
        home = Site.objects.get(is_default_site=True).root_page
        section = home.add_child(instance=CategoryIndexPage(title="Harbour", slug="harbour"))
        client = Client(SERVER_NAME="localhost")
        rows = {}
        for label, with_worker in (("worker made them", True), ("no worker", False)):
            story, drain = publish_story(section, f"Five photos {len(rows)}", with_worker)
            cache.clear()
            first, made = view(client, story.url)
            cache.clear()
            second, _ = view(client, story.url)
            rows[label] = {
                "drain_s": drain,
                "first_s": first,
                "renditions": len(made),
                "made_by_first_view": made,
                "second_s": second,
            }
        print("| 5 new 4000×3000 photos | worker's drain | first view | renditions | second view |")
        print("|---|---:|---:|---:|---:|")
        for label, row in rows.items():
            print(
                f"| {label} | {row['drain_s']:.2f} s | {row['first_s'] * 1000:.0f} ms "
                f"| {row['renditions']} | {row['second_s'] * 1000:.0f} ms |"
            )
        for label, row in rows.items():
            if row["made_by_first_view"]:
                print(f"Made by the first view ({label}): {', '.join(row['made_by_first_view'])}")
        (BASE_DIR / "bench" / "renditions.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main())
