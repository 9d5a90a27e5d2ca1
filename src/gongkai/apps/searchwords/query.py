"""What a typed query asks the engines for (ADR 0140, 0141): the segmenter's words, numbers
without their units, and the alias sets they belong to. The same groups go to tantivy and to
PostgreSQL, so both engines search for the same thing."""

from __future__ import annotations

from gongkai.apps.searchwords import selectors
from gongkai.apps.searchwords.segmenter import get_segmenter
from gongkai.domain.querywords import Rewritten, rewrite


def understand(query: str, *, aliases: bool = True) -> Rewritten:
    if not query.strip():
        return Rewritten(groups=(), terms=())
    return rewrite(get_segmenter(), query, selectors.alias_dictionary() if aliases else None)
