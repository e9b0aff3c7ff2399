"""Settings › Import from WordPress: upload, dry run, import, progress, and every refusal."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image as PILImage

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.images import get_image_model

from news.models import NewsArticlePage
from wordpress.models import ImportJob, WordPressItem
from wordpress.uploads import folder_path

from .wxr_builder import item, wxr

pytestmark = pytest.mark.django_db

START = "/admin/import-wordpress/"
UPLOADS = "https://gazette.example/wp-content/uploads/2020/05"


def member_of(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_client(client, home_page):
    client.force_login(member_of("Editors", "eddie"))
    return client


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.WORDPRESS_IMPORT_DIR = tmp_path / "imports"
    return settings.WORDPRESS_IMPORT_DIR


def export_upload(*parts: str, name: str = "gazette.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, wxr(*parts).encode(), content_type="text/xml")


def two_stories() -> SimpleUploadedFile:
    return export_upload(item(1, title="Harbour reopens"), item(2, title="Tide tables"))


def zip_upload(entries: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return SimpleUploadedFile("uploads.zip", buffer.getvalue(), content_type="application/zip")


def picture() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def start_dry_run(client, export, media=None, **fields):
    data = {"export": export, **fields}
    if media is not None:
        data["media"] = media
    return client.post(START, data)


def nothing_imported(private_folder: Path) -> bool:
    return (
        not NewsArticlePage.objects.exists()
        and not WordPressItem.objects.exists()
        and not ImportJob.objects.exists()
        and not any(private_folder.glob("*/*"))
    )


# The way through: dry run, report, import.


def test_dry_run_then_import_creates_the_stories_and_removes_the_uploads(editor_client, private_folder):
    response = start_dry_run(editor_client, two_stories())

    dry_run = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"{START}{dry_run.pk}/"
    assert dry_run.status == "done" and dry_run.dry_run and dry_run.percent == 100
    assert not NewsArticlePage.objects.exists()
    page = editor_client.get(response.url).text
    assert "(dry run: nothing written)" in page and "2 published" in page
    assert "Import for real" in page

    response = editor_client.post(f"{START}{dry_run.pk}/import/")

    real = ImportJob.objects.get(dry_run=False)
    assert response.url == f"{START}{real.pk}/"
    assert real.status == "done"
    assert sorted(NewsArticlePage.objects.values_list("title", flat=True)) == [
        "Harbour reopens",
        "Tide tables",
    ]
    assert not folder_path(real.folder).exists()
    assert "Import for real" not in editor_client.get(f"{START}{dry_run.pk}/").text


def test_progress_is_json_the_page_polls_and_the_report_downloads(editor_client):
    start_dry_run(editor_client, two_stories())
    job = ImportJob.objects.get()

    progress = editor_client.get(f"{START}{job.pk}/progress/").json()
    download = editor_client.get(f"{START}{job.pk}/report/")

    assert progress["percent"] == 100 and progress["done"] == progress["total"] == 2
    assert progress["finished"] and progress["status"] == "done" and not progress["stale"]
    assert download["Content-Disposition"] == f'attachment; filename="wordpress-dry-run-{job.pk}.json"'
    assert json.loads(download.content)["dry_run"] is True


def test_sections_go_under_the_chosen_section(editor_client, health):
    start_dry_run(editor_client, two_stories(), section_root=health.pk)
    editor_client.post(f"{START}{ImportJob.objects.get().pk}/import/")

    story = NewsArticlePage.objects.get(title="Harbour reopens")
    assert story.get_parent().get_parent().specific == health


def test_images_come_from_the_uploads_zip(editor_client):
    export = export_upload(
        item(1, title="Harbour", content=f'<p>Text.</p>\n\n<img src="{UPLOADS}/boat.jpg">')
    )
    media = zip_upload({"wp-content/uploads/2020/05/boat.jpg": picture()})

    start_dry_run(editor_client, export, media)
    editor_client.post(f"{START}{ImportJob.objects.get().pk}/import/")

    assert list(get_image_model().objects.values_list("width", "height")) == [(40, 30)]


def test_an_imported_story_is_reachable_and_a_second_import_adds_nothing(editor_client):
    for _ in range(2):
        start_dry_run(editor_client, two_stories())
        editor_client.post(f"{START}{ImportJob.objects.filter(dry_run=True).first().pk}/import/")

    assert NewsArticlePage.objects.count() == 2
    assert "unchanged" in ImportJob.objects.filter(dry_run=False).first().summary


# Who may import.


def test_writers_and_readers_cannot_import(client, home_page, site, private_folder):
    assert client.get(START).status_code == 302  # To the admin's login.
    client.force_login(member_of("Writers", "wendy"))
    job = ImportJob.objects.create(site=site, folder="0" * 32, export_name="a.xml", status="done", report={})

    assert client.get(START).status_code == 403
    assert client.post(START, {"export": two_stories()}).status_code == 403
    for action in ("", "progress/", "report/"):
        assert client.get(f"{START}{job.pk}/{action}").status_code == 403
    for action in ("import/", "resume/", "discard/"):
        assert client.post(f"{START}{job.pk}/{action}").status_code == 403
    job.delete()
    assert nothing_imported(private_folder)


def test_the_import_is_in_the_settings_menu_for_editors(editor_client):
    assert START in editor_client.get("/admin/").text


# Refusals: a clear message, nothing imported, nothing kept.


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (picture(), "photo.xml"),
        (b"PK\x03\x04 a zip", "export.zip"),
        (b"<!DOCTYPE html><html><body>Log in</body></html>", "export.xml"),
        (b"", "empty.xml"),
    ],
)
def test_an_upload_that_is_not_xml_is_refused(editor_client, private_folder, content, name):
    response = start_dry_run(editor_client, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert "not an XML file" in response.text or "The submitted file is empty" in response.text
    assert nothing_imported(private_folder)


def test_an_export_over_the_limit_is_refused(editor_client, private_folder, settings):
    settings.WORDPRESS_IMPORT_MAX_UPLOAD_BYTES = 500

    response = start_dry_run(editor_client, two_stories())

    assert response.status_code == 400
    assert "over the limit of 500" in response.text
    assert nothing_imported(private_folder)


@pytest.mark.parametrize(
    ("entries", "symlinks", "message"),
    [
        ({"../../newsroom/settings/local.py": b"DEBUG = True"}, (), "points outside the folder"),
        ({"uploads/../../escape.jpg": b"x"}, (), "points outside the folder"),
        ({"/etc/cron.d/evil": b"x"}, (), "is an absolute path"),
        ({"C:/Windows/evil.jpg": b"x"}, (), "is an absolute path"),
        ({}, ("uploads/2020/05/boat.jpg",), "is a symbolic link"),
    ],
)
def test_an_unsafe_zip_is_refused(editor_client, private_folder, entries, symlinks, message):
    response = start_dry_run(editor_client, two_stories(), zip_upload(entries, symlinks=symlinks))

    assert response.status_code == 400
    assert message in response.text
    assert nothing_imported(private_folder)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(editor_client, private_folder, settings):
    settings.WORDPRESS_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = zip_upload({f"uploads/{n}.jpg": bytes(600 * 1024) for n in range(2)})
    assert bomb.size < 10 * 1024  # Small to upload, large to unpack.

    response = start_dry_run(editor_client, two_stories(), bomb)

    assert response.status_code == 400
    assert "unpacks to more than 1.0" in response.text
    assert nothing_imported(private_folder)


def test_a_file_that_is_not_a_zip_is_refused(editor_client, private_folder):
    response = start_dry_run(editor_client, two_stories(), SimpleUploadedFile("uploads.zip", b"not a zip"))

    assert response.status_code == 400
    assert "not a readable zip" in response.text
    assert nothing_imported(private_folder)


def test_a_broken_export_ends_failed_with_its_reason_and_imports_nothing(editor_client, private_folder):
    broken = wxr(item(1, title="Harbour"))[:-60].encode()

    start_dry_run(editor_client, SimpleUploadedFile("gazette.xml", broken))

    job = ImportJob.objects.get()
    page = editor_client.get(f"{START}{job.pk}/").text
    assert job.status == "failed" and "gazette.xml: line" in job.error
    assert "gazette.xml: line" in page and str(folder_path(job.folder)) not in page
    assert not NewsArticlePage.objects.exists() and not folder_path(job.folder).exists()


# One import at a time per site.


def active_job(site, **fields) -> ImportJob:
    return ImportJob.objects.create(
        site=site, folder="0" * 32, export_name="other.xml", status="running", **fields
    )


def test_a_second_import_while_one_runs_is_refused(editor_client, site, private_folder):
    running = active_job(site, heartbeat_at=timezone.now())

    response = start_dry_run(editor_client, two_stories())

    assert response.status_code == 409
    assert "An import is already running on this site" in response.text
    assert list(ImportJob.objects.all()) == [running]
    assert not any(private_folder.glob("*/*"))


def test_the_database_refuses_a_second_active_import_for_a_site(site):
    active_job(site)

    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(site=site, folder="1" * 32, export_name="b.xml", status="queued")
    ImportJob.objects.create(site=site, folder="2" * 32, export_name="c.xml", status="done")
    assert ImportJob.objects.count() == 2


def test_importing_for_real_while_another_import_runs_is_refused(editor_client, site):
    start_dry_run(editor_client, two_stories())
    dry_run = ImportJob.objects.get()
    active_job(site)

    response = editor_client.post(f"{START}{dry_run.pk}/import/", follow=True)

    assert "An import is already running on this site" in response.text
    assert not NewsArticlePage.objects.exists()


# A worker that died.


def test_a_stalled_import_resumes_where_it_stopped(editor_client, settings):
    start_dry_run(editor_client, export_upload(item(1, title="Harbour reopens")))
    first = ImportJob.objects.get()
    editor_client.post(f"{START}{first.pk}/import/")
    assert NewsArticlePage.objects.count() == 1
    # The same export with a second story, stopped by a worker's death after the first.
    start_dry_run(
        editor_client, export_upload(item(1, title="Harbour reopens"), item(2, title="Tide tables"))
    )
    dry_run = ImportJob.objects.filter(dry_run=True).first()
    long_ago = timezone.now() - timedelta(seconds=settings.WORDPRESS_IMPORT_STALE_AFTER + 60)
    stalled = ImportJob.objects.create(
        site=dry_run.site,
        dry_run=False,
        folder=dry_run.folder,
        export_name=dry_run.export_name,
        status="running",
        phase="Importing items",
        done=1,
        total=2,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    assert editor_client.get(f"{START}{stalled.pk}/progress/").json()["stale"] is True
    assert "Resume" in editor_client.get(f"{START}{stalled.pk}/").text

    editor_client.post(f"{START}{stalled.pk}/resume/")

    stalled.refresh_from_db()
    assert stalled.status == "done"
    assert stalled.report["counts"]["post"] == {"published": 1, "unchanged": 1}
    assert NewsArticlePage.objects.count() == 2


def test_an_import_that_is_alive_is_not_resumed_twice(editor_client, site):
    running = active_job(site, heartbeat_at=timezone.now())

    response = editor_client.post(f"{START}{running.pk}/resume/", follow=True)

    assert "not stalled" in response.text
    running.refresh_from_db()
    assert running.status == "running"


def test_discarding_a_dry_run_removes_its_files(editor_client):
    start_dry_run(editor_client, two_stories())
    dry_run = ImportJob.objects.get()
    assert folder_path(dry_run.folder).is_dir()

    editor_client.post(f"{START}{dry_run.pk}/discard/")

    assert not folder_path(dry_run.folder).exists()
    assert editor_client.post(f"{START}{dry_run.pk}/import/").status_code == 302
    assert not ImportJob.objects.filter(dry_run=False).exists()


def test_the_actions_need_the_csrf_token(home_page, site):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member_of("Editors", "erin"))
    job = active_job(site)

    assert csrf_client.post(f"{START}{job.pk}/resume/").status_code == 403
    assert csrf_client.post(START, {"export": two_stories()}).status_code == 403
