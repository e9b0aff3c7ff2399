"""Reading reader comments: threads for an article page, counts for listings.

Everything here costs a fixed number of queries, however many comments or
articles there are: threads are paginated by their first comment and a page's
threads come in one query, ordered as django-comments-xtd stores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django_comments_xtd.models import XtdComment

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Cast, Coalesce

from wagtail.models import Page

PAGE_PARAMETER = "comments_page"


@dataclass
class CommentNode:
    """A comment in a thread. A hidden one stays as a placeholder while its replies are public."""

    comment: XtdComment
    visible: bool
    children: list[CommentNode] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"c{self.comment.pk}"


def content_type_of(obj: models.Model) -> ContentType:
    """The content type comments on `obj` are filed under: a page's own specific type.

    A page loaded through a base class (a story listed with others) still
    knows its specific type, so its comments are found whichever way it was loaded.
    """
    if isinstance(obj, Page):
        return ContentType.objects.get_for_id(obj.content_type_id)
    return ContentType.objects.get_for_model(obj)


def public_comments(obj: models.Model | None = None) -> models.QuerySet[XtdComment]:
    """Public reader comments, on one object when given."""
    queryset = XtdComment.norel_objects.filter(is_public=True, is_removed=False)
    if obj is not None:
        queryset = queryset.filter(content_type=content_type_of(obj), object_pk=str(obj.pk))
    return queryset.order_by()


def comment_count_annotation() -> models.Expression:
    """The number of public comments on each page of a page queryset, in the same query.

    Correlated on the page's own content type and id, the pair the comments
    table is indexed by.
    """
    counts = (
        public_comments()
        .filter(
            content_type_id=models.OuterRef("content_type_id"),
            object_pk=Cast(models.OuterRef("pk"), models.CharField()),
        )
        .values("object_pk")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)


def comment_count(obj: models.Model) -> int:
    """Public comments on `obj`, counted once per object and request."""
    if getattr(obj, "reader_comment_count", None) is None:
        obj.reader_comment_count = public_comments(obj).count()
    return obj.reader_comment_count


def most_discussed(candidates: models.QuerySet, limit: int) -> list[models.Model]:
    """The `limit` pages of `candidates` with the most public comments, most first.

    Two queries: comments grouped by page (restricted to the candidates by a
    subquery), then the winning pages. Ties go to the livelier discussion.
    """
    candidate_keys = candidates.order_by().annotate(key=Cast("pk", models.CharField())).values("key")
    ranking = list(
        public_comments()
        .filter(
            content_type_id__in=candidates.order_by().values("content_type_id"),
            object_pk__in=candidate_keys,
        )
        .values("object_pk")
        .annotate(count=models.Count("pk"), latest=models.Max("submit_date"))
        .order_by("-count", "-latest")
        .values_list("object_pk", "count")[:limit]
    )
    if not ranking:
        return []
    objects = {str(obj.pk): obj for obj in candidates.filter(pk__in=[int(pk) for pk, _ in ranking])}
    ranked = []
    for pk, count in ranking:
        if pk in objects:
            objects[pk].reader_comment_count = count
            ranked.append(objects[pk])
    return ranked


def thread_ids(obj: models.Model) -> models.QuerySet:
    """Threads with at least one public comment, oldest first."""
    return public_comments(obj).values_list("thread_id", flat=True).distinct().order_by("thread_id")


def paginate_threads(obj: models.Model, page_number, per_page: int) -> PaginatorPage:
    return Paginator(thread_ids(obj), per_page).get_page(page_number)


def build_threads(comments: Iterable[XtdComment]) -> list[CommentNode]:
    """Nest comments (ordered by thread and order) into trees of visible comments.

    A hidden comment survives only as a placeholder for public replies below it.
    """
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        node = CommentNode(comment=comment, visible=comment.is_public and not comment.is_removed)
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        if parent is not None:
            parent.children.append(node)
        elif comment.level == 0:
            roots.append(node)

    def prune(siblings: list[CommentNode]) -> list[CommentNode]:
        kept = []
        for node in siblings:
            node.children = prune(node.children)
            if node.visible or node.children:
                kept.append(node)
        return kept

    return prune(roots)


def threads_page(obj: models.Model, page_number, per_page: int) -> tuple[PaginatorPage, list[CommentNode]]:
    """One page of threads on `obj` and their comments, in three queries."""
    page = paginate_threads(obj, page_number, per_page)
    ids = list(page.object_list)
    if not ids:
        return page, []
    comments = (
        XtdComment.norel_objects.filter(thread_id__in=ids)
        .only(
            "id",
            "thread_id",
            "parent_id",
            "level",
            "order",
            "user_name",
            "user_url",
            "comment",
            "submit_date",
            "is_public",
            "is_removed",
        )
        .order_by("thread_id", "order")
    )
    return page, build_threads(comments)


def page_of_comment(comment: XtdComment, per_page: int) -> int:
    """The number of the threads page that holds `comment`."""
    target = comment.content_object
    earlier = thread_ids(target).filter(thread_id__lt=comment.thread_id).count()
    return earlier // per_page + 1
