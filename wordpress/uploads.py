"""The admin import's uploaded files: checked, kept privately, unpacked safely, removed.

Both files are untrusted. The export is checked for what can be told without
reading it all (a size, a start that is XML); the import's first pass refuses a
broken or foreign file before anything is written. The uploads zip is checked
entry by entry before a byte is unpacked: no path leaving the folder ('../',
absolute paths, drive letters), no symbolic links, and no more unpacked bytes
in all than WORDPRESS_IMPORT_MAX_UNPACKED_BYTES (a zip bomb). The files live
under WORDPRESS_IMPORT_DIR, outside MEDIA_ROOT, so no URL serves them.
"""

from __future__ import annotations

import shutil
import stat
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

EXPORT_FILE = "export.xml"
MEDIA_ZIP = "uploads.zip"
MEDIA_FOLDER = "uploads"
# How far into the export to look for its XML start (a byte-order mark, blank lines, comments).
SNIFF_BYTES = 4096
COPY_CHUNK = 1024 * 1024


class UploadRefused(Exception):
    """An upload that cannot be imported; the message says why, for the editor."""


def new_folder() -> str:
    name = uuid.uuid4().hex
    folder_path(name).mkdir(parents=True)
    return name


def folder_path(name: str) -> Path:
    # Folder names are ours (uuid4 hex); anything else never reaches the disk.
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
        raise ValueError(f"not an import folder name: {name!r}")
    return Path(settings.WORDPRESS_IMPORT_DIR) / name


def remove_folder(name: str) -> None:
    if name:
        shutil.rmtree(folder_path(name), ignore_errors=True)


def check_size(upload: UploadedFile, what: str) -> None:
    limit = settings.WORDPRESS_IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise UploadRefused(
            f"The {what} is {filesizeformat(upload.size)}, over the limit of {filesizeformat(limit)}."
        )


def check_export(upload: UploadedFile) -> None:
    """Refuse what is plainly not a WordPress export (an image, a zip, an HTML page)."""
    check_size(upload, "export")
    upload.seek(0)
    start = upload.read(SNIFF_BYTES)
    upload.seek(0)
    text = start.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff\x00 \t\r\n")
    if text.startswith(b"<") and b"\x00" in start[:SNIFF_BYTES]:
        return  # UTF-16: the reader decodes it; its first pass checks the rest.
    if not text.startswith(b"<") or not (b"<?xml" in start or b"<rss" in start):
        raise UploadRefused(
            "The export is not an XML file. Upload the file WordPress writes under Tools › Export."
        )


def check_media_zip(upload: UploadedFile) -> None:
    check_size(upload, "uploads zip")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _safe_members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise UploadRefused(f"The uploads file is not a readable zip ({exc}).") from exc
    finally:
        upload.seek(0)


def _safe_members(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Each entry with the relative path it unpacks to; UploadRefused for any unsafe entry."""
    limit = settings.WORDPRESS_IMPORT_MAX_UNPACKED_BYTES
    total = 0
    members = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        path = PurePosixPath(name)
        if path.is_absolute() or (path.parts and ":" in path.parts[0]):
            raise UploadRefused(f"The uploads zip is refused: {info.filename!r} is an absolute path.")
        if ".." in path.parts:
            raise UploadRefused(f"The uploads zip is refused: {info.filename!r} points outside the folder.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRefused(f"The uploads zip is refused: {info.filename!r} is a symbolic link.")
        total += info.file_size
        if total > limit:
            raise UploadRefused(
                f"The uploads zip is refused: it unpacks to more than {filesizeformat(limit)}."
            )
        if not info.is_dir() and path.parts:
            members.append((info, path))
    return members


def store(upload: UploadedFile, folder: str, name: str) -> None:
    with (folder_path(folder) / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


def export_path(folder: str) -> Path:
    return folder_path(folder) / EXPORT_FILE


def unpack_media(folder: str) -> Path | None:
    """The uploaded zip unpacked (once) beside it; the folder the importer reads images from.

    WordPress's uploads may be zipped from wp-content, from uploads or from
    inside it: images are looked up by their path after /uploads/.
    """
    base = folder_path(folder)
    archive_path = base / MEDIA_ZIP
    target = base / MEDIA_FOLDER
    if not archive_path.is_file():
        return None
    if not target.is_dir():
        partial = base / (MEDIA_FOLDER + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with zipfile.ZipFile(archive_path) as archive:
            for info, path in _safe_members(archive):
                destination = partial.joinpath(*path.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                # The declared sizes were checked; the reader stops at them.
                with archive.open(info) as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out, COPY_CHUNK)
        partial.mkdir(exist_ok=True)
        partial.rename(target)
    for candidate in (target / "wp-content" / "uploads", target / "uploads"):
        if candidate.is_dir():
            return candidate
    return target
