"""Suggestions for a search that found nothing (ADR 0142): a corrected query that finds
documents (“您是不是要找”), and the agency or column the query names. The vocabulary is the
catalogue's own (columns, topics, agencies) plus the alias words of ``searchwords``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from gongkai.apps.catalog.models import Column, Topic
from gongkai.apps.organizations.models import Agency
from gongkai.apps.searchwords import selectors
from gongkai.domain.nearmiss import Correction, Vocabulary
from gongkai.domain.segment import LEGAL_TERMS


@dataclass
class _Cached:
    built: float
    alias_words: list[str]
    vocabulary: Vocabulary
    places: list[tuple[str, str, str]]  # (name, kind label, url)


_cache: _Cached | None = None
_lock = threading.Lock()


def _places() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for code, name, short in Agency.objects.filter(is_active=True).values_list(
        "code", "name", "short_name"
    ):
        url = reverse("catalog:agency", args=[code])
        out.append((name, "机关", url))
        if short:
            out.append((short, "机关", url))
    for slug, name in Column.objects.values_list("slug", "name"):
        out.append((name, "栏目", reverse("catalog:column", args=[slug])))
    return out


def _load() -> _Cached:
    global _cache
    # rebuilt when the alias dictionary is (an edit of an alias or an agency, ADR 0140)
    words = selectors.alias_words()
    now = time.monotonic()
    with _lock:
        if _cache is not None and _cache.alias_words is words:
            return _cache
        places = _places()
        topics = list(Topic.objects.values_list("name", flat=True))
        vocabulary = Vocabulary([*LEGAL_TERMS, *words, *(p[0] for p in places), *topics])
        _cache = _Cached(now, words, vocabulary, places)
        return _cache


def forget() -> None:
    global _cache
    with _lock:
        _cache = None


def corrections(
    query: str, found: Callable[[str], int], limit: int = 3
) -> list[tuple[Correction, int]]:
    """Corrections of ``query`` that find documents, best first, with how many they find."""
    out: list[tuple[Correction, int]] = []
    for correction in _load().vocabulary.corrections(query, limit=8):
        total = found(correction.query)
        if total:
            out.append((correction, total))
            if len(out) >= limit:
                break
    return out


def places(query: str, limit: int = 3) -> list[dict[str, str]]:
    """Agencies and columns whose name the query contains or is contained in (or one
    character away from), closest first."""
    text = "".join(query.split())
    if len(text) < 2:
        return []
    scored: list[tuple[float, str, str, str]] = []
    seen: set[str] = set()
    for name, kind, url in _load().places:
        if url in seen:
            continue
        if name == text:
            score = 3.0
        elif text in name or (len(name) >= 3 and name in text):
            score = 2.0 + min(len(name), len(text)) / max(len(name), len(text))
        elif len(name) == len(text) and sum(a != b for a, b in zip(name, text, strict=True)) == 1:
            score = 1.5
        else:
            continue
        seen.add(url)
        scored.append((score, name, kind, url))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [{"name": n, "kind": k, "url": u} for _s, n, k, u in scored[:limit]]


def warm_up() -> None:
    """Build the alias dictionary and the suggestion vocabulary in the background when a
    server process starts (its own database connection, closed afterwards)."""
    import logging

    from django.db import DatabaseError, connection

    try:
        _load()
    except DatabaseError:  # not migrated yet: built by the first search instead
        logging.getLogger(__name__).info("search words not warmed up", exc_info=True)
    finally:
        connection.close()
