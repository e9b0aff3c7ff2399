"""The dry run's conversion processes: bodies to blocks, away from the process that reads.

A process of the pool starts without Django (it is spawned, not forked, so it shares no
database connection with the process that reads): importing this module sets Django up
before anything that needs the app registry is unpickled. It never queries the database.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import django
from django.apps import apps

if not apps.ready:
    django.setup()

from .importer import ExportIndex, Importer
from .models import WordPressItem, WordPressKind
from .report import Report
from .wxr import Item

IMAGE_KINDS = (WordPressKind.IMAGE, WordPressKind.IMAGE_FILE)


class KnownInMemory:
    """The importer's look-ups of what earlier runs imported, answered from `_known`
    ((kind, WordPress id) → object id), read once, instead of a query each."""

    _known: dict[tuple[str, str], str]
    source: str

    def _mapped(self, kind: str, wordpress_id: str) -> WordPressItem | None:
        object_id = self._known.get((kind, wordpress_id))
        if object_id is None:
            return None
        return WordPressItem(source=self.source, kind=kind, wordpress_id=wordpress_id, object_id=object_id)

    def image_from_file(self, relative, title, alt, kind, wordpress_id):
        # Nothing is written: an image imported earlier need not be read to be referred to.
        mapped = self._known.get((kind, wordpress_id))
        if mapped is not None:
            return int(mapped), alt
        return super().image_from_file(relative, title, alt, kind, wordpress_id)


class _Converter(KnownInMemory, Importer):
    pass


class WorkerState:
    """What a conversion process needs to find media: no database, no page tree."""

    def __init__(self, media_dir: Path | None, index: ExportIndex, images: dict, source: str):
        self.media_dir = media_dir
        self.attachments = index.attachments
        self.attachment_by_path = index.attachment_by_path
        self.attachments_by_parent = index.attachments_by_parent
        self.images = images
        self.source = source


_worker: _Converter | None = None


def start_worker(state: WorkerState) -> None:
    global _worker
    _worker = _Converter(__file__, media_dir=state.media_dir, dry_run=True)
    _worker.index = ExportIndex(
        attachments=state.attachments,
        attachment_by_path=state.attachment_by_path,
        attachments_by_parent=state.attachments_by_parent,
    )
    _worker._known = _worker._image_ids = state.images
    _worker.source = state.source


def convert_batch(items: list[Item]) -> dict[int, tuple]:
    """Each item's body converted: what the report needs of it, by item position."""
    worker = _worker
    converted = {}
    for item in items:
        worker.report = Report(dry_run=True)
        worker._reported_refusals = set()
        Importer._body(worker, item)
        converted[item.position] = (
            Counter(worker.report.unmapped),
            worker.report.missing_media,
            worker.report.refused_media,
            worker.report.counts["image"]["would import"],
        )
    return converted
