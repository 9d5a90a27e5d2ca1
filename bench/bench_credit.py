"""双公示: importing decisions from CSV and public search over them.

1. Import: N rows (default 1,000,000; ``BENCH_CREDIT_ROWS``) of 行政处罚 CSV with the national
   column names, 1 % of them with a wrong USCC check digit and 0.5 % minors, through
   ``gongkai.apps.credit.importing.import_rows`` (the same code as the back-office upload) into
   a fresh database (SQLite under bench/data, or ``BENCH_DATABASE_URL``). Target < 120 s.
2. Search: 300 public searches by USCC (exact code), 300 by a name fragment (``第N号商贸``)
   and 50 by a fragment every name contains (``商贸有限公司``, answered from the first
   ``namesearch.MAX_NAMES`` names), each the page the portal shows (count + first 30 rows), and
   200 entity pages' queries; p50/p95. Targets: search p95 ≤ 20 ms, entity page p95 ≤ 30 ms.
   The name search reads the suffix index (ADR 0152), never a LIKE scan of the records.

The machine is shared: the import's CPU time (this process; with SQLite the database work
runs in it) is printed beside its wall time, and ``/proc/loadavg`` is printed before and after; record it with the
figures.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import time
from pathlib import Path

from bench import fresh_database, loadavg

DATA = Path(__file__).resolve().parent / "data" / "credit"
N = int(os.environ.get("BENCH_CREDIT_ROWS", "1000000"))
HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "法定代表人",
    "证件类型",
    "证件号码",
    "决定文书名称",
    "行政处罚决定书文号",
    "处罚类别",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "情节",
]


def _uscc(i: int) -> str:
    from gongkai.domain.codes import make_uscc

    return make_uscc("9", "1", "139900", f"{10000000 + i:08d}")


def _csv() -> Path:
    from gongkai.domain.codes import id_check_char

    path = DATA / f"penalties-{N}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(N):
            code = _uscc(i % (N // 3 + 1))
            if i % 100 == 7:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")  # wrong check digit
            if i % 200 == 3:
                first = f"1399022010{rng.randrange(1, 13):02d}15{rng.randrange(100, 999)}"
                person = ["张小明", "自然人", "", "", "身份证", first + id_check_char(first)]
            else:
                person = [
                    f"示例市第{i % (N // 3 + 1)}号商贸有限公司",
                    "法人及非法人组织",
                    code,
                    "王五",
                    "",
                    "",
                ]
            day = f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}"
            writer.writerow(
                [
                    *person,
                    "行政处罚决定书",
                    f"示市监罚〔2026〕{i + 1}号",
                    "罚款",
                    "违反市场监管秩序",
                    "经查……",
                    "《某法》第十条",
                    "罚款0.5万元",
                    "0.5",
                    day,
                    "一般",
                ]
            )
    return path


def _setup() -> None:
    # a directory per database, so that a SQLite and a PostgreSQL run can go at once
    fresh_database(DATA / ("db-pg" if os.environ.get("BENCH_DATABASE_URL") else "db"))


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> dict[str, float]:
    print(f"  /proc/loadavg at start: {loadavg()}", flush=True)
    started = time.perf_counter()
    path = _csv()
    print(f"  CSV of {N:,} rows ready in {time.perf_counter() - started:.1f} s", flush=True)
    _setup()
    import datetime as dt

    from gongkai import clock
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.credit import selectors
    from gongkai.apps.credit.importing import import_rows
    from gongkai.apps.organizations.models import Agency

    agency = Agency.objects.create(
        code="scj",
        name="示例市市场监督管理局",
        kind="department",
        level="city",
        uscc="11441700007280420Y",
        office_name="办公室",
        office_address="人民路1号",
        office_hours="工作日",
        office_phone="0399-1",
    )
    now = clock.at_local(dt.date(2026, 11, 30), 10)
    started, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as fh:
        report = import_rows(
            actor=SYSTEM,
            agency=agency,
            kind="penalty",
            rows=csv.reader(fh),
            now=now,
            file_name=path.name,
        )
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    where = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    print(
        f"  import of {N:,} rows ({where}): {took:.1f} s wall, {cpu:.1f} s CPU of this "
        f"process (target < 120 s); created "
        f"{report.created:,}, row errors {report.failed:,}"
    )
    if os.environ.get("BENCH_DATABASE_URL"):
        # what autovacuum does soon after a bulk load in service; run here so that the figures
        # do not depend on when it wakes
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = dt.date(2026, 11, 30)
    rng = random.Random(11)

    def timed(fn) -> float:
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) * 1000

    from gongkai.apps.credit import namesearch

    def search(q: str) -> None:  # as the page asks: the names once, for rows and note
        matches = None if q.startswith("9") else namesearch.matching_names(q)
        rows = selectors.public_search(today=today, q=q, matches=matches)
        rows.count()
        list(rows[:30])

    def entity(code: str) -> None:
        list(selectors.entity_records(uscc=code, today=today))
        selectors.entity_inspections(uscc=code)
        list(selectors.public_lists(kind="black", today=today).filter(uscc=code))

    last = N // 3
    by_code = [timed(lambda: search(_uscc(rng.randrange(last)))) for _ in range(300)]
    by_name = [timed(lambda: search(f"第{rng.randrange(last)}号商贸")) for _ in range(300)]
    common = [timed(lambda: search("商贸有限公司")) for _ in range(50)]
    pages = [timed(lambda: entity(_uscc(rng.randrange(last)))) for _ in range(200)]
    for label, values, target in (
        ("search by USCC", by_code, 20),
        ("search by name", by_name, 20),
        ("search by a fragment of every name", common, 20),
        ("entity page queries", pages, 30),
    ):
        print(
            f"  {label}: p50 {statistics.median(values):.1f} ms, p95 {_pct(values, 95):.1f} ms "
            f"(target p95 ≤ {target} ms)"
        )
    print(f"  /proc/loadavg at end: {loadavg()}", flush=True)
    return {
        "import": took,
        "uscc_p95": _pct(by_code, 95),
        "name_p95": _pct(by_name, 95),
        "entity_p95": _pct(pages, 95),
    }


if __name__ == "__main__":
    main()
