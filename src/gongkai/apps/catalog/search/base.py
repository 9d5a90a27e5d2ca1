"""What every search engine receives and returns.

Engines never see Django models: the indexing module turns documents into IndexEntry values
(text already segmented by gongkai.domain.segment) and the search selector turns an
EngineResult back into pages. The same shared tests run against every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from gongkai.apps.jobs.errors import TransientError

FACETS = ("agency", "column", "topic", "genre", "year", "validity")
VALIDITY_CODES = {"valid": 1, "expired": 2, "repealed": 3}
VALIDITY_NAMES = {v: k for k, v in VALIDITY_CODES.items()}


@dataclass(frozen=True, slots=True)  # slots: compact when sent back from worker processes
class IndexEntry:
    doc_id: int
    title_tokens: str  # search-mode tokens joined by spaces
    body_tokens: str
    agency_ids: tuple[int, ...]  # lead publisher and joint publishers
    column_ids: tuple[int, ...]  # the column and its ancestors
    topic_ids: tuple[int, ...]  # the topic and its parent
    genre_id: int  # 0 when none
    year: int
    validity: int  # VALIDITY_CODES
    published_ts: int  # seconds since the epoch


@dataclass(frozen=True)
class Filters:
    agency: int | None = None
    column: int | None = None
    topic: int | None = None
    genre: int | None = None
    year: int | None = None
    validity: int | None = None

    def active(self) -> dict[str, int]:
        return {name: value for name in FACETS if (value := getattr(self, name)) is not None}


Alternatives = tuple[tuple[str, ...], ...]  # OR of alternatives, each an AND of tokens


@dataclass(frozen=True)
class EngineQuery:
    terms: tuple[str, ...]  # every term must match (title or body); empty: all documents
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 20
    facets: bool = False
    count: bool = True  # False: the caller knows the total (browse lists use the counters)
    # when given, replaces ``terms``: every group must match, a group by any of its
    # alternatives (aliases, ADR 0140); built by gongkai.domain.querywords.rewrite
    groups: tuple[Alternatives, ...] = ()
    # the groups without the parts of user words: by relevance, titles matching these come
    # first, then titles matching ``groups``, then the rest (the same tiers on both engines)
    primary: tuple[Alternatives, ...] = ()

    def title_tiers(self) -> tuple[tuple[Alternatives, ...], ...]:
        groups = self.word_groups()
        if self.primary and self.primary != groups:
            return (self.primary, groups)
        return (groups,)

    def word_groups(self) -> tuple[Alternatives, ...]:
        """The query words as groups (plain terms: one single-token group each)."""
        if self.groups:
            return self.groups
        return tuple(((term,),) for term in self.terms)

    @property
    def has_words(self) -> bool:
        return bool(self.groups or self.terms)


@dataclass
class EngineResult:
    total: int
    ids: list[int]
    facets: dict[str, dict[int, int]] = field(default_factory=dict)
    exact: bool = True  # False: ``total`` is a lower bound (PostgreSQL beyond its count cap)
    facets_exact: bool = True  # False: facet counts describe the newest matches only


Progress = Callable[[int, int | None], None]


class SearchEngine(Protocol):
    name: str

    def upsert(self, entries: Sequence[IndexEntry]) -> None: ...

    def delete(self, doc_ids: Sequence[int]) -> None: ...

    def search(self, query: EngineQuery) -> EngineResult: ...

    def count(self) -> int: ...

    def clear(self) -> None: ...

    def build_new(self, entries: Iterable[IndexEntry], progress: Progress | None = None) -> str:
        """Build a complete new index beside the live one; return its handle."""
        ...

    def apply_to(
        self, handle: str, entries: Sequence[IndexEntry], deleted: Sequence[int]
    ) -> None: ...

    def activate(self, handle: str) -> None:
        """Make a built index the live one (readers switch on their next search)."""
        ...


class IndexBusy(TransientError):
    """Another process holds the index writer; the change stays queued and is retried."""
