from __future__ import annotations

from django.db import models
from django.urls import reverse

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Author(index.Indexed, models.Model):
    """A person credited in story bylines."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, help_text="The author's address: /authors/<slug>/.")
    role = models.CharField(max_length=255, blank=True, help_text="e.g. Health correspondent")
    bio = models.TextField("short bio", blank=True, max_length=1000)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author_detail", kwargs={"slug": self.slug})
