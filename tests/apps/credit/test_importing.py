"""Import from departments' files: row report (line, field, Chinese message), idempotent on
文号 + 决定机关, bad rows never stop good ones, nothing stored is lost."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import Workbook

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.credit.models import CreditRecord
from gongkai.domain.credit import FIELD_BY_KEY, CreditState
from tests.apps.credit.factories import penalty_row, person_id, person_row

pytestmark = pytest.mark.django_db

KEYS = [*penalty_row(None).keys(), "id_type", "id_number"]


def rows_for(world):
    good = [penalty_row(world.dept_a, n=n) for n in (1, 2, 3)]
    bad_code = penalty_row(world.dept_a, n=4, uscc="91350200M000000510")
    bad_date = penalty_row(world.dept_a, n=5, decided_on="2026-02-30")
    minor = person_row(world.dept_a, n=6, id_number=person_id("20100101"))
    duplicate = penalty_row(world.dept_a, n=1)
    return [good[0], bad_code, good[1], bad_date, minor, duplicate, good[2]]


def as_csv(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([FIELD_BY_KEY[k].label for k in KEYS])
    for row in rows:
        writer.writerow([row.get(k, "") for k in KEYS])
    return out.getvalue().encode(encoding)


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([FIELD_BY_KEY[k].label for k in KEYS])
    for row in rows:
        sheet.append([row.get(k, "") for k in KEYS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(world, name, content, client=None):
    c = client or Client()
    c.force_login(world.officer_a)
    return c.post(
        "/backoffice/credit/import/", {"kind": "penalty", "file": _file(name, content)}
    ).content.decode()


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "make"), [("a.csv", as_csv), ("a.xlsx", as_xlsx)])
def test_bad_rows_are_reported_and_good_rows_stored(world, name, make):
    body = upload(world, name, make(rows_for(world)))
    assert "共 7 行：新增 4 条" in body
    assert (
        "<td>3</td><td>统一社会信用代码</td><td>统一社会信用代码校验码错误：应为“D”，实为“0”</td>"
        in body
    )
    assert "<td>5</td><td>决定日期</td>" in body and "不是有效日期" in body
    assert "与第2行文号重复" in body
    stored = CreditRecord.objects.order_by("doc_number")
    assert stored.count() == 4
    assert stored.filter(state=CreditState.WITHHELD, minor=True).count() == 1
    assert AuditEvent.objects.filter(action="credit.import").count() == 1


def test_reimport_is_idempotent_and_a_changed_row_corrects(world):
    content = as_csv(rows_for(world))
    upload(world, "a.csv", content)
    body = upload(world, "a.csv", content)
    assert "新增 0 条，更正 0 条，未变 4 条" in body
    assert CreditRecord.objects.count() == 4
    changed = [penalty_row(world.dept_a, n=1, content="罚款0.8万元", fine_wan="0.8")]
    body = upload(world, "b.csv", as_csv(changed, "gb18030"))
    assert "更正 1 条" in body
    assert CreditRecord.objects.filter(state=CreditState.SUPERSEDED).count() == 1
    assert CreditRecord.objects.exclude(state=CreditState.SUPERSEDED).count() == 4


def test_missing_columns_and_wrong_files_are_refused_in_chinese(world):
    body = upload(world, "a.csv", "行政相对人名称\n某公司\n".encode())
    assert "表头缺少列" in body and "决定文书号" in body
    body = upload(world, "a.xlsx", b"not a zip at all")
    assert "XLSX" in body or "Excel" in body or "文件" in body
    assert not CreditRecord.objects.exists()


def test_import_through_csrf_enforcing_client(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.officer_a)
    token = c.get("/backoffice/credit/import/").cookies["csrftoken"].value
    response = c.post(
        "/backoffice/credit/import/",
        {
            "kind": "penalty",
            "file": _file("a.csv", as_csv(rows_for(world))),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200 and CreditRecord.objects.count() == 4


def test_a_file_of_several_batches_is_checked_in_forked_processes_with_the_same_outcome(
    world, monkeypatch
):
    from django.db import transaction

    from gongkai import clock, forked
    from gongkai.apps.credit import importing

    pools = []

    class CountedPool(forked.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(forked, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(importing, "BATCH", 2)
    rows = [*rows_for(world), penalty_row(world.dept_a, n=8, uscc="91350200M000000510")]
    content = as_csv(rows).decode("utf-8-sig")

    def run(workers):
        with transaction.atomic():
            report = importing.import_rows(
                actor=world.officer_a,
                agency=world.dept_a,
                kind="penalty",
                rows=csv.reader(io.StringIO(content)),
                now=clock.now(),
                workers=workers,
            )
            stored = list(
                CreditRecord.objects.order_by("doc_number").values_list(
                    "doc_number", "state", "public_name", "public_until", "due_date", "minor"
                )
            )
            events = list(
                AuditEvent.objects.filter(action="credit.import")
                .order_by("pk")
                .values_list("after", flat=True)
            )
            transaction.set_rollback(True)
        return report, stored, events

    forked = run(2)
    assert len(pools) == 1
    assert run(1) == forked and len(pools) == 1
    report, stored, events = forked
    assert (report.rows, report.created, report.unchanged, report.failed) == (8, 4, 1, 3)
    assert sorted({line for line, _f, _m in report.errors}) == [3, 5, 9]
    assert len(stored) == 4 and len(events) == 4  # one per batch with new records
