"""Public name search over the credit records by index (ADR 0152).

Every distinct public name is stored once (``CreditName``) with each of its suffixes cut to
``SUFFIX_CHARS`` characters (``CreditNameSuffix``). A fragment of a name is the prefix of one
of its suffixes, so a search is a prefix range on a B-tree index: ``suffix >= q AND suffix <
q || U+10FFFF`` on SQLite (binary collation), ``suffix LIKE 'q%'`` on PostgreSQL with the
pattern operator class. It works the same with several application servers (the index is in
the database) and never reads the records it does not return.

A fragment that matches more than ``MAX_NAMES`` (200) names (``有限公司``) is answered from
the first ``MAX_NAMES`` of them and says so; a fragment longer than ``SUFFIX_CHARS`` is looked
up by its first ``SUFFIX_CHARS`` characters and the names found are checked against the whole
fragment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from gongkai.apps.credit.models import CreditName, CreditNameSuffix, CreditRecord

SUFFIX_CHARS = 16
MAX_NAMES = 200
CHUNK = 500
TOP = "\U0010ffff"


def suffixes(name: str) -> list[str]:
    """The distinct suffixes of ``name`` cut to ``SUFFIX_CHARS`` characters."""
    return list(dict.fromkeys(name[i : i + SUFFIX_CHARS] for i in range(len(name))))


def index_names(names: Iterable[str]) -> int:
    """Add the names not indexed yet with their suffixes; returns how many were added.

    Safe to call again with names already indexed, and from several servers at once (a name
    inserted twice is ignored; its suffixes may then be written twice, which finds the same
    name)."""
    wanted = {n for n in names if n}
    added = 0
    pending = sorted(wanted)
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        known = set(CreditName.objects.filter(name__in=chunk).values_list("name", flat=True))
        new = [n for n in chunk if n not in known]
        if not new:
            continue
        CreditName.objects.bulk_create([CreditName(name=n) for n in new], ignore_conflicts=True)
        ids = CreditName.objects.filter(name__in=new).values_list("pk", "name")
        rows = [(suffix, pk) for pk, name in ids for suffix in suffixes(name)]
        table = CreditNameSuffix._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (suffix, name_id) VALUES (%s, %s)",
                rows,
            )
        added += len(new)
    return added


def rebuild() -> int:
    """Index every public name of the records (after a bulk load that bypassed the services)."""
    names = CreditRecord.objects.values_list("public_name", flat=True).distinct().iterator()
    batch: list[str] = []
    added = 0
    for name in names:
        batch.append(name)
        if len(batch) >= 20 * CHUNK:
            added += index_names(batch)
            batch = []
    return added + index_names(batch)


@dataclass(frozen=True)
class NameMatches:
    names: list[str]
    truncated: bool  # more than MAX_NAMES names matched


def matching_names(fragment: str) -> NameMatches:
    """The indexed names that contain ``fragment`` (at most ``MAX_NAMES``)."""
    key = fragment[:SUFFIX_CHARS]
    rows = CreditNameSuffix.objects.all()
    if connection.vendor == "postgresql":
        rows = rows.filter(suffix__startswith=key)
    else:
        rows = rows.filter(suffix__gte=key, suffix__lt=key + TOP)
    # ids and names in one statement (a join on the name's primary key), in suffix order
    found = dict(rows.values_list("name_id", "name__name")[: MAX_NAMES * 2])
    truncated = len(found) > MAX_NAMES
    names = list(found.values())[:MAX_NAMES]
    if len(fragment) > SUFFIX_CHARS:
        names = [n for n in names if fragment in n]
    return NameMatches(names, truncated)
