from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from news.seed_import import SeedFormatError, import_article, parse_seed, seed_files, seed_lead_picture


class Command(BaseCommand):
    help = (
        "Import articles from plain-text seed files (default: every .txt under seeds/); "
        "an article with a demo photograph chosen for it gets it as its lead picture."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Files or folders to import.")

    def handle(self, *args, **options):
        paths = options["paths"] or [Path(settings.BASE_DIR) / "seeds"]
        created = unchanged = 0
        failures: list[str] = []
        for path in seed_files(paths):
            try:
                text = path.read_text(encoding="utf-8")
                article = parse_seed(text)
                page, was_created = import_article(article, lead_picture=seed_lead_picture(article))
            except FileNotFoundError:
                failures.append(f"{path}: no such file")
            except UnicodeDecodeError:
                failures.append(f"{path}: not UTF-8 text")
            except SeedFormatError as exc:
                failures.append(f"{path}: {exc}")
            else:
                if was_created:
                    created += 1
                    self.stdout.write(f"imported  {path} -> {page.url or page.url_path}")
                else:
                    unchanged += 1
                    self.stdout.write(f"unchanged {path} (already at {page.url or page.url_path})")
                continue
            self.stderr.write(self.style.ERROR(f"error     {failures[-1]}"))

        self.stdout.write(f"{created} imported, {unchanged} already present, {len(failures)} failed.")
        if failures:
            raise CommandError(f"{len(failures)} seed file(s) could not be imported.")
