"""What the WordPress import created, keyed by the WordPress id.

The news and discussion models carry no WordPress fields: this table alone
remembers which page, comment, author or image came from which WordPress item,
so a second import of the same file (or the rest of an interrupted one) skips
what is already there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class WordPressKind(models.TextChoices):
    POST = "post", "Post"
    PAGE = "page", "Page"
    COMMENT = "comment", "Comment"
    AUTHOR = "author", "Author"
    CATEGORY = "category", "Category"
    IMAGE = "image", "Image (attachment)"
    IMAGE_FILE = "image_file", "Image (file without attachment)"


class WordPressItem(models.Model):
    # The exported site's address: two blogs may both have a post 1.
    source = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=WordPressKind.choices)
    # A number for posts and comments; the login for authors, the slug for
    # categories, the uploads path for images no attachment describes.
    wordpress_id = models.CharField(max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "imported WordPress item"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wordpress_id"], name="one_import_per_wordpress_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.wordpress_id} from {self.source}"


class ImportJob(models.Model):
    """An import started from the admin: its files, its progress and, once done, its report.

    The background task updates the row as it goes, so the admin page can show
    the progress after a reload, and a job whose worker died can be resumed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    dry_run = models.BooleanField(default=True)
    section_root = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The private folder (under WORDPRESS_IMPORT_DIR) holding the uploads; a dry
    # run and the import that follows it share one.
    folder = models.CharField(max_length=64)
    export_name = models.CharField(max_length=255)
    media_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=64, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life from the task: a running job silent for long lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "WordPress import"
        ordering = ["-created_at"]
        constraints = [
            # One import at a time per site, whichever request or worker starts it.
            models.UniqueConstraint(
                fields=["site"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_wordpress_import_per_site",
            )
        ]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "import"
        return f"WordPress {kind} of {self.export_name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
