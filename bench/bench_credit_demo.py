"""双公示 part of ``make demo``: the 2018 records at the seed's scale (12.9万 records and 1.1万
red and black list entries, ``apps.credit.demodata.load_2018``) into a fresh database (SQLite
under bench/data, or ``BENCH_DATABASE_URL``), timed alone; then the name index is checked to
hold every name of those records.

The machine is shared: the CPU time of the process (with SQLite the database work runs in it)
is printed beside the wall time, and ``/proc/loadavg`` is printed before and after; record it with the
figures.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench import fresh_database, loadavg

DATA = Path(__file__).resolve().parent / "data" / "credit-demo"


def main() -> dict[str, float]:
    print(f"  /proc/loadavg at start: {loadavg()}", flush=True)
    fresh_database(DATA)
    from gongkai.apps.credit.models import CreditRecord, ListEntry
    from gongkai.apps.organizations.models import Agency
    from gongkai.demo import credit_data as demodata
    from gongkai.demo.world import World
    from gongkai.domain.codes import make_uscc

    agencies = {}
    for i, code in enumerate(demodata.AGENCIES):
        agencies[code] = Agency.objects.create(
            code=code,
            name=f"示例市第{i}执法局",
            kind="department",
            level="city",
            uscc=make_uscc("1", "1", "139900", f"{500000 + i:08d}"),
            office_name="办公室",
            office_address="人民路1号",
            office_hours="工作日",
            office_phone="0399-1",
        )
    started, cpu = time.perf_counter(), time.process_time()
    demodata.load_2018(World(), agencies)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    where = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    records = CreditRecord.objects.filter(decided_on__year=2018).count()
    entries = ListEntry.objects.count()
    print(
        f"  demo 2018 load ({where}): {took:.1f} s wall, {cpu:.1f} s CPU of this process, for "
        f"{records:,} records and {entries:,} list entries",
        flush=True,
    )
    try:
        from gongkai.apps.credit.models import CreditName
    except ImportError:  # a tree from before the name index
        CreditName = None
    if CreditName is not None:
        names = set(CreditRecord.objects.values_list("public_name", flat=True).distinct())
        indexed = set(CreditName.objects.values_list("name", flat=True))
        print(f"  names indexed: {len(names & indexed):,} of {len(names):,}")
    print(f"  /proc/loadavg at end: {loadavg()}", flush=True)
    return {"demo_2018": took}


if __name__ == "__main__":
    main()
