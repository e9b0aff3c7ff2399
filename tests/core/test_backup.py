"""A backup taken, the site changed or wiped, the backup restored: the site is as it was.

Runs on the database the suite runs on: SQLite's path in a plain `make test`,
PostgreSQL's (pg_dump/psql) when DATABASE_URL points there.
"""

import hashlib
import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest
import wagtail_factories
from django_comments_xtd.models import XtdComment

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from discussion.models import ReaderCommentSettings
from news.models import Author, StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
    home_page_with_site,
)


def snapshot() -> dict:
    images = get_image_model().objects.order_by("pk")
    return {
        "pages": list(Page.objects.order_by("path").values_list("pk", "path", "title", "slug", "live")),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "object_id", "content")),
        "images": [(image.pk, image.title, image.file.name) for image in images],
        "image files": {
            image.file.name: default_storage.open(image.file.name).read()
            if default_storage.exists(image.file.name)
            else None
            for image in images
        },
        "authors": list(Author.objects.order_by("pk").values_list("pk", "name", "slug")),
        "bylines": list(StoryAuthor.objects.values_list("page_id", "author_id")),
        "comments": list(
            XtdComment.objects.order_by("pk").values_list(
                "pk", "object_pk", "comment", "thread_id", "parent_id"
            )
        ),
        "settings": list(ReaderCommentSettings.objects.values_list("site_id", "max_links", "blocklist")),
        "sites": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(home_page_tree, tmp_path):
    before = snapshot()
    assert before["images"] and before["comments"] and before["revisions"]
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive))

    # What an accident might do: pages, comments and settings gone or changed, a media file lost.
    Page.objects.get(slug="to-be-lost").delete()
    XtdComment.objects.all().delete()
    Author.objects.update(name="Renamed")
    ReaderCommentSettings.objects.update(max_links=99, blocklist="")
    image_file = before["images"][0][2]
    default_storage.delete(image_file)
    assert snapshot() != before

    call_command("restore", str(archive))
    assert snapshot() == before


def test_restore_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_backup_file_is_readable_by_its_owner_only(django_db_setup, django_db_blocker, tmp_path, monkeypatch):
    """It holds every password hash and draft: mode 0600 whatever the umask, and so is the dump on the way."""
    from core import backup as backups

    dump_modes = []
    dump_database = backups.dump_database

    def recording(folder):
        name = dump_database(folder)
        dump_modes.append(os.stat(folder / name).st_mode & 0o777)
        return name

    monkeypatch.setattr(backups, "dump_database", recording)
    previous = os.umask(0o022)
    try:
        with django_db_blocker.unblock():
            call_command("backup", output=str(tmp_path / "backups" / "site.tar.gz"))
    finally:
        os.umask(previous)
    assert (tmp_path / "backups" / "site.tar.gz").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert dump_modes == [0o600]
    assert [path.name for path in (tmp_path / "backups").iterdir()] == ["site.tar.gz"]


# A backup taken, then the site changed: a story and an author added, a media file edited.
# A refused restore must leave all of that as it is.


def put(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


@pytest.fixture(scope="module")
def backup_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the committed database: SQLite's backup API waits for an open test transaction."""
    put("notes/kept.txt", b"in the backup")
    archive = tmp_path_factory.mktemp("backup") / "site.tar.gz"
    with django_db_blocker.unblock():
        call_command("backup", output=str(archive))
    return archive


@pytest.fixture
def changed_after_backup(db, backup_archive):
    AuthorFactory(name="Added after the backup")
    put("notes/kept.txt", b"edited after the backup")
    return backup_archive


def assert_nothing_changed() -> None:
    assert Author.objects.filter(name="Added after the backup").exists()
    assert default_storage.open("notes/kept.txt").read() == b"edited after the backup"


def rewrite(archive: Path, change, keep_sums: bool = False) -> Path:
    """A copy of the backup with `change(members, manifest)` applied; the manifest's sums follow the
    change (as a forger would make them) unless `keep_sums`."""
    members = []
    with tarfile.open(archive, "r:gz") as source:
        for info in source:
            data = source.extractfile(info).read() if info.isreg() else b""
            members.append([info, data])
    manifest = json.loads(next(data for info, data in members if info.name == "manifest.json"))
    members = [member for member in members if member[0].name != "manifest.json"]
    change(members, manifest)
    if not keep_sums:
        manifest["members"] = {
            info.name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for info, data in members
            if info.isreg()
        }
    text = json.dumps(manifest).encode()
    info = tarfile.TarInfo("manifest.json")
    info.size = len(text)
    members.append([info, text])
    forged = archive.with_name("forged.tar.gz")
    with tarfile.open(forged, "w:gz") as target:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            target.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return forged


def member(name: str, data: bytes = b"x", kind: bytes = tarfile.REGTYPE, link: str = "") -> list:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return [info, data]


def change_bytes(name_start: str):
    def change(members, manifest):
        for entry in members:
            if entry[0].name.startswith(name_start):
                entry[1] = entry[1][:-1] + bytes([entry[1][-1] ^ 1])

    return change


TAMPERED = {
    "a media file's bytes changed": (
        lambda archive: rewrite(archive, change_bytes("media/notes/kept"), keep_sums=True),
        "does not match its size and SHA-256",
    ),
    "the database's bytes changed": (
        lambda archive: rewrite(archive, change_bytes("database."), keep_sums=True),
        "does not match its size and SHA-256",
    ),
    "a member added": (
        lambda archive: rewrite(
            archive, lambda members, manifest: members.append(member("media/extra.txt")), keep_sums=True
        ),
        "'media/extra.txt' in the backup is not listed in its manifest",
    ),
    "a member removed": (
        lambda archive: rewrite(
            archive,
            lambda members, manifest: members.remove(
                next(entry for entry in members if entry[0].name == "media/notes/kept.txt")
            ),
            keep_sums=True,
        ),
        "'media/notes/kept.txt' is listed in the backup's manifest but missing",
    ),
    "a member named with ../": (
        lambda archive: rewrite(
            archive, lambda members, manifest: members.append(member("media/../../escaped.txt"))
        ),
        "points outside the media folder",
    ),
    "a member named ../ at the top": (
        lambda archive: rewrite(archive, lambda members, manifest: members.append(member("../escaped.txt"))),
        "points outside the media folder",
    ),
    "a member with an absolute path": (
        lambda archive: rewrite(
            archive, lambda members, manifest: members.append(member("/etc/escaped.txt"))
        ),
        "points outside the media folder",
    ),
    "a symbolic link": (
        lambda archive: rewrite(
            archive,
            lambda members, manifest: members.append(
                member("media/notes/link.txt", b"", tarfile.SYMTYPE, "/etc/passwd")
            ),
        ),
        "'media/notes/link.txt' in the backup is a symbolic link",
    ),
    "a hard link": (
        lambda archive: rewrite(
            archive,
            lambda members, manifest: members.append(
                member("media/notes/hard.txt", b"", tarfile.LNKTYPE, "/etc/passwd")
            ),
        ),
        "is a hard link",
    ),
    "a device file": (
        lambda archive: rewrite(
            archive, lambda members, manifest: members.append(member("media/disk", b"", tarfile.BLKTYPE))
        ),
        "is a device file",
    ),
    "a member twice": (
        lambda archive: rewrite(
            archive, lambda members, manifest: members.append(member("media/notes/kept.txt", b"forged"))
        ),
        "appears twice",
    ),
    "no manifest": (
        lambda archive: _write(archive, _without_manifest(archive)),
        "holds no manifest.json",
    ),
    "a manifest of the old format, without sums": (
        lambda archive: rewrite(archive, lambda members, manifest: manifest.update(format=1), keep_sums=True),
        "format 1",
    ),
    "the other database's kind": (
        lambda archive: rewrite(archive, _other_engine),
        "database; the site runs on",
    ),
    "not a .tar.gz": (
        lambda archive: _write(archive, b"hello"),
        "not a readable .tar.gz",
    ),
    "cut short": (
        lambda archive: _write(archive, archive.read_bytes()[: archive.stat().st_size // 2]),
        "",
    ),
}


def _write(archive: Path, data: bytes) -> Path:
    forged = archive.with_name("forged.tar.gz")
    forged.write_bytes(data)
    return forged


def _without_manifest(archive: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(archive, "r:gz") as source, tarfile.open(fileobj=buffer, mode="w:gz") as target:
        for info in source:
            if info.name != "manifest.json":
                target.addfile(info, source.extractfile(info))
    return buffer.getvalue()


def _other_engine(members, manifest):
    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    name = {"sqlite": "database.sqlite3", "postgresql": "database.sql"}[other]
    for entry in members:
        if entry[0].name.startswith("database."):
            entry[0].name = name
    manifest.update(engine=other, database=name)


@pytest.mark.parametrize("tamper", list(TAMPERED), ids=list(TAMPERED))
def test_restore_refuses_a_tampered_backup_before_changing_anything(changed_after_backup, tamper):
    forge, message = TAMPERED[tamper]
    forged = forge(changed_after_backup)
    with pytest.raises(CommandError, match="Nothing was changed") as refused:
        call_command("restore", str(forged))
    assert message in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert_nothing_changed()
    assert not default_storage.exists("notes/link.txt")
    assert not default_storage.exists("extra.txt")


def test_restore_refuses_a_postgresql_dump_that_runs_a_program(changed_after_backup):
    """psql would run COPY ... TO PROGRAM if the role may (a superuser may): it never gets that far."""
    if connection.vendor != "postgresql":
        pytest.skip("The dump is checked statement by statement only on PostgreSQL (SQLite has no COPY).")
    marker = Path(f"/tmp/newsroom-backup-{uuid.uuid4().hex}")  # noqa: S108 - written by the server, if run

    def inject(members, manifest):
        for entry in members:
            if entry[0].name == "database.sql":
                preamble, rest = entry[1].decode().split("SET row_security = off;\n", 1)
                payload = f"COPY (SELECT 1) TO PROGRAM 'touch {marker}';\n"
                entry[1] = (preamble + "SET row_security = off;\n" + payload + rest).encode()

    forged = rewrite(changed_after_backup, inject)
    with pytest.raises(CommandError, match="runs a program: COPY \\(SELECT 1\\) TO PROGRAM"):
        call_command("restore", str(forged))
    assert not marker.exists()
    assert_nothing_changed()


@pytest.fixture
def home_page_tree(django_db_setup, django_db_blocker):
    """Content built in a committed transaction (pg_dump sees only committed rows).

    `transaction=True` tests flush the tables afterwards, so the tree is made here.
    """
    home = home_page_with_site("home-backup")
    section = CategoryIndexPageFactory(parent=home, title="Health")
    image = wagtail_factories.ImageFactory(title="A photo")
    author = AuthorFactory(name="Maria Lopez")
    article = NewsArticlePageFactory(parent=section, title="Kept story", lead_image=image)
    article.save_revision().publish()
    StoryAuthor.objects.create(page=article, author=author)
    lost = NewsArticlePageFactory(parent=section, title="To be lost")
    lost.save_revision().publish()
    comment = ReaderCommentFactory(article=article, comment="First")
    ReaderCommentFactory(parent=comment, comment="Reply")
    site_settings = ReaderCommentSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.max_links = 4
    site_settings.blocklist = "casino"
    site_settings.save()
    return home
