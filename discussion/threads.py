"""Reading reader comments: threads for an article page, counts for listings.

Everything here costs a fixed number of queries, however many comments or
articles there are: threads are paginated by their first comment and a page's
threads come in one query, ordered as django-comments-xtd stores them. The
article shows the first replies of each thread; a long thread continues on a
page of its own, so one article page holds a bounded number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django_comments_xtd.models import XtdComment

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Cast, Coalesce, RowNumber

from wagtail.models import Page

PAGE_PARAMETER = "comments_page"
# Comments of one thread shown under the article (its first comment included);
# the rest are on the thread's own pages, THREAD_PAGE_SIZE comments each.
COMMENTS_SHOWN_PER_THREAD = 6
THREAD_PAGE_SIZE = 100


@dataclass
class CommentNode:
    """A comment in a thread. A hidden one stays as a placeholder while its replies are public."""

    comment: XtdComment
    visible: bool
    children: list[CommentNode] = field(default_factory=list)
    # Comments of the thread left out under the article (on the first comment only).
    more: int = 0

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


def thread_count_annotation() -> models.Expression:
    """The number of threads with a public comment on each page, in the same query."""
    counts = (
        public_comments()
        .filter(
            content_type_id=models.OuterRef("content_type_id"),
            object_pk=Cast(models.OuterRef("pk"), models.CharField()),
        )
        .values("object_pk")
        .annotate(count=models.Count("thread_id", distinct=True))
        .values("count")
    )
    return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)


def comment_count(obj: models.Model) -> int:
    """Public comments on `obj`, counted once per object and request."""
    if getattr(obj, "reader_comment_count", None) is None:
        obj.reader_comment_count = public_comments(obj).count()
    return obj.reader_comment_count


# "Most discussed" counts the newest public comments this many deep: what
# readers talk about now, at a cost that does not grow with the archive.
MOST_DISCUSSED_WINDOW = 1000
# Pages ranked before keeping the published ones among `candidates`.
MOST_DISCUSSED_SHORTLIST = 50


def most_discussed(candidates: models.QuerySet, limit: int) -> list[models.Model]:
    """The `limit` pages of `candidates` with the most recent public comments, most first.

    Two queries: the newest comments grouped by page, then those of the
    leading pages that are among the candidates. Ties go to the livelier discussion.
    The window only ranks: each page keeps `reader_comment_count`, its whole
    public count as its own page shows it, counted in the second query.
    """
    content_types = {
        ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        for model in apps.get_models()
        if issubclass(model, candidates.model)
    }
    recent = public_comments().order_by("-submit_date").values("pk")[:MOST_DISCUSSED_WINDOW]
    ranking = list(
        public_comments()
        .filter(pk__in=recent, content_type_id__in=content_types)
        .values("object_pk")
        .annotate(count=models.Count("pk"), latest=models.Max("submit_date"))
        .order_by("-count", "-latest")
        .values_list("object_pk", "count")[:MOST_DISCUSSED_SHORTLIST]
    )
    keys = [int(pk) for pk, _ in ranking if pk.isdecimal()]
    if not keys:
        return []
    shortlist = candidates.filter(pk__in=keys)
    if "reader_comment_count" not in shortlist.query.annotations:
        shortlist = shortlist.annotate(reader_comment_count=comment_count_annotation())
    objects = {str(obj.pk): obj for obj in shortlist}
    return [objects[pk] for pk, _ in ranking if pk in objects][:limit]


def thread_ids(obj: models.Model) -> models.QuerySet:
    """Threads with at least one public comment, oldest first."""
    return public_comments(obj).values_list("thread_id", flat=True).distinct().order_by("thread_id")


class _CountedThreads:
    """Thread ids for a paginator whose total is already known (counted with the article)."""

    def __init__(self, queryset: models.QuerySet, count: int) -> None:
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


def paginate_threads(obj: models.Model, page_number, per_page: int) -> PaginatorPage:
    threads = thread_ids(obj)
    known = getattr(obj, "reader_thread_count", None)
    return Paginator(threads if known is None else _CountedThreads(threads, known), per_page).get_page(
        page_number
    )


COMMENT_FIELDS = (
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


def build_threads(comments: Iterable[XtdComment], orphans_lead: bool = False) -> list[CommentNode]:
    """Nest comments (ordered by thread and order) into trees of visible comments.

    A hidden comment survives only as a placeholder for public replies below it.
    With `orphans_lead`, a reply whose parent is not among `comments` (on an
    earlier page of a long thread) starts a tree of its own.
    """
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        node = CommentNode(comment=comment, visible=comment.is_public and not comment.is_removed)
        if comment.level == 0:
            node.more = max(getattr(comment, "thread_size", 0) - COMMENTS_SHOWN_PER_THREAD, 0)
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        if parent is not None:
            parent.children.append(node)
        elif comment.level == 0 or orphans_lead:
            roots.append(node)

    def prune(siblings: list[CommentNode]) -> list[CommentNode]:
        kept = []
        for node in siblings:
            node.children = prune(node.children)
            if node.visible or node.children:
                kept.append(node)
        return kept

    return prune(roots)


def shown_comments(page: PaginatorPage) -> models.QuerySet[XtdComment]:
    """The first comments of each thread on a page of threads, in thread order: one query.

    Each thread brings at most COMMENTS_SHOWN_PER_THREAD comments, so the page
    costs the same with 5 comments a thread or 500.
    """
    thread_order = models.Window(RowNumber(), partition_by="thread_id", order_by="order")
    return (
        XtdComment.norel_objects.filter(thread_id__in=page.object_list)
        .only(*COMMENT_FIELDS)
        .annotate(
            position=thread_order,
            thread_size=models.Window(models.Count("pk"), partition_by="thread_id"),
        )
        .filter(position__lte=COMMENTS_SHOWN_PER_THREAD)
        .order_by("thread_id", "order")
    )


def thread_page(root: XtdComment, page_number) -> PaginatorPage:
    """One page of a whole thread, THREAD_PAGE_SIZE comments in thread order."""
    comments = XtdComment.norel_objects.filter(thread_id=root.thread_id).only(*COMMENT_FIELDS)
    paginator = Paginator(comments.order_by("order"), THREAD_PAGE_SIZE)
    return paginator.page(page_number)


def position_in_thread(comment: XtdComment) -> int:
    """How many comments come before `comment` in its thread (0 for its first comment)."""
    return XtdComment.norel_objects.filter(thread_id=comment.thread_id, order__lt=comment.order).count()


def page_of_comment(comment: XtdComment, per_page: int) -> int:
    """The number of the threads page that holds `comment`."""
    target = comment.content_object
    earlier = thread_ids(target).filter(thread_id__lt=comment.thread_id).count()
    return earlier // per_page + 1
