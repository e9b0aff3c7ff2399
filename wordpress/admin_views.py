"""Settings › Import from WordPress: upload, dry run, import, with progress the page polls.

The work runs on the task worker (wordpress.tasks); these views only check the
uploads, record the job and read its row. One import at a time per site is the
database's rule (ImportJob's partial unique constraint), so two editors
starting at once, or two browser tabs, cannot both get one.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wagtail.models import Site

from core.task_report import can_see_tasks
from core.tasks import enqueue_or_run

from . import uploads
from .forms import ImportForm
from .models import ImportJob
from .tasks import run_import

RECENT_JOBS = 10
BUSY_MESSAGE = (
    "An import is already running on this site. Wait for it to finish (or resume it if it stopped)."
)


def can_import(user) -> bool:
    """Editors and superusers, the people who see the task report: an import publishes."""
    return can_see_tasks(user)


def editors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A plain 403 for others (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_import(request.user):
            return HttpResponseForbidden("Only editors and administrators may import from WordPress.")
        return view(request, *args, **kwargs)

    return checked


def _site() -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise Http404("There is no default site to import into.")
    return site


def _start_job(**fields) -> ImportJob | None:
    """The job recorded and queued, or None when another one is active on the site."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(**fields)
    except IntegrityError:
        return None
    enqueue_or_run(run_import, job.pk)
    return job


@editors_only
def start(request: HttpRequest) -> HttpResponse:
    site = _site()
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = _start_from_uploads(request, site, form)
            if job is not None:
                return redirect("wordpress_import:job", job.pk)
            form.add_error(None, BUSY_MESSAGE)
            status = 409
        else:
            status = 400
    else:
        form = ImportForm()
    recent = ImportJob.objects.filter(site=site).select_related("started_by")[:RECENT_JOBS]
    context = {
        "form": form,
        "recent": recent,
        "active": next((job for job in recent if job.is_active), None),
        "max_upload": settings.WORDPRESS_IMPORT_MAX_UPLOAD_BYTES,
    }
    return TemplateResponse(request, "wordpress/import_start.html", context, status=status)


def _start_from_uploads(request: HttpRequest, site: Site, form: ImportForm) -> ImportJob | None:
    if ImportJob.objects.filter(site=site, status__in=ImportJob.ACTIVE).exists():
        return None  # Refused before copying the files; the constraint decides races.
    folder = uploads.new_folder()
    export, media = form.cleaned_data["export"], form.cleaned_data["media"]
    uploads.store(export, folder, uploads.EXPORT_FILE)
    if media:
        uploads.store(media, folder, uploads.MEDIA_ZIP)
    job = _start_job(
        site=site,
        dry_run=True,
        section_root=form.cleaned_data["section_root"],
        folder=folder,
        export_name=export.name[:255],
        media_name=media.name[:255] if media else "",
        started_by=request.user,
    )
    if job is None:
        uploads.remove_folder(folder)
    return job


def _job(pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("section_root", "started_by"), pk=pk)


@editors_only
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    report = job.report or {}
    context = {
        "job": job,
        "progress": progress_data(job),
        "can_import_for_real": _can_import_for_real(job),
        "report_failed": report.get("failed", []),
        "report_skipped": report.get("skipped", []),
    }
    return TemplateResponse(request, "wordpress/import_job.html", context)


def _can_import_for_real(job: ImportJob) -> bool:
    return (
        job.dry_run
        and job.status == ImportJob.Status.DONE
        and uploads.folder_path(job.folder).is_dir()
        and not ImportJob.objects.filter(folder=job.folder, dry_run=False).exists()
    )


def _is_stale(job: ImportJob, now) -> bool:
    last_sign = job.heartbeat_at or job.created_at
    return job.is_active and now - last_sign > timedelta(seconds=settings.WORDPRESS_IMPORT_STALE_AFTER)


def progress_data(job: ImportJob) -> dict:
    now = timezone.now()
    elapsed = ((job.finished_at or now) - job.started_at).total_seconds() if job.started_at else 0
    remaining = None
    if job.status == ImportJob.Status.RUNNING and job.total and 0 < job.done < job.total:
        remaining = round(elapsed / job.done * (job.total - job.done))
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "phase": job.phase,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "elapsed_seconds": round(elapsed),
        "remaining_seconds": remaining,
        "stale": _is_stale(job, now),
        "error": job.error,
        "finished": not job.is_active,
    }


@editors_only
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job(pk)
    response = JsonResponse(progress_data(job))
    response["Cache-Control"] = "no-store"
    return response


@editors_only
def download_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    if job.report is None:
        raise Http404("This import has no report yet.")
    kind = "dry-run" if job.dry_run else "import"
    response = HttpResponse(
        json.dumps(job.report, indent=2, ensure_ascii=False) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="wordpress-{kind}-{job.pk}.json"'
    return response


@editors_only
@require_POST
def import_for_real(request: HttpRequest, pk: int) -> HttpResponse:
    """The import itself, from the files its dry run checked."""
    dry_run = _job(pk)
    if not _can_import_for_real(dry_run):
        messages.error(request, "This dry run cannot be imported: its files are gone or already imported.")
        return redirect("wordpress_import:job", dry_run.pk)
    job = _start_job(
        site=dry_run.site,
        dry_run=False,
        section_root=dry_run.section_root,
        folder=dry_run.folder,
        export_name=dry_run.export_name,
        media_name=dry_run.media_name,
        started_by=request.user,
    )
    if job is None:
        messages.error(request, BUSY_MESSAGE)
        return redirect("wordpress_import:job", dry_run.pk)
    return redirect("wordpress_import:job", job.pk)


@editors_only
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a job again whose worker stopped: what was imported is skipped, the rest follows."""
    job = _job(pk)
    if not _is_stale(job, timezone.now()):
        messages.error(request, "This import is not stalled: nothing to resume.")
    else:
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        enqueue_or_run(run_import, job.pk)
        messages.success(request, "The import was queued again; it carries on where it stopped.")
    return redirect("wordpress_import:job", job.pk)


@editors_only
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a dry run's files without importing them."""
    job = _job(pk)
    if job.is_active:
        messages.error(request, "This import is still running.")
    else:
        uploads.remove_folder(job.folder)
        messages.success(request, "The uploaded files were removed.")
    return redirect("wordpress_import:start")
