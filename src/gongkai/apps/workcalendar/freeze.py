"""Freeze the chinese-calendar package's holiday data into ``data/official.json``.

The seed migration reads that file, never the package, so installing a newer package cannot
change what an old migration loads. Run it again only to regenerate the file:

    python -m gongkai.apps.workcalendar.freeze

The package names holidays in English; the file keeps the names the State Council's notices use.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "official.json"

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# 国务院办公厅关于延长2020年春节假期的通知: the 2020 Spring Festival ran to 2 February
# (1 February, a Saturday, had been a make-up working day in the original notice)
SPRING_2020_EXTENSION = {dt.date(2020, 1, 31), dt.date(2020, 2, 1), dt.date(2020, 2, 2)}
SPRING_2020_SOURCE = "国务院办公厅关于延长2020年春节假期的通知"


VICTORY_DAY_2015_SOURCE = (
    "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知"
)


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def _source(day: dt.date, name: str) -> str:
    if day in SPRING_2020_EXTENSION:
        return SPRING_2020_SOURCE
    if name == "抗战胜利纪念日":
        return VICTORY_DAY_2015_SOURCE
    # the New Year holiday of year Y (and its make-up day) can fall in late December of Y-1
    year = day.year + 1 if name == "元旦" and day.month == 12 else day.year
    return notice_title(year)


def build() -> dict[str, object]:
    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    entries = []
    for kind, table in (("holiday", holidays), ("workday", workdays)):
        for day, holiday in table.items():
            name = CHINESE_NAMES[str(holiday)]
            if day in SPRING_2020_EXTENSION:
                name = "春节延长"
            entries.append(
                {
                    "date": day.isoformat(),
                    "kind": kind,
                    "name": name,
                    "source": _source(day, CHINESE_NAMES[str(holiday)]),
                }
            )
    entries.sort(key=lambda e: e["date"])
    years = sorted({int(e["date"][:4]) for e in entries})
    return {
        "title": "国务院办公厅历年部分节假日安排",
        "generated_from": f"chinese-calendar {chinese_calendar.__version__}",
        "years": [{"year": y, "notice": notice_title(y)} for y in range(years[0], years[-1] + 1)],
        "entries": entries,
    }


def dumps(data: dict[str, object]) -> str:
    """One entry per line: small, and a yearly update reads as a short diff."""
    head = {k: v for k, v in data.items() if k != "entries"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [']
    entries = data["entries"]
    assert isinstance(entries, list)
    lines.extend(
        json.dumps(e, ensure_ascii=False) + ("," if i < len(entries) - 1 else "")
        for i, e in enumerate(entries)
    )
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main() -> int:
    data = build()
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    DATA_FILE.write_text(dumps(data), encoding="utf-8")
    sys.stdout.write(f"{DATA_FILE.name}: {len(data['entries'])} 条\n")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
