from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, BackupRefused, media_count, restore


class Command(BaseCommand):
    help = (
        "Check a backup whole (layout, SHA-256 sums, paths, the database dump's statements), "
        "then replace the database with its own and put its media files back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="A .tar.gz written by `manage.py backup`.")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such backup: {path}")
        try:
            manifest = restore(path)
        except BackupRefused as exc:
            raise CommandError(f"Refused {path}: {exc} Nothing was changed.") from exc
        except BackupError as exc:
            raise CommandError(f"Restoring {path} failed: {exc}") from exc
        media = media_count(manifest)
        self.stdout.write(f"Restored {path} (made {manifest['created']}, {media} media files)")
