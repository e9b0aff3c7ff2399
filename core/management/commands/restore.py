from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database with a backup's and put its media files back."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="A .tar.gz written by `manage.py backup`.")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such backup: {path}")
        try:
            manifest = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = len(manifest["media"])
        self.stdout.write(f"Restored {path} (made {manifest['created']}, {media} media files)")
