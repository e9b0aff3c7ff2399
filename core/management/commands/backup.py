from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup, media_count


class Command(BaseCommand):
    help = "Write the database and uploaded media to one .tar.gz file (mode 0600)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="Where to write it (default: backups/newsroom-<time>.tar.gz).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output or f"backups/newsroom-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            # Only its owner may list the folder: backups hold every password hash and draft.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            manifest = backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(f"No backup written: {exc}") from exc
        self.stdout.write(f"{path} ({manifest['engine']}, {media_count(manifest)} media files)")
