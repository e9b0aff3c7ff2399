"""The read-only headless API (Wagtail API v2): published, public pages of every type."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.serializers import TagsField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .api_fields import ImageCreditField
from .image_credits import CREDIT_RELATION
from .listings import unexpired_pages
from .search import clean_search_query, search_terms


class WordSearchFilter(SearchFilter):
    """`?search=` with the site search's rules: words only, every word must match.

    Wagtail's own filter hands the raw string to the engine, where punctuation
    such as an unbalanced quote is a syntax error on SQLite, and any
    `?search_operator=` but "and" or "or" is a ValueError.
    """

    def filter_queryset(self, request: HttpRequest, queryset: QuerySet, view) -> QuerySet:
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        query = search_terms(clean_search_query(request.GET["search"]))
        if query is None:
            return queryset.none()
        try:
            return get_search_backend().search(query, queryset, order_by_relevance="order" not in request.GET)
        except (FilterFieldError, OrderByFieldError) as exc:
            raise BadRequestError(f"cannot search with '{exc.field_name}' (field is not indexed)") from exc


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (`?slug=`, `?entries=`), with a 400 for a value the field cannot hold.

    Wagtail converts the value for plain and foreign-key fields only; for a
    relation such as a live blog's `entries` it reaches the ORM as typed, and
    the ORM's ValueError was a 500.
    """

    def filter_queryset(self, request: HttpRequest, queryset: QuerySet, view) -> QuerySet:
        try:
            return super().filter_queryset(request, queryset, view)
        except ValueError as exc:
            raise BadRequestError(f"field filter error: {exc}") from exc


SITE_FILTERS = {SearchFilter: WordSearchFilter, FieldsFilter: CheckedFieldsFilter}


def site_filters(backends: list[type]) -> list[type]:
    """An endpoint's filters with Wagtail's search and field filters swapped for the site's."""
    return [SITE_FILTERS.get(backend, backend) for backend in backends]


# Ids and offsets past what the integer columns hold reach the database driver
# unchecked (SQLite's overflows on 2**63); nothing real lies beyond this.
MAX_NUMBER = 2**31 - 1


def whole_number(request: HttpRequest, name: str) -> int | None:
    """The query parameter `name` as a whole number; a 400 when it is something else."""
    value = request.GET.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdecimal()) or int(value) > MAX_NUMBER:
        raise BadRequestError(f"{name} must be a whole number from 0 to {MAX_NUMBER}")
    return int(value)


class RefusesMalformedInputMixin:
    """A 400 with a message for input Wagtail's API lets through to the database.

    Its filters catch `ValueError` but not Django's `ValidationError` (a date
    that is no date), `find/` hands `?id=` to the database as it came, and a
    huge `offset` overflows SQLite's driver.
    """

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        whole_number(request, "offset")

    def find_object(self, queryset: QuerySet, request: HttpRequest):
        whole_number(request, "id")
        return super().find_object(queryset, request)

    def find_view(self, request: HttpRequest):
        try:
            return super().find_view(request)
        except ObjectDoesNotExist as exc:
            # A page of another type than `?type=` asks for: its own DoesNotExist.
            raise Http404("not found") from exc

    def handle_exception(self, exc: Exception):
        if isinstance(exc, ValidationError):
            exc = BadRequestError("invalid filter value: " + " ".join(exc.messages))
        return super().handle_exception(exc)


class PrefetchedTagsField(TagsField):
    """Tag names from the tags the listing prefetched: Wagtail's own asks the database per item."""

    def to_representation(self, value) -> list[str]:
        return sorted(tag.name for tag in value.all())


class PublicImagesAPIViewSet(RefusesMalformedInputMixin, ImagesAPIViewSet):
    """Wagtail's images, with the credit each picture is shown with (`?fields=credit` in listings)."""

    filter_backends = site_filters(ImagesAPIViewSet.filter_backends)
    body_fields = [*ImagesAPIViewSet.body_fields, APIField("credit", serializer=ImageCreditField())]
    meta_fields = [
        APIField("tags", serializer=PrefetchedTagsField(read_only=True)) if name == "tags" else name
        for name in ImagesAPIViewSet.meta_fields
    ]

    def get_queryset(self) -> QuerySet:
        # The credits come with the images and the tags in one more query, whatever
        # the number of images listed (Wagtail's own asked for each image's tags).
        return super().get_queryset().select_related(CREDIT_RELATION).prefetch_related("tags")


class PublicPagesAPIViewSet(RefusesMalformedInputMixin, PagesAPIViewSet):
    """Only pages anyone may read: live, unexpired, outside every privacy restriction.

    Wagtail's default lets a signed-in reader see pages restricted to signed-in
    users; API responses are shared with apps and caches, so they hold only
    what an anonymous reader sees.
    """

    filter_backends = site_filters(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().public().filter(unexpired_pages())

    def get_queryset(self) -> QuerySet:
        # Listings serialise every item's locale and related rows (a story's
        # byline and tags): load them with the page of results, not per item.
        queryset = super().get_queryset().select_related("locale")
        prefetch = getattr(queryset.model, "api_prefetch_related", ())
        return queryset.prefetch_related(*prefetch) if prefetch else queryset
