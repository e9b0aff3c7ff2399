"""Turning what a reader types into a query both full-text engines answer safely."""

from __future__ import annotations

import re

from wagtail.search.query import And, Phrase, PlainText, SearchQuery

# Longer queries are cut, not refused: nobody types more, and the full-text
# query a search backend builds grows with every word.
SEARCH_QUERY_MAX_LENGTH = 200
WORD = re.compile(r"\w+(?:-\w+)*")


def clean_search_query(raw: str) -> str:
    """The query as the reader typed it, whitespace collapsed and capped in length."""
    return " ".join(raw.replace("\x00", " ").split())[:SEARCH_QUERY_MAX_LENGTH].strip()


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
