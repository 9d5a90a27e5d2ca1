"""Working-day arithmetic and deadline computation, pure and through the app.

    python -m bench bench_deadlines

Pure part: build the official calendar, add working days, compute deadlines with random
events. App part (a throw-away SQLite database under bench/data/): the cached calendar read,
``deadline_for`` per case, and a calendar edit that recomputes 2,000 open cases through a
listener inside the edit's transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import time
from pathlib import Path

from gongkai.domain.deadlines import (
    RULESET_2019,
    CaseEvent,
    EventKind,
    compute_deadline,
)
from gongkai.domain.workdays import WorkCalendar

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "deadlines"
OFFICIAL = ROOT.parent / "src" / "gongkai" / "apps" / "workcalendar" / "data" / "official.json"


def _timed(fn, repeat: int = 5) -> float:
    """Best of ``repeat`` runs, seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _official() -> WorkCalendar:
    import json

    data = json.loads(OFFICIAL.read_text(encoding="utf-8"))
    years = [y["year"] for y in data["years"]]
    return WorkCalendar.from_entries(
        min(years),
        max(years),
        ((dt.date.fromisoformat(e["date"]), e["kind"], e["name"]) for e in data["entries"]),
    )


def _random_cases(n: int, seed: int = 3) -> list[tuple[dt.date, list[CaseEvent]]]:
    rng = random.Random(seed)
    first = dt.date(2019, 5, 15).toordinal()
    last = dt.date(2026, 6, 30).toordinal()
    cases = []
    for _ in range(n):
        received = dt.date.fromordinal(rng.randint(first, last))
        events: list[CaseEvent] = []
        roll = rng.random()
        if roll < 0.2:
            notice = received + dt.timedelta(days=rng.randint(1, 9))
            events.append(
                CaseEvent(EventKind.CORRECTION_NOTICE, notice, until=notice + dt.timedelta(days=15))
            )
            events.append(
                CaseEvent(
                    EventKind.CORRECTION_RECEIVED, notice + dt.timedelta(days=rng.randint(1, 14))
                )
            )
        elif roll < 0.4:
            start = received + dt.timedelta(days=rng.randint(1, 20))
            reason = rng.choice(["third_party", "other_agency", "fee"])
            events.append(CaseEvent(EventKind.PAUSE_START, start, reason=reason))
            events.append(
                CaseEvent(
                    EventKind.PAUSE_END,
                    start + dt.timedelta(days=rng.randint(1, 20)),
                    reason=reason,
                )
            )
        if rng.random() < 0.1:
            events.append(
                CaseEvent(
                    EventKind.EXTENSION,
                    received + dt.timedelta(days=rng.randint(5, 20)),
                    working_days=rng.randint(5, 20),
                )
            )
        cases.append((received, events))
    return cases


def bench_pure() -> list[tuple[str, str]]:
    rows = []
    build = _timed(_official, repeat=3)
    rows.append(("build the 2004–2026 calendar from 771 entries", f"{build * 1000:.1f} ms"))
    cal = _official()
    rng = random.Random(1)
    starts = [
        dt.date.fromordinal(
            rng.randint(dt.date(2004, 1, 1).toordinal(), dt.date(2026, 9, 1).toordinal())
        )
        for _ in range(100_000)
    ]
    add = _timed(lambda: [cal.add_working_days(s, 20) for s in starts], repeat=3)
    rows.append(
        (
            "add_working_days(start, 20), 100,000 calls",
            f"{add:.3f} s = {add / 100_000 * 1e6:.2f} µs/call",
        )
    )
    cases = _random_cases(10_000)
    per = []

    def run() -> None:
        for received, events in cases:
            compute_deadline(received=received, events=events, calendar=cal, rules=RULESET_2019)

    total = _timed(run, repeat=3)
    for received, events in cases[:2000]:
        start = time.perf_counter()
        compute_deadline(received=received, events=events, calendar=cal, rules=RULESET_2019)
        per.append(time.perf_counter() - start)
    per.sort()
    rows.append(
        (
            "compute_deadline with day-by-day explanation, 10,000 cases (40% with 补正/pauses, 10% extended)",
            f"{total:.3f} s = {total / len(cases) * 1e6:.0f} µs/case "
            f"(median {statistics.median(per) * 1e6:.0f} µs, p99 {per[int(len(per) * 0.99)] * 1e6:.0f} µs)",
        )
    )
    return rows


def bench_app() -> list[tuple[str, str]]:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_DATA_DIR"] = str(DATA)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.apps.accounts.models import Role, RoleGrant, User
    from gongkai.apps.workcalendar import selectors, services
    from gongkai.registry import calendar_change_listeners

    rows = []
    selectors.invalidate()
    cold = _timed(lambda: (selectors.invalidate(), selectors.calendar_current()), repeat=3)
    rows.append(
        ("calendar_current(), cold (load 23 years from the database)", f"{cold * 1000:.1f} ms")
    )
    warm = _timed(lambda: [selectors.calendar_current() for _ in range(1000)], repeat=3)
    rows.append(
        ("calendar_current(), cached (one version query)", f"{warm / 1000 * 1e6:.0f} µs/call")
    )
    cases = _random_cases(2000, seed=7)
    per_case = _timed(
        lambda: [selectors.deadline_for(received=r, events=e) for r, e in cases], repeat=3
    )
    rows.append(("deadline_for() per case", f"{per_case / len(cases) * 1e6:.0f} µs/case"))

    admin = User.objects.create(username="bench-admin")
    RoleGrant.objects.create(user=admin, role=Role.ADMIN)
    open_cases = {i: [r, e, None] for i, (r, e) in enumerate(cases)}
    for case in open_cases.values():
        case[2] = selectors.deadline_for(received=case[0], events=case[1]).due
    moved = [0]

    def recompute(changed, actor):
        for case in open_cases.values():
            due = selectors.deadline_for(received=case[0], events=case[1]).due
            if due != case[2]:
                case[2] = due
                moved[0] += 1

    saved = list(calendar_change_listeners)
    calendar_change_listeners[:] = [recompute]
    try:
        start = time.perf_counter()
        services.calendar_entry_save(
            actor=admin, day=dt.date(2024, 11, 20), kind="holiday", name="测试假日"
        )
        edit = time.perf_counter() - start
    finally:
        calendar_change_listeners[:] = saved
    rows.append(
        (
            f"edit one calendar day, listener recomputes {len(open_cases)} open cases",
            f"{edit:.2f} s ({moved[0]} due dates moved)",
        )
    )
    return rows


def main() -> None:
    for label, value in bench_pure() + bench_app():
        print(f"{label}: {value}", flush=True)


if __name__ == "__main__":
    main()
