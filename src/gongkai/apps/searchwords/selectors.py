"""Reads: the alias dictionary used by search, the words suggestions are drawn from, and the
query counts editors see."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db.models import Max, Sum

from gongkai.apps.organizations.models import Agency
from gongkai.apps.searchwords.models import QueryStat, SearchAlias
from gongkai.apps.searchwords.segmenter import get_segmenter
from gongkai.domain.querywords import (
    AliasDictionary,
    AliasSet,
    agency_alias_sets,
    parse_alias_words,
)

# every server checks the tables' stamp at most this often, so an administrator's edit is used
# by every server within seconds (nothing lives only in one process's memory)
STAMP_SECONDS = 5.0


def alias_sets() -> list[AliasSet]:
    """The administrators' sets, then one generated set per agency that has no row of its own
    (an agency's row replaces its generated set; an inactive row switches it off)."""
    sets: list[AliasSet] = []
    overridden: set[int] = set()
    for row in SearchAlias.objects.all():
        if row.agency_id:
            overridden.add(row.agency_id)
        words = parse_alias_words(row.words)
        if row.is_active and len(words) >= 2:
            sets.append(AliasSet(tuple(words), "agency" if row.agency_id else "manual"))
    agencies = list(
        Agency.objects.filter(is_active=True).values_list(
            "id", "name", "short_name", "parent__name"
        )
    )
    generated = agency_alias_sets(
        (name, short or "", parent or "")
        for pk, name, short, parent in agencies
        if pk not in overridden
    )
    sets.extend(generated)
    return sets


@dataclass
class _Cached:
    stamp: tuple
    checked: float
    dictionary: AliasDictionary
    words: list[str]


_cache: _Cached | None = None
_lock = threading.Lock()


def _stamp() -> tuple:
    aliases = SearchAlias.objects.aggregate(n=Max("id"), at=Max("updated_at"))
    agencies = Agency.objects.aggregate(n=Max("id"), at=Max("updated_at"))
    return (
        SearchAlias.objects.count(),
        aliases["n"],
        aliases["at"],
        agencies["n"],
        agencies["at"],
    )


def _load() -> _Cached:
    global _cache
    now = time.monotonic()
    with _lock:
        if _cache is not None and now - _cache.checked < STAMP_SECONDS:
            return _cache
        stamp = _stamp()
        if _cache is not None and _cache.stamp == stamp:
            _cache.checked = now
            return _cache
        segmenter = get_segmenter()
        sets = alias_sets()
        dictionary = AliasDictionary.build(sets, segmenter.clean)
        words = sorted({w for s in sets for w in s.words})
        _cache = _Cached(stamp, now, dictionary, words)
        return _cache


def alias_dictionary() -> AliasDictionary:
    return _load().dictionary


def alias_words() -> list[str]:
    """Every word of every alias set (suggestions propose them)."""
    return _load().words


def forget() -> None:
    """Drop the cached dictionary (tests; an edit on this server)."""
    global _cache
    with _lock:
        _cache = None


@dataclass(frozen=True)
class QueryCount:
    query: str
    searches: int
    zero_results: int

    @property
    def zero_share(self) -> int:
        return round(100 * self.zero_results / self.searches) if self.searches else 0


# a query searched once may be someone's name or address typed into the box: editors see a
# query only once several searches share it
MIN_SEARCHES = 2


def query_counts(
    *,
    since: dt.date,
    until: dt.date,
    zero_only: bool = False,
    limit: int = 100,
    min_searches: int = MIN_SEARCHES,
) -> list[QueryCount]:
    """Queries searched between two days (inclusive) at least ``min_searches`` times, most
    searched first; ``zero_only``: those that found nothing at least once, most failures
    first."""
    rows = (
        QueryStat.objects.filter(day__gte=since, day__lte=until)
        .values("query")
        .annotate(searches=Sum("searches"), zero=Sum("zero_results"))
        .filter(searches__gte=min_searches)
    )
    if zero_only:
        rows = rows.filter(zero__gt=0).order_by("-zero", "-searches", "query")
    else:
        rows = rows.order_by("-searches", "query")
    return [QueryCount(r["query"], r["searches"], r["zero"]) for r in rows[:limit]]


def totals(*, since: dt.date, until: dt.date) -> tuple[int, int]:
    agg = QueryStat.objects.filter(day__gte=since, day__lte=until).aggregate(
        s=Sum("searches"), z=Sum("zero_results")
    )
    return int(agg["s"] or 0), int(agg["z"] or 0)
