"""Search: what a reader types made into a query both full-text engines answer safely,
and the newest matching pages found with work that does not grow with the archive."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import And, Phrase, PlainText, SearchQuery
from wagtail.search.utils import get_descendants_content_types_pks

# Longer queries are cut, not refused: nobody types more, and the full-text
# query a search backend builds grows with every word.
SEARCH_QUERY_MAX_LENGTH = 200
WORD = re.compile(r"\w+(?:-\w+)*")


def clean_search_query(raw: str) -> str:
    """The query as the reader typed it, whitespace collapsed and capped in length."""
    return " ".join(raw.replace("\x00", " ").split())[:SEARCH_QUERY_MAX_LENGTH].strip()


def search_words(raw: str) -> str:
    """The words of what was typed, one space apart: none of either engine's operators or quotes."""
    return " ".join(WORD.findall(clean_search_query(raw)))


def search_terms(query: str) -> SearchQuery | None:
    """The words of a query as a full-text query every word must match; None when there are none.

    Punctuation is dropped: both engines give it meaning (quotes, `*`, `:`,
    parentheses) and SQLite's refuses an unbalanced quote outright. A
    hyphenated term such as "IL-6" is kept whole as a phrase, because
    PostgreSQL indexes it as "il" followed by "-6" while SQLite indexes "il"
    and "6"; a phrase of the term matches both.
    """
    words = WORD.findall(query)
    if not words:
        return None
    plain = [word for word in words if "-" not in word]
    parts: list[SearchQuery] = [Phrase(word) for word in words if "-" in word]
    if plain:
        parts.insert(0, PlainText(" ".join(plain), operator="and"))
    return parts[0] if len(parts) == 1 else And(parts)


def matching_entries(terms: SearchQuery, page_types: Iterable[type[Page]] = (Page,)) -> QuerySet:
    """Search-index entries of pages of `page_types` (or their subtypes) that match `terms`,
    found through the database's full-text index.

    The same matching as Wagtail's database search backend, whose query
    compiler turns `terms` into the engine's query: on PostgreSQL the
    concatenated title and body vectors, which a GIN index covers (core
    migration 0003); on SQLite the FTS5 table. The types are checked on the
    entries, which carry the page's own type, rather than on the pages: an
    index on the page type tempted SQLite away from the publication date's.
    """
    backend = get_search_backend()
    pages = Page.objects.none()
    type_ids = {pk for model in page_types for pk in get_descendants_content_types_pks(model)}
    entries = IndexEntry.objects.filter(content_type_id__in=sorted(type_ids))
    # The backends' modules import only on their own database.
    if connection.vendor == "postgresql":
        from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend

        if isinstance(backend, PostgresSearchBackend):
            compiler = backend.query_compiler_class(pages, terms, order_by_relevance=False)
            tsquery = compiler.build_tsquery(terms, config=compiler.get_config(backend))
            vector = F("title")._combine(F("body"), "||", False)
            return entries.annotate(_vector_=vector).filter(_vector_=tsquery)
    if connection.vendor == "sqlite":
        from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend
        from wagtail.search.models import SQLiteFTSIndexEntry

        if isinstance(backend, SQLiteSearchBackend):
            compiler = backend.query_compiler_class(pages, terms, order_by_relevance=False)
            fts_query = compiler.build_search_query(normalize(terms), config=compiler.get_config(backend))
            match = MatchExpression(compiler.FTS_TABLE_FIELDS, fts_query)
            return entries.filter(pk__in=SQLiteFTSIndexEntry.objects.filter(match).values("index_entry_id"))
    raise ImproperlyConfigured(
        "Search needs Wagtail's database search backend on PostgreSQL, or on SQLite with FTS5."
    )


class NewestMatches:
    """The ids of the `pages` whose index entry is among `entries`, newest first.

    A sequence Django's `Paginator` pages through, holding at most `limit`
    pages; `more` tells whether more pages matched. Its work is bounded by
    `limit`, not by the size of the archive or by how many pages match:

    - the matches are read from the full-text index, each page checked by its
      primary key, until `limit + 1` pass;
    - when no more than `limit` passed, a page of results is sorted among them;
    - when more did, the word is common: the pages are walked newest first on
      the publication date's index, each checked against its index entry, up
      to the page asked for.
    """

    def __init__(self, pages: QuerySet, entries: QuerySet, limit: int) -> None:
        self.pages = pages.order_by()
        self.entries = entries
        self.limit = limit

    @cached_property
    def _first_ids(self) -> list[int]:
        """Ids of up to `limit + 1` matching pages that pass the filters, in no order."""
        # A scalar subquery, not EXISTS: PostgreSQL turns EXISTS into a join
        # and read every page into a hash for it; this looks up one page a match.
        passing = self.pages.filter(pk=OuterRef("page_id")).values("pk")[:1]
        matches = (
            self.entries.annotate(page_id=Cast("object_id", IntegerField()))
            .alias(passing_id=Subquery(passing))
            .filter(passing_id__isnull=False)
        )
        return list(matches.order_by().values_list("page_id", flat=True)[: self.limit + 1])

    @property
    def more(self) -> bool:
        return len(self._first_ids) > self.limit

    def count(self) -> int:
        return min(len(self._first_ids), self.limit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        if not isinstance(window, slice):
            raise TypeError("NewestMatches is read a page at a time, with a slice.")
        if self.more:
            entry = self.entries.filter(
                content_type_id=OuterRef("content_type_id"), object_id=Cast(OuterRef("pk"), CharField())
            )
            matching = self.pages.filter(Exists(entry))
        else:
            matching = self.pages.filter(pk__in=self._first_ids)
        # The id breaks ties, so every page of results is the same each time.
        newest_first = matching.order_by("-first_published_at", "-id")
        return list(newest_first.values_list("pk", flat=True)[window])
