"""Media on S3-compatible object storage: public pictures, private documents.

Readers fetch pictures straight from the bucket (or a CDN in front of it) at
plain, stable addresses, which pages can be cached with. Documents stay private
objects: the bucket's policy (site/s3-public-read-policy.json) lets anonymous
readers get pictures only, and Wagtail's document view, once it has checked who
may read the document, redirects to a signed address that expires soon.
No ACL is sent with uploads: a bucket with ACLs disabled (AWS's default)
refuses most of them, and an object is private unless a policy opens it.

What S3 sends with a file comes from the object's metadata, set here when it
is stored; S3 cannot add a Content-Security-Policy, so the bucket's CDN must
(site/README.md).
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from django.conf import settings

from .media import is_document_name

# Content types by extension, for the formats Wagtail reads that Python's
# table may lack; anything unknown is a download (application/octet-stream).
CONTENT_TYPES = {".avif": "image/avif", ".heic": "image/heic", ".svg": "image/svg+xml", ".webp": "image/webp"}

# A document shown in the browser rather than downloaded, as Wagtail's own view decides.
DEFAULT_INLINE_DOCUMENT_TYPES = ("application/pdf", "text/plain")


def content_type_for(name: str) -> str:
    """The Content-Type a stored file is served with, from its name alone."""
    extension = posixpath.splitext(name)[1].lower()
    return CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class MediaStorage(S3Storage):
    """django-storages' S3 storage, with documents private and every file's type fixed by its name."""

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        params = super().get_object_parameters(name)
        # django-storages would otherwise take the type the uploading browser
        # declared, which anyone can set: a picture declared text/html would
        # open as a web page from the bucket.
        params["ContentType"] = content_type = content_type_for(name)
        if is_document_name(name):
            # Only a reader the app let through has the address; no cache on the way keeps it.
            params["CacheControl"] = "private, no-store"
            inline = getattr(settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", DEFAULT_INLINE_DOCUMENT_TYPES)
            if content_type not in inline:
                params["ContentDisposition"] = "attachment"
        elif content_type == "image/svg+xml":
            # An <img> shows it still; opened on its own, the browser downloads it
            # instead of running any script it holds.
            params["ContentDisposition"] = "attachment"
        return params

    def url(
        self, name: str, parameters: dict | None = None, expire: int | None = None, http_method=None
    ) -> str:
        if not is_document_name(name):
            return super().url(name, parameters, expire, http_method)
        # Signed against the bucket itself, whatever CDN serves the pictures:
        # a CDN would keep the file past the signature's life.
        params = {
            **(parameters or {}),
            "Bucket": self.bucket.name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=expire or settings.NEWSROOM_DOCUMENT_URL_EXPIRE,
            HttpMethod=http_method,
        )
