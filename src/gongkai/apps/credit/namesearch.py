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
    name). The suffixes are written in their index's order, so that a large batch adds to
    the index's pages one after another instead of all over it."""
    wanted = {n for n in names if n}
    pending = sorted(wanted)
    names_table = connection.ops.quote_name(CreditName._meta.db_table)
    suffix_table = connection.ops.quote_name(CreditNameSuffix._meta.db_table)
    rows: list[tuple[str, int]] = []
    added = 0
    with connection.cursor() as cursor:
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT name FROM {names_table} WHERE name IN ({marks})", chunk)
            known = {name for (name,) in cursor.fetchall()}
            new = [n for n in chunk if n not in known]
            if not new:
                continue
            values = ", ".join(["(%s)"] * len(new))
            cursor.execute(
                f"INSERT INTO {names_table} (name) VALUES {values} ON CONFLICT DO NOTHING", new
            )
            marks = ", ".join(["%s"] * len(new))
            cursor.execute(f"SELECT id, name FROM {names_table} WHERE name IN ({marks})", new)
            rows.extend((suffix, pk) for pk, name in cursor.fetchall() for suffix in suffixes(name))
            added += len(new)
        rows.sort()
        if not rows:
            return added
        if connection.vendor == "postgresql":  # one COPY, not a statement per suffix
            with cursor.cursor.copy(f"COPY {suffix_table} (suffix, name_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {suffix_table} (suffix, name_id) VALUES (%s, %s)", rows
            )
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
