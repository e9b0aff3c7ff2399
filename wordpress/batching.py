"""What the import does once per batch of stories, or once per run, instead of once per object.

Saving a page, an image, a comment or a view restriction one at a time sets off
receivers meant for an editor's single change: a fragment-cache version bump, a
task queued to make an image's story sizes, a purge of the commented page. An
import writes thousands of each; it suspends those receivers while it runs and
does their work once at the end (`deferred_receivers`). The reference index is
written for a whole batch in a few queries (`update_reference_index`), and the
search index a batch at a time with its title norms refreshed once, at the end
(`SearchIndexing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from modelsearch.backends import get_search_backends

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import post_init, post_save

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from core import fragments, privacy, purging, renditions
from core.tasks import enqueue_or_run


class SearchIndexing:
    """Search index entries added a batch at a time, the index's title norms refreshed once.

    The database search backends follow every `add_items` with a refresh of the
    title norms (each entry's weight for its title's length against the average):
    an average over every entry in the index and an update of the entries still
    at the neutral 1.0, two scans of the whole table. Per batch, that made an
    import slow down as the index grew (from 79 to 53 stories a second between
    5,000 and 55,000 stories). The import adds its entries without it and
    refreshes once, at the end of the run; entries of a run stopped before then
    keep the neutral norm until the next run, or the next page an editor saves.
    """

    def __init__(self) -> None:
        self.refresh_due: dict[tuple[type, str], object] = {}

    def add(self, model: type[models.Model], objects: Sequence[models.Model]) -> None:
        for backend in get_search_backends(with_auto_update=True):
            index = backend.get_index_for_model(model)
            if hasattr(index, "_refresh_title_norms"):
                # The backend's own method, skipped for this call only (the index object
                # is made for it); the refresh is done once by `refresh_title_norms`.
                # One refresh per index table (each call makes new backend objects).
                self.refresh_due.setdefault((type(index), index.write_connection.alias), index)
                index._refresh_title_norms = lambda full=False: None
            index.add_items(model, objects)

    def refresh_title_norms(self) -> None:
        for index in self.refresh_due.values():
            type(index)._refresh_title_norms(index)
        self.refresh_due.clear()


# Images handed to one task that makes their story sizes.
PICTURES_PER_TASK = 500


@dataclass
class Deferred:
    """What the suspended receivers would have done, to do once."""

    images: list[int] = field(default_factory=list)
    pages_changed: bool = False
    # Pages there before the import that gained comments, by (content type id, page pk):
    # pages the import created are new to every cache and need none of this.
    commented_pages: dict[tuple[int, str], Page] = field(default_factory=dict)


def _suspended_receivers() -> list[tuple[object, object, type, str]]:
    """(signal, receiver, sender, dispatch_uid) of each per-object receiver an import suspends."""
    image_model = get_image_model()
    found = [
        (post_save, fragments.media_changed, image_model, f"core_fragments_saved_{image_model._meta.label}"),
        (post_save, renditions.prepare_uploaded_picture, image_model, "core_prepare_uploaded"),
        (post_save, fragments.restriction_changed, PageViewRestriction, "core_fragments_restricted"),
        (post_save, privacy._forget, PageViewRestriction, "core_privacy_restriction_saved"),
    ]
    for model in purging.comment_models():
        found += [
            (post_save, fragments.comment_changed, model, f"core_fragments_comment_{model}"),
            (post_save, purging.purge_commented_page, model, f"core_purge_{model}"),
            (post_init, purging.remember_comment_visibility, model, f"core_comment_{model}"),
        ]
    return found


@contextmanager
def deferred_receivers(deferred: Deferred) -> Iterator[Deferred]:
    """Suspend the per-object receivers; on the way out, reconnect them and do their work once.

    The work done once: one fragment-cache bump for pages, menus and media, the comments
    of each page already there that gained some bumped and purged, the view-restriction
    paths forgotten, and the images' story sizes queued in a few tasks. (The new pages'
    listings are purged by the importer.)
    """
    suspended = []
    for signal, receiver, sender, uid in _suspended_receivers():
        if signal.disconnect(receiver, sender=sender, dispatch_uid=uid):
            suspended.append((signal, receiver, sender, uid))
    try:
        yield deferred
    finally:
        for signal, receiver, sender, uid in suspended:
            signal.connect(receiver, sender=sender, dispatch_uid=uid)
        if deferred.pages_changed or deferred.images:
            # Every version: new stories may bring comments, which rank the front page's lists.
            fragments.bump(*fragments.VERSION_NAMES)
            privacy._forget()
        if deferred.commented_pages:
            # As purging.purge_comments_pages does for a moderator's bulk action, once per page.
            fragments.bump_comments(deferred.commented_pages)
            if purging.purging_enabled():
                pages = deferred.commented_pages.values()
                purging.purge([url for page in pages for url in purging.page_purge_urls(page, feeds=False)])
        if deferred.images and renditions._enabled():
            for start in range(0, len(deferred.images), PICTURES_PER_TASK):
                enqueue_or_run(
                    renditions.make_story_pictures, deferred.images[start : start + PICTURES_PER_TASK]
                )


def update_reference_index(objects: Iterable[models.Model]) -> None:
    """`ReferenceIndex.create_or_update_for_object` for many objects, in a few queries.

    The same rows: each object's references are extracted as Wagtail does; the
    existing ones are read for all objects of a model at once, and what is new is
    inserted in one statement.
    """
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    new_rows: list[ReferenceIndex] = []
    deleted: list[int] = []
    for model, group in by_model.items():
        content_types = [
            ContentType.objects.get_for_model(each, for_concrete_model=False)
            for each in [model, *model._meta.get_parent_list()]
        ]
        content_type, base_content_type = content_types[0], content_types[-1]
        known_ids = {ct.id for ct in content_types}
        existing: dict[str, dict[tuple, tuple[int, int]]] = {}
        rows = ReferenceIndex.objects.filter(
            base_content_type=base_content_type, object_id__in=[str(obj.pk) for obj in group]
        ).values_list(
            "id",
            "content_type_id",
            "object_id",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
        )
        for pk, type_id, object_id, *reference in rows:
            existing.setdefault(str(object_id), {})[tuple(reference)] = (type_id, pk)
        for obj in group:
            references = set(ReferenceIndex._extract_references_from_object(obj))
            stored = existing.get(str(obj.pk), {})
            new_rows += [
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=obj.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
                for to_content_type_id, to_object_id, model_path, content_path in references - set(stored)
            ]
            deleted += [
                pk
                for reference, (type_id, pk) in stored.items()
                if reference not in references and type_id in known_ids
            ]
    options = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    ReferenceIndex.objects.bulk_create(new_rows, **options)
    if deleted:
        ReferenceIndex.objects.filter(id__in=deleted).delete()
