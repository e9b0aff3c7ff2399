"""The read-only headless API (Wagtail API v2): published, public pages of every type."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .listings import unexpired_pages
from .search import clean_search_query, search_terms


class WordSearchFilter(SearchFilter):
    """`?search=` with the site search's rules: words only, every word must match.

    Wagtail's own filter hands the raw string to the engine, where punctuation
    such as an unbalanced quote is a syntax error on SQLite.
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


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Only pages anyone may read: live, unexpired, outside every privacy restriction.

    Wagtail's default lets a signed-in reader see pages restricted to signed-in
    users; API responses are shared with apps and caches, so they hold only
    what an anonymous reader sees.
    """

    filter_backends = [
        WordSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().public().filter(unexpired_pages())

    def get_queryset(self) -> QuerySet:
        # Listings serialise every item's locale and related rows (a story's
        # byline and tags): load them with the page of results, not per item.
        queryset = super().get_queryset().select_related("locale")
        prefetch = getattr(queryset.model, "api_prefetch_related", ())
        return queryset.prefetch_related(*prefetch) if prefetch else queryset
