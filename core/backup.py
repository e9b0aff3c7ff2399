"""Backups of the whole site: the database (SQLite or PostgreSQL) and the uploaded media, in one file.

Each database is copied with its own tool, which keeps everything, Wagtail's
tree, revisions and sequences included, exactly: SQLite's online backup API,
PostgreSQL's pg_dump (a plain SQL script, put back with psql). Media go through
Django's storage API, so any storage backend works.

The archive is a .tar.gz of regular files only: the database, `media/<name>`
for each media file and, last, `manifest.json`, which lists every other member
with its size and SHA-256 and names the database kind. A backup file can be
swapped or edited by anyone who can write where backups are kept, so `restore`
checks the whole archive (layout, sums, member types and paths and, for
PostgreSQL, every statement of the dump) before it changes anything, and puts
the media back only once the database is restored.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.db import connection

# 1: no checksums (refused: it cannot be verified). 2: manifest of SHA-256 sums, plain SQL for PostgreSQL.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.sql"}
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


class BackupRefused(BackupError):
    """The archive failed a check made before anything was changed."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
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


def media_count(manifest: dict) -> int:
    return sum(name.startswith("media/") for name in manifest["members"])


def private_file(path: Path) -> Path:
    """An empty file only its owner can read: dumps hold every password hash and draft."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/psql from Django's settings: the site's own role, never another."""
    settings = connection.settings_dict
    options = ["--no-password", "--dbname", settings["NAME"]]
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


def run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is missing (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# Writing a backup


def dump_database(folder: Path) -> str:
    kind = engine()
    target = private_file(folder / DATABASE_FILES[kind])
    if kind == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return target.name
    options, env = postgres_environment()
    run(
        [
            "pg_dump",
            "--format=plain",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--no-tablespaces",
            "--no-publications",
            "--no-subscriptions",
            "--no-security-labels",
            "--file",
            str(target),
            *options,
        ],
        env,
    )
    # A dump restore would refuse is no backup: say so now, not on the day it is needed.
    check_postgres_dump(target)
    return target.name


class _Hashing:
    """A file wrapper that sums what tarfile reads from it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, handle: BinaryIO, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    hashing = _Hashing(handle)
    archive.addfile(info, hashing)
    return {"size": size, "sha256": hashing.sha256.hexdigest()}


def backup(output: Path) -> dict:
    """Write the database and media to `output` (.tar.gz, mode 0600); returns the manifest."""
    kind = engine()
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        database_path = Path(tmp) / dump_database(Path(tmp))
        # Written beside the target and renamed into place: never a half-written backup under its name.
        descriptor, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    with database_path.open("rb") as handle:
                        members[database_path.name] = _add(
                            archive, database_path.name, handle, database_path.stat().st_size
                        )
                    for name in media_files():
                        with default_storage.open(name, "rb") as handle:
                            members[f"media/{name}"] = _add(
                                archive, f"media/{name}", handle, default_storage.size(name)
                            )
                    manifest = {
                        "format": FORMAT_VERSION,
                        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "engine": kind,
                        "database": database_path.name,
                        "members": members,
                    }
                    data = json.dumps(manifest, indent=2).encode()
                    archive.addfile(_manifest_info(len(data)), io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


def _manifest_info(size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(MANIFEST)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    return info


# Checking a backup


def _member_kind(info: tarfile.TarInfo) -> str | None:
    """What a member is when it is not a regular file (backups hold nothing else)."""
    if info.isreg():
        return None
    if info.issym():
        return "a symbolic link"
    if info.islnk():
        return "a hard link"
    if info.isdev():
        return "a device file"
    if info.isdir():
        return "a directory"
    return "not a regular file"


def _check_member_name(name: str) -> None:
    if name in (MANIFEST, *DATABASE_FILES.values()):
        return
    relative = name.removeprefix("media/")
    parts = relative.split("/")
    outside = (
        not name.startswith("media/")
        or relative.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or any(ord(char) < 32 or char == "\\" for char in relative)
    )
    if not outside:
        try:
            validate_file_name(relative, allow_relative_path=True)
        except SuspiciousFileOperation:
            outside = True
    if outside:
        raise BackupRefused(f"{name!r} in the backup points outside the media folder.")


def _read_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupRefused(f"Its {MANIFEST} is not valid JSON ({exc}).") from exc
    if not isinstance(manifest, dict):
        raise BackupRefused(f"Its {MANIFEST} is not a backup manifest.")
    version = manifest.get("format")
    if version == 1:
        raise BackupRefused(
            "It was written by an earlier version of `manage.py backup`, without checksums "
            "(format 1), so it cannot be verified. Take a new backup with this version."
        )
    if version != FORMAT_VERSION:
        raise BackupRefused(f"Unknown backup format {version!r}.")
    members = manifest.get("members")
    valid = isinstance(members, dict) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        for entry in members.values()
    )
    if not valid or not isinstance(manifest.get("created"), str):
        raise BackupRefused(f"Its {MANIFEST} does not list the members with their sizes and SHA-256 sums.")
    kind = manifest.get("engine")
    if kind not in DATABASE_FILES or manifest.get("database") != DATABASE_FILES[kind]:
        raise BackupRefused(f"Its {MANIFEST} names no database this site can restore.")
    return manifest


def _extract(archive: tarfile.TarFile, info: tarfile.TarInfo, target: Path) -> tuple[int, str]:
    """Copy a member to a private file; returns its size and SHA-256 as read."""
    sha256 = hashlib.sha256()
    size = 0
    source = archive.extractfile(info)
    with source, os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        while chunk := source.read(CHUNK):
            sha256.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return size, sha256.hexdigest()


def verify(path: Path, folder: Path) -> tuple[dict, dict[str, Path]]:
    """Check the whole archive and copy its members into `folder`; nothing else is touched.

    The copies are what gets restored, so a file changed after the check changes nothing.
    Returns the manifest and each member's copy.
    """
    copies: dict[str, Path] = {}
    found: dict[str, tuple[int, str]] = {}
    manifest_data: bytes | None = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for number, info in enumerate(archive):
                name = info.name
                kind = _member_kind(info)
                if kind:
                    raise BackupRefused(f"{name!r} in the backup is {kind}; backups hold regular files.")
                _check_member_name(name)
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise BackupRefused(f"{name!r} appears twice in the backup.")
                if name == MANIFEST:
                    if info.size > MAX_MANIFEST_BYTES:
                        raise BackupRefused(f"Its {MANIFEST} is too large to be a manifest.")
                    manifest_data = archive.extractfile(info).read()
                    continue
                copies[name] = folder / f"member-{number}"
                found[name] = _extract(archive, info, copies[name])
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupRefused(f"It is not a readable .tar.gz ({exc}).") from exc
    except OSError as exc:  # gzip's BadGzipFile among them
        raise BackupRefused(f"It could not be read as a .tar.gz ({exc}).") from exc
    if manifest_data is None:
        raise BackupRefused(f"It holds no {MANIFEST}: it was not written by `manage.py backup`.")
    manifest = _read_manifest(manifest_data)
    listed = manifest["members"]
    for name in found:
        if name not in listed:
            raise BackupRefused(f"{name!r} in the backup is not listed in its manifest.")
    for name, entry in listed.items():
        _check_member_name(name)
        if name not in found:
            raise BackupRefused(f"{name!r} is listed in the backup's manifest but missing from it.")
        if found[name] != (entry["size"], entry["sha256"]):
            raise BackupRefused(
                f"{name!r} in the backup does not match its size and SHA-256 in the manifest."
            )
    database = manifest["database"]
    if {name for name in listed if not name.startswith("media/")} != {database}:
        raise BackupRefused(f"It should hold one database, {database}, besides its media.")
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupRefused(f"It holds a {manifest['engine']} database; the site runs on {kind}.")
    if kind == "sqlite":
        check_sqlite_file(copies[database])
    else:
        check_postgres_dump(copies[database])
    return manifest, copies


def check_sqlite_file(path: Path) -> None:
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchall()
            tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            database.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"Its database is not a valid SQLite database ({exc}).") from exc
    if result != [("ok",)] or "django_migrations" not in tables:
        raise BackupRefused("Its database is damaged or is not this site's.")


# Checking a PostgreSQL dump: psql runs the script as it reads it, so every statement is
# read here first, the way psql splits them, and only the kinds pg_dump writes for this
# site's tables pass. Anything unusual is refused rather than interpreted: psql
# meta-commands and variables, dollar quoting, escape strings, backslashes.

_RESTRICT = re.compile(r"\\(un)?restrict [A-Za-z0-9]+\r?")
_WORD = re.compile(r"[A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+")
_SETTINGS = {
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "transaction_timeout",
    "client_encoding",
    "standard_conforming_strings",
    "check_function_bodies",
    "xmloption",
    "client_min_messages",
    "row_security",
    "default_tablespace",
    "default_table_access_method",
    "default_with_oids",
}
_ENCODINGS = re.compile(r"UTF-?8|UNICODE|SQL_ASCII|LATIN[0-9]+")
# Built-in functions that reach outside the database or run a query given as text.
_FUNCTIONS = {
    "lo_import",
    "lo_export",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "pg_stat_file",
    "pg_file_write",
    "set_config",
    "pg_reload_conf",
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_sleep",
    "query_to_xml",
    "query_to_xml_and_xmlschema",
    "query_to_xmlschema",
    "cursor_to_xml",
    "dblink",
    "dblink_exec",
    "dblink_connect",
}


class _Token(NamedTuple):
    kind: str  # word (upper-cased), ident (a quoted name), str, num, or the punctuation mark itself
    text: str
    raw: str = ""  # as written, for messages


def _refuse(line: int, reason: str) -> BackupRefused:
    return BackupRefused(f"Its PostgreSQL dump {reason} (line {line}), which no backup of this site holds.")


class _DumpScanner:
    """Splits a pg_dump script into statements and COPY data as psql does."""

    def __init__(self) -> None:
        self.tokens: list[_Token] = []
        self.start = 0
        self.depth = 0
        self.comment = 0  # nesting depth of /* */
        self.quote: str | None = None  # ' or " while inside a literal or quoted name
        self.quoted = ""
        self.copying = False
        self.line = 0

    def feed(self, text: str) -> None:
        self.line += 1
        if self.copying:
            # psql sends lines to COPY until "\." alone on a line: data, never run.
            self.copying = text.rstrip("\n") not in ("\\.", "\\.\r")
            return
        if not self.tokens and not self.comment and not self.quote and _RESTRICT.fullmatch(text.rstrip("\n")):
            return  # pg_dump's own guard against meta-commands hidden in the data
        if "\0" in text:
            raise _refuse(self.line, "holds a NUL byte")
        position = 0
        while position < len(text):
            position = self._step(text, position)
            if self.copying:
                if text[position:].strip():
                    raise _refuse(self.line, "has text after a COPY statement on its line")
                return

    def _step(self, text: str, i: int) -> int:
        if self.comment:
            close, opening = text.find("*/", i), text.find("/*", i)
            if opening != -1 and (close == -1 or opening < close):
                self.comment += 1
                return opening + 2
            if close == -1:
                return len(text)
            self.comment -= 1
            return close + 2
        if self.quote:
            end = text.find(self.quote, i)
            if end == -1:
                self._quoted_part(text[i:])
                return len(text)
            if text.startswith(self.quote * 2, end):
                self._quoted_part(text[i : end + 1])
                return end + 2
            self._quoted_part(text[i:end])
            kind = "str" if self.quote == "'" else "ident"
            self._token(
                kind,
                self.quoted,
                self.quote + self.quoted[:20] + ("…" if len(self.quoted) > 20 else "") + self.quote,
            )
            self.quote = None
            return end + 1
        char = text[i]
        if char.isspace():
            return i + 1
        if text.startswith("--", i):
            return len(text)
        if text.startswith("/*", i):
            self.comment = 1
            return i + 2
        if char in "'\"":
            if i and (_WORD.fullmatch(text[i - 1]) or text[i - 1] in "&0123456789"):
                raise _refuse(self.line, "has a prefixed string (E'', U&'' and the like)")
            self.quote, self.quoted = char, ""
            return i + 1
        if match := _WORD.match(text, i):
            self._token("word", match.group().upper(), match.group())
            return match.end()
        if match := _NUMBER.match(text, i):
            self._token("num", match.group())
            return match.end()
        if text.startswith("::", i):
            self._token("::", "::")
            return i + 2
        if char == ":" and re.match(r"[A-Za-z0-9_\x80-\xff'\"{]", text[i + 1 : i + 2]):
            raise _refuse(self.line, "uses a psql variable")
        if char == "$":
            raise _refuse(self.line, "has dollar-quoted text (a function body or DO block)")
        if char == "\\":
            raise _refuse(self.line, "has a psql meta-command")
        if char == "(":
            self.depth += 1
        elif char == ")":
            self.depth -= 1
            if self.depth < 0:
                raise _refuse(self.line, "has an unbalanced parenthesis")
        elif char == ";" and self.depth == 0:
            self._statement()
            return i + 1
        self._token(char, char)
        return i + 1

    def _quoted_part(self, part: str) -> None:
        if "\\" in part:
            raise _refuse(self.line, "has a backslash in a quoted string")
        self.quoted += part.replace(self.quote * 2, self.quote)

    def _token(self, kind: str, text: str, raw: str = "") -> None:
        if not self.tokens:
            self.start = self.line
        self.tokens.append(_Token(kind, text, raw or text))

    def _statement(self) -> None:
        tokens, self.tokens = self.tokens, []
        if tokens:
            self.copying = _check_statement(tokens, self.start)

    def finish(self) -> None:
        if self.copying:
            raise _refuse(self.line, "ends inside COPY data")
        if self.tokens or self.comment or self.quote or self.depth:
            raise _refuse(self.line, "ends inside a statement")


def _excerpt(tokens: list[_Token]) -> str:
    """The statement's first words as written, for a message."""
    text = ""
    for token in tokens[:10]:
        glued = text.endswith(("(", ".")) or token.kind in (")", ",", ".", "::") or text.endswith("::")
        text += ("" if glued or not text else " ") + token.raw
    return text + (" …" if len(tokens) > 10 else "")


def _words(tokens: list[_Token]) -> list[str]:
    return [token.text if token.kind == "word" else token.kind for token in tokens]


def _name_end(tokens: list[_Token], start: int) -> int:
    """Index after a possibly schema-qualified name starting at `start` (or `start` if none)."""
    end = start
    while end < len(tokens) and tokens[end].kind in ("word", "ident"):
        end += 1
        if end < len(tokens) - 1 and tokens[end].kind == "." and tokens[end + 1].kind in ("word", "ident"):
            end += 1
            continue
        break
    return end


def _is_copy_from_stdin(tokens: list[_Token]) -> bool:
    """COPY name (column, ...) FROM stdin, the only COPY pg_dump writes."""
    words = _words(tokens)
    end = _name_end(tokens, 1)
    if words[:1] != ["COPY"] or end == 1 or words[end : end + 1] != ["("] or words[-2:] != ["FROM", "STDIN"]:
        return False
    columns = tokens[end + 1 : -3]
    return (
        words[-3] == ")"
        and len(columns) % 2 == 1
        and all(token.kind in ("word", "ident") for token in columns[::2])
        and all(token.kind == "," for token in columns[1::2])
    )


def _allowed_shape(tokens: list[_Token]) -> bool:
    words = _words(tokens)
    head = words[:3]
    if words[0] == "SET":
        return (
            len(tokens) == 4
            and tokens[1].kind == "word"
            and tokens[1].text.lower() in _SETTINGS
            and words[2] in ("=", "TO")
            and tokens[3].kind in ("word", "num", "str")
            and (tokens[1].text != "STANDARD_CONFORMING_STRINGS" or words[3] == "ON")
            # psql reads multi-byte encodings such as SJIS differently: a quote can hide in a character.
            and (tokens[1].text != "CLIENT_ENCODING" or _ENCODINGS.fullmatch(tokens[3].text.upper()))
        )
    if words[0] == "SELECT":
        if [token[:2] for token in tokens] == [
            ("word", "SELECT"),
            ("word", "PG_CATALOG"),
            (".", "."),
            ("word", "SET_CONFIG"),
            ("(", "("),
            ("str", "search_path"),
            (",", ","),
            ("str", ""),
            (",", ","),
            ("word", "FALSE"),
            (")", ")"),
        ]:
            return True
        return (
            words[:5] == ["SELECT", "PG_CATALOG", ".", "SETVAL", "("]
            and len(tokens) == 11
            and [token.kind for token in tokens[5:]] == ["str", ",", "num", ",", "word", ")"]
            and words[9] in ("TRUE", "FALSE")
        )
    if head[:2] == ["CREATE", "TABLE"]:
        end = _name_end(tokens, 2)
        # A column list and nothing after it: no CREATE TABLE ... AS SELECT, no PARTITION OF.
        return end > 2 and words[end : end + 1] == ["("] and _closes_at_end(words, end)
    if head[:2] in (["CREATE", "INDEX"], ["CREATE", "SEQUENCE"]) or head == ["CREATE", "UNIQUE", "INDEX"]:
        return True
    if head[:2] == ["ALTER", "TABLE"]:
        index = 2
        for optional in (["IF", "EXISTS"], ["ONLY"]):
            if words[index : index + len(optional)] == optional:
                index += len(optional)
        action = words[_name_end(tokens, index) :]
        if action[:2] in (["ADD", "CONSTRAINT"], ["DROP", "CONSTRAINT"]):
            return True
        if action[:2] == ["ALTER", "COLUMN"] and len(action) > 3:
            return action[3:5] in (["SET", "DEFAULT"], ["DROP", "DEFAULT"], ["ADD", "GENERATED"])
        return False
    if head[:2] == ["ALTER", "SEQUENCE"]:
        end = _name_end(tokens, 2)
        return words[end : end + 2] == ["OWNED", "BY"]
    if words[0] == "DROP":
        return words[1:2] in (["TABLE"], ["INDEX"], ["SEQUENCE"]) and words[2:4] == ["IF", "EXISTS"]
    if head[:2] == ["COMMENT", "ON"]:
        return words[2] in ("TABLE", "COLUMN", "INDEX", "SEQUENCE", "CONSTRAINT") and words[-2] == "IS"
    return False


def _closes_at_end(words: list[str], opening: int) -> bool:
    depth = 0
    for index, word in enumerate(words[opening:], opening):
        depth += {"(": 1, ")": -1}.get(word, 0)
        if depth == 0:
            return index == len(words) - 1
    return False


def _check_statement(tokens: list[_Token], line: int) -> bool:
    """Refuses a statement pg_dump does not write for this site; True when COPY data follows."""
    words = _words(tokens)
    shown = _excerpt(tokens)
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text == "PROGRAM" and words[index - 1] in ("TO", "FROM"):
            raise _refuse(line, f"runs a program: {shown}")
        name = token.text.lower()
        calls = index + 1 < len(tokens) and tokens[index + 1].kind == "("
        if token.kind in ("word", "ident") and name in _FUNCTIONS and calls and words[0] != "SELECT":
            raise _refuse(line, f"calls {name}(): {shown}")
    if words[0] == "COPY":
        if _is_copy_from_stdin(tokens):
            return True
        raise _refuse(line, f"has a COPY statement other than table data: {shown}")
    if not _allowed_shape(tokens):
        raise _refuse(line, f"has the statement {shown}")
    return False


def _lines(path: Path) -> Iterator[str]:
    # Byte-wise (latin-1) on "\n" only, as psql reads it: UTF-8 never hides an ASCII byte.
    with path.open("rb") as handle:
        for raw in handle:
            yield raw.decode("latin-1")


def check_postgres_dump(path: Path) -> None:
    scanner = _DumpScanner()
    for text in _lines(path):
        scanner.feed(text)
    scanner.finish()


# Restoring


def restore_database(path: Path) -> None:
    if engine() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        # One step: the site's database is replaced whole or not at all.
        source.backup(connection.connection)
        source.close()
        return
    # The script drops and recreates every table: Django's own connection must not hold a lock.
    connection.close()
    options, env = postgres_environment()
    run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--file",
            str(path),
            *options,
        ],
        env,
    )


def restore_media(manifest: dict, copies: dict[str, Path]) -> None:
    for member in manifest["members"]:
        if not member.startswith("media/"):
            continue
        name = member.removeprefix("media/")
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
            with copies[member].open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=name))
        except (OSError, SuspiciousFileOperation) as exc:
            raise BackupError(f"The database was restored, but media file {name} was not: {exc}") from exc
        if saved != name:
            raise BackupError(f"The database was restored, but media file {name} was saved as {saved}.")


def restore(path: Path) -> dict:
    """Put the database and media of a backup back; media files not in the backup are left alone.

    Raises BackupRefused, having changed nothing, unless every check passes.
    """
    with tempfile.TemporaryDirectory() as tmp:
        manifest, copies = verify(path, Path(tmp))
        try:
            restore_database(copies[manifest["database"]])
        except BackupError as exc:
            # psql runs the script in one transaction, SQLite's backup API copies in one step.
            raise BackupError(f"{exc} The database was left as it was; no media file was touched.") from exc
        restore_media(manifest, copies)
    return manifest
