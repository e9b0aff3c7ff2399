"""`import_wordpress EXPORT.xml`: a WordPress site's archive into sections, stories, pages and comments."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from core.database import refresh_planner_statistics
from wordpress.dry_run import DryRun
from wordpress.importer import Importer, ImportRefused
from wordpress.wxr import WXRError

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): categories as sections, posts as articles, pages as "
        "content pages, comments, authors, tags, images from --media-dir, and redirects from the old URLs. "
        "Running it again imports only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file (Tools › Export in WordPress).")
        parser.add_argument(
            "--media-dir",
            help="A copy of wp-content/uploads; images are found by their path after /uploads/.",
        )
        parser.add_argument(
            "--section-root",
            help="Slug of an existing section to hold the imported sections (default: home).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; write nothing."
        )
        parser.add_argument("--report", metavar="FILE", help="Also write the report as JSON to FILE.")

    def handle(self, *args, **options):
        show_progress = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        self._started = time.monotonic()
        progress = self._progress if show_progress else None
        if options["dry_run"]:
            # Reads and converts only: the same report in a fraction of the import's time.
            importer = DryRun(
                options["export"],
                media_dir=options["media_dir"],
                section_root=options["section_root"],
                progress=progress,
            )
        else:
            importer = Importer(
                options["export"],
                media_dir=options["media_dir"],
                section_root=options["section_root"],
                progress=progress,
            )
        try:
            report = importer.run()
        except FileNotFoundError as exc:
            raise CommandError(f"{options['export']}: no such file") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{options['export']}: is a folder, not a file") from exc
        except (WXRError, ImportRefused, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        if not options["dry_run"]:
            refresh_planner_statistics()
        if show_progress:
            self.stdout.write("")
        for line in report.summary_lines():
            self.stdout.write(line)
        if options["report"]:
            try:
                report.write_json(options["report"])
            except OSError as exc:
                raise CommandError(f"could not write the report to {options['report']}: {exc}") from exc
            self.stdout.write(f"Report written to {options['report']}.")
        if report.failed:
            raise CommandError(f"{len(report.failed)} item(s) could not be imported; see the report above.")

    def _progress(self, done: int, total: int) -> None:
        if done <= 1:
            self._started = time.monotonic()
        self.stdout.write("\r" + progress_line(done, total, time.monotonic() - self._started), ending="")
        self.stdout.flush()
        if sys.stdout is not None and done == total:
            self.stdout.write("")


def progress_line(done: int, total: int, since_first_item: float) -> str:
    """'[#####     ] 1200/6000 items, 85.3 items/s, 56 s left', the rate measured from the
    first item on (reading and checking the file come before it)."""
    filled = int(BAR_WIDTH * done / total) if total else BAR_WIDTH
    line = f"[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done}/{total} items"
    if done > 1 and since_first_item > 0:
        rate = (done - 1) / since_first_item
        minutes, seconds = divmod(round(max(total - done, 0) / rate), 60)
        left = f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
        line += f", {rate:.1f} items/s, {left} left"
    return line
