"""Run N online submissions at once against a real database; print the numbers as JSON.

Used by test_concurrency (as a subprocess for SQLite, which needs a file database for
threads; directly for PostgreSQL) and by bench_applications.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time


def submit_concurrently(
    agency, n: int, *, workers: int | None = None
) -> tuple[list[str], list[str], float]:
    """N threads register one request each; returns (numbers, errors, seconds)."""
    from django.db import connection

    from gongkai.apps.applications.services import application_register

    numbers: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(min(n, workers or n))
    semaphore = threading.Semaphore(workers or n)

    def one(i: int) -> None:
        with semaphore:
            try:
                with contextlib.suppress(threading.BrokenBarrierError):
                    start.wait(timeout=30)
                app = application_register(
                    actor=None,
                    agency=agency,
                    channel="online",
                    applicant={
                        "type": "natural_person",
                        "name": f"申请人{i}",
                        "id_number": "11010519491231002X",
                        "phone": f"139{i:08d}",
                    },
                    description=f"请求公开第{i}号文件的全文及其附件材料",
                )
                with lock:
                    numbers.append(app.number)
            except Exception as exc:  # recorded: the test fails if any submission fails
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return numbers, errors, time.perf_counter() - began


def main() -> None:
    n = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    if os.environ.get("GONGKAI_TEST_NOW"):  # the test suite's clock, not the wall clock
        import datetime as dt

        from gongkai import clock

        clock.set_fixed(dt.datetime.fromisoformat(os.environ["GONGKAI_TEST_NOW"]))
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel

    agency = Agency.objects.create(
        code="conc",
        name="并发测试局",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.CITY,
        office_name="办公室",
        office_address="人民路1号",
        office_hours="工作日",
        office_phone="0399-8000000",
    )
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else None
    numbers, errors, seconds = submit_concurrently(agency, n, workers=workers)
    print(json.dumps({"numbers": numbers, "errors": errors, "seconds": seconds}))


if __name__ == "__main__":
    main()
