"""Table 二 entries an agency's level cannot have.

规章 are made by the governments of provinces and of cities divided into districts (立法法
第九十三条), never by a 乡镇人民政府 or 街道办事处: a township report with 规章 figures is wrong,
whether it is built here (the figures come from documents tagged 规章) or published elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gongkai.domain.reports.identities import Failure, format_number
from gongkai.domain.reports.model import CellKey, Number, ReportFormat, Severity

TOWNSHIP = "township"

# level -> (table, row) -> why that row must be empty
CANNOT_HAVE: dict[str, dict[tuple[str, str], str]] = {
    TOWNSHIP: {
        ("t2", "rules"): "乡镇人民政府、街道办事处不能制定规章（立法法第九十三条）",
    },
}

_TOWNSHIP_NAME = re.compile(r"(?:乡|镇)人民政府|街道办事处|(?:乡|镇)政府")


def level_from_name(name: str) -> str | None:
    """The level a report's title or agency name shows, where it shows one (乡镇、街道)."""
    return TOWNSHIP if _TOWNSHIP_NAME.search(name or "") else None


def level_failures(
    fmt: ReportFormat, values: Mapping[CellKey, Number | None], level: str | None
) -> list[Failure]:
    """A failure for every table 二 row with figures that an agency of ``level`` cannot have."""
    out: list[Failure] = []
    for (table_key, row_key), why in CANNOT_HAVE.get(level or "", {}).items():
        try:
            table = fmt.table(table_key)
            block = table.block_of(row_key)
        except KeyError:
            continue
        cells = [(table_key, row_key, col.key) for col in block.columns]
        stated = [(c, values.get(c)) for c in cells]
        nonzero = [(c, v) for c, v in stated if v]
        if not nonzero:
            continue
        shown = "，".join(f"{fmt.cell_label(c)} = {format_number(v)}" for c, v in nonzero)
        label = f"{table.short or table.title}“{table.row(row_key).label}”行"
        out.append(
            Failure(
                key=f"level[{table_key}:{row_key}]",
                label=label,
                severity=Severity.ERROR,
                lhs=sum((v for _c, v in nonzero if v is not None), 0),
                rhs=0,
                cells=tuple(stated),
                message=f"{label}应为空：{why}；报告填写了 {shown}",
            )
        )
    return out
