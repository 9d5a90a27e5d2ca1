"""政府信箱: importing 100,000 12345 work orders, and the public column over 1,000,000 letters.

    python -m bench bench_mailbox            # SQLite under bench/data/mailbox/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_mailbox_bench python -m bench bench_mailbox

1. Import: a 100,000-row CSV (and the same orders as XLSX) through the service the job and the
   CLI use (parse, resolve 承办单位, numbers, due dates on the working-day calendar, insert,
   audit per agency and chunk); then the same file again (idempotent: nothing is added).
   Target: under 60 s.
2. Public list: 1,000,000 published letters; GET /mailbox/ through the whole Django stack
   (middleware, view, template) for the first page, random pages up to the last one offered,
   an agency filter, a category filter and a title keyword. Target: p95 under 100 ms.

Generated data stays under bench/data/mailbox/ (git-ignored) and is reused on the next run;
BENCH_MAILBOX_ONLY=list or =import runs one part.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path

from bench import ensure_database

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "mailbox"
ORDERS = 100_000
PUBLIC = 1_000_000
SUBJECTS = [
    "公交站台被拆除",
    "小区路灯不亮",
    "物业乱收费",
    "学校违规补课",
    "工地夜间施工扰民",
    "养老保险转移",
    "低保申请咨询",
    "道路积水严重",
    "出租车拒载",
    "餐馆卫生差",
]


def _setup() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_DATA_DIR"] = str(DATA)
    url = os.environ.get("BENCH_DATABASE_URL")
    ensure_database(url)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.apps.mailbox.models import MailboxSettings
    from gongkai.apps.organizations.models import Agency
    from gongkai.demo.organizations import load_agencies
    from gongkai.demo.world import World

    if not Agency.objects.filter(code="bgs").exists():
        from django.db import transaction

        with transaction.atomic():
            load_agencies(World())
    settings_row = MailboxSettings.objects.first() or MailboxSettings()
    settings_row.dispatch_agency = Agency.objects.get(code="bgs")
    settings_row.save()


def _agencies() -> list[str]:
    from gongkai.apps.organizations.models import Agency

    return list(Agency.objects.filter(is_active=True).values_list("name", flat=True))


def _orders_csv(path: Path, n: int, agencies: list[str]) -> None:
    rng = random.Random(12345)
    start = dt.datetime(2026, 1, 5, 8, 0)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["工单编号", "来电时间", "来电人/联系方式", "内容", "承办单位"])
        for i in range(n):
            called = start + dt.timedelta(minutes=rng.randrange(60 * 24 * 300))
            subject = rng.choice(SUBJECTS)
            writer.writerow(
                [
                    f"12345-BENCH-{i:07d}",
                    f"{called:%Y-%m-%d %H:%M}",
                    f"市民{i % 97} 13{rng.randrange(10**9):09d}",
                    f"{subject}，地点在人民路附近，请相关部门尽快处理。工单{i}。",
                    rng.choice(agencies) if rng.random() < 0.9 else "",
                ]
            )


def _orders_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    book.save(xlsx_path)


def _reset_letters(*, hotline_only: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if hotline_only:
            cursor.execute("DELETE FROM mailbox_letter WHERE source = 'hotline'")
            return
        for table in (
            "mailbox_publicletter",
            "mailbox_letterevent",
            "mailbox_letterattachment",
            "mailbox_letter",
            "mailbox_lettercounter",
        ):
            cursor.execute(f"DELETE FROM {table}")


def bench_import() -> None:
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.mailbox.models import Letter
    from gongkai.apps.mailbox.services import import_content

    agencies = _agencies()
    csv_path = DATA / "orders-100k.csv"
    if not csv_path.exists():
        _orders_csv(csv_path, ORDERS, agencies)
    xlsx_path = DATA / "orders-100k.xlsx"
    if not xlsx_path.exists():
        _orders_xlsx(csv_path, xlsx_path)
    for path in (csv_path, xlsx_path):
        _reset_letters(hotline_only=True)
        existing = Letter.objects.count()
        content = path.read_bytes()
        started = time.perf_counter()
        cpu = time.process_time()
        outcome = import_content(actor=SYSTEM, file_name=path.name, content=content)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"import {path.suffix[1:]:4} {ORDERS:,} orders: {wall:6.1f} s wall, {cpu:6.1f} s CPU"
            f" — created {outcome['created']:,}, bad rows {outcome['failed']}"
        )
        assert outcome["created"] == ORDERS and Letter.objects.count() == existing + ORDERS
        started = time.perf_counter()
        again = import_content(actor=SYSTEM, file_name=path.name, content=content)
        print(
            f"re-import {path.suffix[1:]:4} (idempotent): {time.perf_counter() - started:6.1f} s"
            f" — created {again['created']}, skipped {again['skipped']:,}"
        )
        assert again["created"] == 0 and Letter.objects.count() == existing + ORDERS


def _fill_public(n: int) -> None:
    """n answered letters published in the public column, written in chunks."""
    from django.db import transaction
    from django.utils import timezone

    from gongkai.apps.mailbox.bulk import fast_insert
    from gongkai.apps.mailbox.models import Letter, LetterCounter, PublicLetter
    from gongkai.apps.organizations.models import Agency
    from gongkai.domain.mailbox import format_letter_number

    agency_ids = list(Agency.objects.values_list("pk", flat=True))
    categories = ["consult", "suggestion", "complaint", "help", "other"]
    rng = random.Random(7)
    first = dt.date(2019, 1, 1)
    per_day = n // 2800 + 1
    chunk = 20_000
    started = time.perf_counter()
    for base in range(0, n, chunk):
        letters, publics = [], []
        for i in range(base, min(n, base + chunk)):
            day = first + dt.timedelta(days=i // per_day)
            received = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
            replied = day + dt.timedelta(days=3)
            subject = f"{rng.choice(SUBJECTS)}（{i}）"
            letters.append(
                Letter(
                    number=format_letter_number(day, i % per_day + 1),
                    source="portal",
                    category=rng.choice(categories),
                    subject=subject,
                    content="来信内容。" * 20,
                    writer_name="某某",
                    writer_phone="13800000000",
                    consent_publish=True,
                    status="answered",
                    agency_id=rng.choice(agency_ids),
                    received_at=received,
                    received_on=day,
                    time_limit_days=15,
                    due_on=day + dt.timedelta(days=21),
                    reply="答复内容。" * 30,
                    replied_at=received + dt.timedelta(days=3),
                    replied_on=replied,
                    on_time=True,
                    publish_status="published",
                )
            )
        with transaction.atomic():
            fast_insert(Letter, letters)
            for letter in letters:
                publics.append(
                    PublicLetter(
                        letter_id=letter.pk,
                        number=letter.number,
                        category=letter.category,
                        agency_id=letter.agency_id,
                        source="portal",
                        subject=letter.subject,
                        content=letter.content,
                        reply=letter.reply,
                        received_on=letter.received_on,
                        replied_on=letter.replied_on,
                        published_at=letter.replied_at + dt.timedelta(hours=2),
                    )
                )
            fast_insert(PublicLetter, publics)
        if (base // chunk) % 10 == 0:
            print(f"  … {base + len(letters):,} letters ({time.perf_counter() - started:.0f} s)")
    with transaction.atomic():  # the numbers used, so later letters continue after them
        LetterCounter.objects.all().delete()
        last_day = first + dt.timedelta(days=(n - 1) // per_day)
        LetterCounter.objects.bulk_create(
            [
                LetterCounter(day=first + dt.timedelta(days=d), last=per_day)
                for d in range((last_day - first).days + 1)
            ]
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "ANALYZE mailbox_publicletter"
        )


def _times(client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def _report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{label:<34} n={len(samples):<4} p50 {statistics.median(samples):6.1f} ms"
        f"  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
    )


def bench_public_list() -> None:
    from django.core.cache import cache
    from django.test import Client

    from gongkai.apps.mailbox.models import PublicLetter
    from gongkai.apps.organizations.models import Agency

    if PublicLetter.objects.count() != PUBLIC:
        _reset_letters(hotline_only=False)
        print(f"generating {PUBLIC:,} published letters …")
        _fill_public(PUBLIC)
    client = Client()
    cache.clear()
    cold = _times(client, ["/mailbox/"])[0]
    print(f"first request after a cache clear (counts {PUBLIC:,}): {cold:.0f} ms")
    rng = random.Random(1)
    agencies = list(Agency.objects.values_list("code", flat=True))
    _times(client, ["/mailbox/"] * 5)  # warm up templates and connections
    _report("first page", _times(client, ["/mailbox/"] * 200))
    _report(
        "random page 1–500",
        _times(client, [f"/mailbox/?page={rng.randint(1, 500)}" for _ in range(200)]),
    )
    _report(
        "agency filter, random page 1–20",
        _times(
            client,
            [
                f"/mailbox/?agency={rng.choice(agencies)}&page={rng.randint(1, 20)}"
                for _ in range(200)
            ],
        ),
    )
    _report(
        "category filter, random page 1–50",
        _times(
            client,
            [
                f"/mailbox/?category={rng.choice(['consult', 'complaint', 'help'])}&page={rng.randint(1, 50)}"
                for _ in range(200)
            ],
        ),
    )
    _report(
        "title keyword (common), page 1–5",
        _times(client, [f"/mailbox/?q=公交站台&page={rng.randint(1, 5)}" for _ in range(100)]),
    )
    _report(
        "letter detail",
        _times(
            client,
            [
                f"/mailbox/letters/{n}/"
                for n in PublicLetter.objects.order_by("?").values_list("number", flat=True)[:100]
            ],
        ),
    )
    rare = _times(client, ["/mailbox/?q=不存在的词"] * 5)
    _report("title keyword with no match (scan)", rare)


def main() -> None:
    _setup()
    from django.db import connection

    print(f"database: {connection.vendor}; data under {DATA.relative_to(ROOT.parent)}")
    only = os.environ.get("BENCH_MAILBOX_ONLY", "")  # "list" or "import" to run one part
    if only in ("", "list"):
        bench_public_list()
    if only in ("", "import"):
        bench_import()


if __name__ == "__main__":
    main()
