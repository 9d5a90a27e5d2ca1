"""A report's figures as plain JSON (the CLI, the API and the checker print the same shape)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.domain.reports.identities import Validation
from gongkai.domain.reports.model import CellKey, Number, ReportFormat, cell_id


def json_number(value: Number | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return format(value.normalize(), "f") if value == value.normalize() else str(value)


def tables_json(
    fmt: ReportFormat,
    values: Mapping[CellKey, Number | None],
    *,
    table_keys: Iterable[str] | None = None,
    found_in: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    keys = list(table_keys) if table_keys is not None else [t.key for t in fmt.tables]
    out = []
    for key in keys:
        table = fmt.table(key)
        rows = []
        for block in table.blocks:
            for row in block.rows:
                rows.append(
                    {
                        "row": row.key,
                        "label": " ".join(row.path) or table.title,
                        "values": {
                            col.key: json_number(values.get((key, row.key, col.key)))
                            for col in block.columns
                        },
                    }
                )
        entry: dict[str, Any] = {"table": key, "title": table.title, "rows": rows}
        if found_in is not None:
            entry["found_in"] = found_in.get(key, "")
        out.append(entry)
    return out


def validation_json(
    fmt: ReportFormat,
    validation: Validation,
    where: Mapping[CellKey, str] | None = None,
    unreadable: Mapping[CellKey, str] | None = None,
) -> dict[str, Any]:
    where = where or {}
    unreadable = unreadable or {}
    return {
        "checked": validation.checked,
        "held": validation.held,
        "ok": validation.ok,
        "complete": validation.complete,
        "held_identities": [{"key": k, "label": label} for k, label in validation.held_labels],
        "unchecked": [
            {
                "key": u.key,
                "label": u.label,
                "reasons": list(u.reasons),
                "cells": [
                    {"cell": cell_id(c), "label": fmt.cell_label(c), "why": unreadable.get(c, "")}
                    for c in u.cells
                ],
            }
            for u in validation.unchecked
        ],
        "failed": [
            {
                "key": f.key,
                "label": f.label,
                "severity": str(f.severity),
                "message": f.message,
                "cells": [
                    {
                        "cell": cell_id(c),
                        "label": fmt.cell_label(c),
                        "value": json_number(value),
                        "where": where.get(c, ""),
                    }
                    for c, value in f.cells
                ],
            }
            for f in validation.failures
        ],
        "skipped": [{"label": label, "reason": why} for label, why in validation.skipped],
        "suspects": [cell_id(c) for c in validation.suspects()],
    }
