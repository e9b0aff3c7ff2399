from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and uploaded media to one .tar.gz file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="Where to write it (default: backups/newsroom-<time>.tar.gz).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output or f"backups/newsroom-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path} ({manifest['engine']}, {len(manifest['media'])} media files)")
