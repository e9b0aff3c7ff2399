"""Backups of the whole site: the database (SQLite or PostgreSQL) and the uploaded media, in one file.

Each database is copied with its own tool, which keeps everything, Wagtail's
tree, revisions and sequences included, exactly: SQLite's online backup API,
PostgreSQL's pg_dump/pg_restore. Media go through Django's storage API, so
any storage backend works. The archive is a .tar.gz holding `manifest.json`,
the database and `media/`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def media_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file in the storage, as names relative to its root."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += media_files(storage, f"{folder}/{sub}" if folder else sub)
    return names


def postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from Django's settings (password via the environment)."""
    settings = connection.settings_dict
    options = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        options += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        options += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        options += ["--username", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return options, env


def dump_database(folder: Path) -> str:
    if engine() == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return target.name
    target = folder / "database.pgdump"
    options, env = postgres_environment()
    run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *options], env)
    return target.name


def restore_database(path: Path) -> None:
    if engine() == "sqlite":
        if path.suffix != ".sqlite3":
            raise BackupError("This backup holds a PostgreSQL database; the site runs on SQLite.")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        source.backup(connection.connection)
        source.close()
        return
    if path.suffix != ".pgdump":
        raise BackupError("This backup holds a SQLite database; the site runs on PostgreSQL.")
    # pg_restore drops and recreates every table: Django's own connection must not hold a lock.
    connection.close()
    options, env = postgres_environment()
    run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *options,
            str(path),
        ],
        env,
    )


def run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is missing (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(output: Path) -> dict:
    """Write the database and media to `output` (.tar.gz); returns the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = dump_database(folder)
        names = media_files()
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "engine": engine(),
            "database": database,
            "media": names,
        }
        with tarfile.open(output, "w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            data = json.dumps(manifest, indent=2).encode()
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(folder / database, arcname=database)
            for name in names:
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return manifest


def restore(path: Path) -> dict:
    """Put the database and media of a backup back; media files not in the backup are left alone."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        database = manifest["database"]
        if "/" in database or database.startswith("."):
            raise BackupError("The backup's manifest names no database file.")
        target = Path(tmp) / database
        target.write_bytes(archive.extractfile(database).read())
        restore_database(target)
        for name in manifest["media"]:
            content = archive.extractfile(f"media/{name}").read()
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                raise BackupError(f"Media file {name} could not be restored under its own name.")
    return manifest
