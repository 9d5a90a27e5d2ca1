"""依申请公开: intake throughput and the work queue of an agency with 100,000 cases.

    python -m bench bench_applications
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_applications_bench \\
        python -m bench bench_applications

A throw-away database under bench/data/applications/ (SQLite by default) gets one agency with
100,000 cases over ten years (about 1,500 open, the rest answered and archived), loaded with
bulk_create. Then:

- intake: ``application_register`` one after another (number, query code, deadline, flags,
  audit event, notice), and 200 submissions at once from 200 threads;
- the work-queue page ``/backoffice/applications/`` as the agency's officer, through Django's
  test client (whole request: session, permissions, queries, template), p50/p95/p99 over
  repeated requests, for the default view, the overdue filter, a deep page of all cases and a
  search; and the back-office home's 依申请公开 sections.
Target: work-queue page p95 under 100 ms.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path

from bench import fresh_database

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "applications"
CASES = int(os.environ.get("BENCH_APPLICATIONS_CASES", "100000"))
OPEN_CASES = 1500
REQUESTS = 60


def _setup() -> None:
    fresh_database(DATA)


def _world():
    from gongkai.apps.accounts.models import Role, RoleGrant, User
    from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel

    agency = Agency.objects.create(
        code="bench",
        name="基准测试市交通运输局",
        short_name="测试交通局",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.CITY,
        office_name="办公室",
        office_address="人民路1号",
        office_hours="工作日",
        office_phone="0399-8000000",
    )
    officer = User.objects.create(username="bench_officer", display_name="测试专员", agency=agency)
    RoleGrant.objects.create(user=officer, role=Role.OFFICER)
    head = User.objects.create(username="bench_head", display_name="测试负责人", agency=agency)
    RoleGrant.objects.create(user=head, role=Role.HEAD)
    return agency, officer, head


def _load(agency, officer) -> float:
    """100,000 cases with bulk_create (not timed as part of any figure)."""
    from gongkai.apps.applications.models import Application, NumberCounter
    from gongkai.apps.applications.services.common import today

    rng = random.Random(7)
    now = today()
    started = time.perf_counter()
    rows = []
    seqs: dict[int, int] = {}
    first = now - dt.timedelta(days=3650)
    for i in range(CASES):
        is_open = i >= CASES - OPEN_CASES
        received = (
            now - dt.timedelta(days=rng.randint(0, 60))
            if is_open
            else first + dt.timedelta(days=int(i * 3600 / CASES))
        )
        seqs[received.year] = seqs.get(received.year, 0) + 1
        due = received + dt.timedelta(days=28)
        closed = None if is_open else received + dt.timedelta(days=rng.randint(3, 27))
        state = (
            rng.choice(["registered", "processing", "processing", "correction", "review"])
            if is_open
            else "archived"
        )
        rows.append(
            Application(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                agency=agency,
                number=f"YSQ-{received.year}-{seqs[received.year]:06d}",
                year=received.year,
                seq=seqs[received.year],
                query_code_salt="00",
                query_code_hash="0" * 64,
                state=state,
                state_changed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                channel=rng.choice(["online", "letter", "in_person", "email"]),
                applicant_type="natural_person",
                applicant_name=f"申请人{i}",
                applicant_id_type="id_card",
                applicant_id_number="11010519491231002X",
                applicant_phone="13800000000",
                applicant_key=f"{i % 20000:064d}",
                description=f"请求公开第{i}号道路改造工程的立项批复及投资概算",
                submitted_on=received,
                received_on=received,
                due_date=due,
                officer=officer if state != "registered" else None,
                decision="" if is_open else rng.choice(["disclosed", "not_exist", "partial"]),
                closed_on=closed,
                on_time=None if is_open else True,
                archived_on=closed,
            )
        )
        if len(rows) == 5000:
            Application.objects.bulk_create(rows)
            rows = []
    Application.objects.bulk_create(rows)
    for year, last in seqs.items():
        NumberCounter.objects.create(agency=agency, year=year, series="YSQ", last=last)
    return time.perf_counter() - started


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000

    return at(0.5), at(0.95), at(0.99)


def _time_page(client, url: str, n: int = REQUESTS) -> tuple[float, float, float, int]:
    from django.db import connection

    for _ in range(3):  # warm caches (templates, calendar)
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return (*_percentiles(samples), len(queries))


def _intake(agency, n: int) -> float:
    from gongkai.apps.applications.services import application_register

    started = time.perf_counter()
    for i in range(n):
        application_register(
            actor=None,
            agency=agency,
            channel="online",
            applicant={
                "type": "natural_person",
                "name": f"基准{i}",
                "id_number": "440524188001010014",
                "phone": "13900000000",
            },
            description=f"请求公开基准测试第{i}号文件的全文",
        )
    return time.perf_counter() - started


def main() -> None:
    _setup()
    from django.db import connection
    from django.test import Client

    from gongkai.apps.applications.workqueue import sections

    engine = connection.vendor
    print(f"数据库：{engine}；机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}")
    agency, officer, head = _world()
    seconds = _load(agency, officer)
    print(f"载入 {CASES:,} 件申请（bulk_create）：{seconds:.1f} s")
    if engine == "postgresql":  # what autovacuum does shortly after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    n = 300
    seconds = _intake(agency, n)
    print(
        f"逐件登记 {n} 件：{seconds:.2f} s，{n / seconds:.0f} 件/秒，每件 {seconds / n * 1000:.1f} ms"
    )

    sys.path.insert(0, str(ROOT.parent))
    from tests.apps.applications.concurrent_intake import submit_concurrently

    numbers, errors, seconds = submit_concurrently(
        agency, 200, workers=None if engine == "sqlite" else 40
    )
    seqs = sorted(int(x.rsplit("-", 1)[1]) for x in numbers)
    gap_free = seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False
    print(
        f"200 个线程同时提交：{seconds:.2f} s，{len(numbers)} 件成功，{len(errors)} 件失败，"
        f"登记号{'连续无重复' if gap_free and len(set(numbers)) == len(numbers) else '有缺口或重复'}"
    )
    for error in sorted(set(errors))[:3]:
        print(f"  失败：{error[:200]}")

    client = Client()
    client.force_login(officer)
    print(f"工作队列页面（{REQUESTS} 次请求，毫秒）：p50 / p95 / p99，每次查询数")
    for label, url in [
        ("默认（办理中，按期限）", "/backoffice/applications/"),
        ("已逾期", "/backoffice/applications/?due=overdue"),
        ("全部，第1000页", "/backoffice/applications/?state=all&page=1000"),
        ("按登记号搜索", "/backoffice/applications/?state=all&q=YSQ-2020-000123"),
        ("按内容搜索", "/backoffice/applications/?state=all&q=第99999号"),
    ]:
        p50, p95, p99, queries = _time_page(client, url)
        print(f"  {label:<14} {p50:6.1f} / {p95:6.1f} / {p99:6.1f}  （{queries} 次查询）")
    head_user = type(head).objects.get(pk=head.pk)
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        sections(head_user)
        samples.append(time.perf_counter() - start)
    p50, p95, p99 = _percentiles(samples)
    print(f"  工作台首页依申请公开各栏目 {p50:6.1f} / {p95:6.1f} / {p99:6.1f}")
