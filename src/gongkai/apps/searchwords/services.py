"""Writes: counting a search (no personal data), and administrators' alias edits (audited)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from gongkai import clock
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.searchwords import selectors
from gongkai.apps.searchwords.models import QueryStat, SearchAlias
from gongkai.domain.querywords import parse_alias_words
from gongkai.domain.searchwords import SearchWordAction

MAX_LOGGED_CHARS = 100
# a query that may identify a person is not kept: 11+ digits (phones, identity numbers,
# bank cards), an identity number ending in X, an e-mail address
_PERSONAL = re.compile(r"\d{11,}|\d{17}[xX]|[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}|\d{3,4}[-\s]\d{7,8}")


class AliasError(ValueError):
    """An alias edit that cannot be saved (the message is shown to the administrator)."""


def loggable(query: str) -> str:
    """The form a query is counted under ('' when it is not kept)."""
    text = " ".join(query.split())[:MAX_LOGGED_CHARS]
    if not text or _PERSONAL.search(text.replace(" ", "")) or _PERSONAL.search(text):
        return ""
    return text.lower()


def record_query(query: str, *, found: int, on: dt.date) -> bool:
    """Count one search of ``query`` on day ``on`` (and whether it found nothing). One
    increment in the database, so every server adds to the same row."""
    text = loggable(query)
    if not text:
        return False
    zero = 1 if found == 0 else 0
    rows = QueryStat.objects.filter(day=on, query=text)
    if rows.update(searches=F("searches") + 1, zero_results=F("zero_results") + zero):
        return True
    try:
        with transaction.atomic():
            QueryStat.objects.create(day=on, query=text, searches=1, zero_results=zero)
    except IntegrityError:  # another server created it meanwhile
        rows.update(searches=F("searches") + 1, zero_results=F("zero_results") + zero)
    return True


KEEP_DAYS = 180  # the editors' view looks back 90 days at most


def prune_query_counts(*, before: dt.date) -> int:
    deleted, _ = QueryStat.objects.filter(day__lt=before).delete()
    return deleted


def prune_job(now: dt.datetime) -> int:
    """The scheduler's daily work: counts older than KEEP_DAYS are deleted."""
    return prune_query_counts(before=clock.local_date(now) - dt.timedelta(days=KEEP_DAYS))


def _check(words_text: str) -> list[str]:
    words = parse_alias_words(words_text)
    if len(words) < 2:
        raise AliasError("同义词至少需要两个不同的词")
    if any(len(w) < 2 for w in words):
        raise AliasError("每个同义词至少两个字")
    if any(len(w) > 60 for w in words):
        raise AliasError("每个同义词不能超过60个字")
    return words


def _snapshot(alias: SearchAlias) -> dict[str, Any]:
    return {
        "words": alias.word_list(),
        "agency": alias.agency_id,
        "is_active": alias.is_active,
        "note": alias.note,
    }


def alias_save(
    *,
    actor: Actor,
    words: str,
    alias: SearchAlias | None = None,
    agency_id: int | None = None,
    is_active: bool = True,
    note: str = "",
) -> SearchAlias:
    """Create or change an alias set; the change is audited and used by search at once."""
    cleaned = _check(words) if is_active or alias is None else parse_alias_words(words)
    with transaction.atomic():
        if alias is None:
            if agency_id and SearchAlias.objects.filter(agency_id=agency_id).exists():
                raise AliasError("该机关已有同义词，请直接修改")
            alias = SearchAlias(agency_id=agency_id)
            before = None
            action = SearchWordAction.ALIAS_CREATE
        else:
            alias = SearchAlias.objects.select_for_update().get(pk=alias.pk)
            before = _snapshot(alias)
            action = SearchWordAction.ALIAS_UPDATE
        alias.words = "\n".join(cleaned)
        alias.is_active = is_active
        alias.note = note[:200]
        alias.save()
        audit_record(actor=actor, action=action, obj=alias, before=before, after=_snapshot(alias))
    selectors.forget()
    return alias


def alias_delete(*, actor: Actor, alias: SearchAlias) -> None:
    with transaction.atomic():
        alias = SearchAlias.objects.select_for_update().get(pk=alias.pk)
        audit_record(
            actor=actor, action=SearchWordAction.ALIAS_DELETE, obj=alias, before=_snapshot(alias)
        )
        alias.delete()
    selectors.forget()
