"""The site's search backend: Wagtail's database backend, fed only words.

Every search goes through the backend (the site's search, the API's
`?search=`, the admin's search boxes and choosers), and Wagtail's database
backend writes what it is given into the engine's own query language: SQLite's
FTS5 refuses an unbalanced quote with a syntax error, and PostgreSQL refuses
NUL. Cleaning the query here, once, covers every caller, including those in
Wagtail's own views that the project cannot reach otherwise.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import QuerySet

from wagtail.search.backends.base import BaseSearchBackend, FilterFieldError
from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.query import (
    MATCH_ALL,
    And,
    Boost,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
    SearchQuery,
)

from .search import search_words


def words_only(query: str | SearchQuery) -> str | SearchQuery | None:
    """`query` with nothing but its words: None when no word is left.

    Quoted phrases, negations and the like that Wagtail's admin builds from
    what an editor typed keep their shape; only the text inside them changes.
    """
    if isinstance(query, str):
        return search_words(query) or None
    if isinstance(query, PlainText):
        words = search_words(query.query_string)
        return PlainText(words, operator=query.operator, boost=query.boost) if words else None
    if isinstance(query, Phrase):
        words = search_words(query.query_string)
        return Phrase(words) if words else None
    if isinstance(query, Fuzzy):
        words = search_words(query.query_string)
        return Fuzzy(words, operator=query.operator, unaccent=query.unaccent) if words else None
    if isinstance(query, (And, Or)):
        parts = [part for part in map(words_only, query.subqueries) if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else type(query)(parts)
    if isinstance(query, Not):
        inner = words_only(query.subquery)
        return Not(inner) if inner is not None else None
    if isinstance(query, Boost):
        inner = words_only(query.subquery)
        return Boost(inner, query.boost) if inner is not None else None
    if isinstance(query, MatchAll):
        return query
    raise TypeError(f"Cannot search for {query!r}.")


class WordsOnlyMixin:
    """Searches for the words of the query; a query with none matches nothing."""

    def _search(self, query_compiler_class: type, query: Any, model_or_queryset: Any, **kwargs: Any):
        if query is not None:
            query = words_only(query)
            if query is None:
                # Nothing of the model rather than Wagtail's EmptySearchResults, which
                # has no model: the admin's listings read the model off the results.
                query = MATCH_ALL
                if isinstance(model_or_queryset, QuerySet):
                    model_or_queryset = model_or_queryset.none()
                else:
                    model_or_queryset = model_or_queryset.objects.none()
        try:
            return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
        except FilterFieldError:
            if not isinstance(model_or_queryset, QuerySet):
                raise
            # Wagtail's image chooser filters by tag, a field the image index cannot
            # filter on, before it searches: search every image, keep those it chose.
            everything = model_or_queryset.model._default_manager.all()
            kwargs["order_by_relevance"] = False
            matches = super()._search(query_compiler_class, query, everything, **kwargs)
            return model_or_queryset.filter(pk__in=[match.pk for match in matches])


@cache
def _words_only(backend_class: type[BaseSearchBackend]) -> type[BaseSearchBackend]:
    return type(f"WordsOnly{backend_class.__name__}", (WordsOnlyMixin, backend_class), {})


def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:
    """The database backend Wagtail picks for the database in use (PostgreSQL, SQLite FTS5, or
    its fallback), made to search for words only."""
    return _words_only(type(database_backend(params)))(params)
