"""The import in a process of its own, for tests/wordpress/test_killed_import.py to kill.

    python -m tests.wordpress.import_process EXPORT BATCH_SIZE [HELD_SLUG READY_FILE]

With HELD_SLUG, the batch holding that story stops in the middle of its bulk
writes (its pages, revisions and redirects inserted, its comments not yet, the
transaction open), touches READY_FILE and waits there to be killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django


def hold_inside_the_batch_of(slug: str, ready_file: Path) -> None:
    from wordpress.batch_writes import QueuedRows

    write_comments = QueuedRows.write_comments

    def held(queue: QueuedRows, source: str) -> None:
        if any(queued.page.slug == slug for queued in queue.pages):
            ready_file.touch()
            time.sleep(600)
        write_comments(queue, source)

    QueuedRows.write_comments = held


def main(arguments: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    django.setup()
    from wordpress.importer import Importer

    export, batch_size, *held = arguments
    if held:
        hold_inside_the_batch_of(held[0], Path(held[1]))
    report = Importer(export, batch_size=int(batch_size)).run()
    sys.exit(1 if report.failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
