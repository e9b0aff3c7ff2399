"""The admin's WordPress import, run by the task worker, its progress kept on the ImportJob row."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django_tasks import task

from django.db import connection, connections
from django.utils import timezone

from core.database import refresh_planner_statistics

from . import uploads
from .importer import Importer, ImportRefused
from .models import ImportJob
from .wxr import WXRError

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds): a row update per item would
# cost more than some items.
PROGRESS_EVERY = 1.0


def _save_progress(job_id: int, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(**fields)


def _save_progress_elsewhere(job_id: int, **fields) -> None:
    """The row updated on a connection of its own, committed at once.

    A dry run runs inside one transaction that is rolled back at its end; the
    page polling the row would see nothing of progress written inside it.
    """
    try:
        _save_progress(job_id, **fields)
    finally:
        connections.close_all()


class ProgressWriter:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self.phase = ""
        self.last_write = 0.0
        self._elsewhere = ThreadPoolExecutor(max_workers=1)

    def write(self, **fields) -> None:
        if not connection.in_atomic_block:
            _save_progress(self.job_id, **fields)
        elif connection.vendor != "sqlite":
            self._elsewhere.submit(_save_progress_elsewhere, self.job_id, **fields).result()
        else:
            # SQLite lets one connection write at a time: the counts wait for the end of
            # the import's batch (or of a dry run: the phase shows it is checking).
            return
        self.last_write = time.monotonic()

    def set_phase(self, name: str) -> None:
        self.phase = name
        self.write(phase=name)

    def items(self, done: int, total: int) -> None:
        if done == total or time.monotonic() - self.last_write >= PROGRESS_EVERY:
            self.write(done=done, total=total)

    def close(self) -> None:
        self._elsewhere.shutdown()


@task()
def run_import(job_id: int) -> str:
    """Run (or, after a worker died, carry on with) the import `job_id`; ends with its status."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_active:
        return "not active"
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.RUNNING,
        started_at=job.started_at or timezone.now(),
        heartbeat_at=timezone.now(),
    )
    progress = ProgressWriter(job_id)
    try:
        if job.media_name:
            progress.set_phase("Unpacking the uploads")
        media_dir = uploads.unpack_media(job.folder)
        # The dry run only reads and converts, as the command's --dry-run does. Imported here:
        # wordpress.conversion sets Django up for its pool's processes, not while apps load.
        from .dry_run import DryRun

        run_class = DryRun if job.dry_run else Importer
        importer = run_class(
            uploads.export_path(job.folder),
            media_dir=media_dir,
            section_root=job.section_root,
            progress=progress.items,
            phase=progress.set_phase,
        )
        report = importer.run()
        if not job.dry_run:
            refresh_planner_statistics()
    except (WXRError, ImportRefused, LookupError, uploads.UploadRefused) as exc:
        return _end(job, ImportJob.Status.FAILED, error=_without_folder(str(exc), job))
    except Exception as exc:
        logger.exception("WordPress import %s failed", job_id)
        return _end(job, ImportJob.Status.FAILED, error=f"The import stopped: {type(exc).__name__}: {exc}")
    finally:
        progress.close()
    report.source = report.source or job.export_name
    return _end(
        job,
        ImportJob.Status.DONE,
        report=report.as_dict(),
        summary="\n".join(report.summary_lines()),
        done=importer.index.items,
        total=importer.index.items,
    )


def _without_folder(message: str, job: ImportJob) -> str:
    # The reader names the file by its private path; the editor knows it by its upload name.
    return message.replace(str(uploads.export_path(job.folder)), job.export_name)


def _end(job: ImportJob, status: str, **fields) -> str:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, phase="", finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
    )
    # A dry run's files wait for the import that follows it; anything else is over.
    if job.dry_run is False or status == ImportJob.Status.FAILED:
        uploads.remove_folder(job.folder)
    return status
