"""What the WordPress import created, keyed by the WordPress id.

The news and discussion models carry no WordPress fields: this table alone
remembers which page, comment, author or image came from which WordPress item,
so a second import of the same file (or the rest of an interrupted one) skips
what is already there.
"""

from __future__ import annotations

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
