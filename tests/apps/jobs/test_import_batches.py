"""Import batches (ADR 0173): one base, one row-error shape, one start → run → finish path,
and migrations that carry the older batches' row errors over into that shape."""

from __future__ import annotations

import gzip
import hashlib
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.catalog.models import ImportBatch
from gongkai.apps.inspections.models import EntityImport
from gongkai.apps.jobs.imports import RowErrors, batch_fail, batch_finish, error_table
from gongkai.apps.jobs.models import ImportBatchBase, ImportStatus
from gongkai.apps.mailbox.models import HotlineImport

pytestmark = pytest.mark.django_db


def _migration(app: str, name: str):
    return importlib.import_module(f"gongkai.apps.{app}.migrations.{name}")


def test_the_three_importers_share_the_base():
    for model in (ImportBatch, EntityImport, HotlineImport):
        assert issubclass(model, ImportBatchBase)
        names = {f.name for f in model._meta.get_fields()}
        assert {"job", "agency", "file_name", "sha256", "status", "rows", "failed"} <= names
        assert {"errors", "created_by", "created_at", "finished_at"} <= names
        assert model._meta.get_field("status").choices == ImportStatus.choices


def test_row_errors_keep_one_shape_and_count_beyond_the_cap():
    errors = RowErrors(limit=2)
    errors.add(3, "标题", "请填写标题")
    errors.add(3, "", "整行无法读取", ref="GD-1")
    errors.add(4, "文号", "格式不对")
    assert errors.total == 3 and errors.lines() == 1
    assert errors.items == [
        {"line": 3, "field": "标题", "message": "请填写标题"},
        {"line": 3, "field": "", "message": "整行无法读取", "ref": "GD-1"},
    ]
    assert error_table(errors.items) == [
        ["行", "字段", "问题"],
        [3, "标题", "请填写标题"],
        [3, "整行（GD-1）", "整行无法读取"],
    ]


def test_finishing_and_failing_a_batch_store_the_outcome_and_leave_audit_events(world):
    record = HotlineImport.objects.create(file_name="工单.csv", agency=world.dept_a)
    batch_finish(
        record,
        actor=SYSTEM,
        action="hotline_import.finish",
        counts={"rows": 3, "created": 2, "skipped": 0, "failed": 1},
        errors=[{"line": 4, "field": "", "message": "日期无法识别"}],
        message="共 3 行",
    )
    record.refresh_from_db()
    assert (record.status, record.rows, record.created, record.failed) == ("done", 3, 2, 1)
    assert record.ok == 2 and record.finished_at is not None and record.message == "共 3 行"
    other = HotlineImport.objects.create(file_name="坏.csv", agency=world.dept_a)
    batch_fail(other, actor=SYSTEM, action="hotline_import.fail", message="文件无法读取")
    other.refresh_from_db()
    assert (other.status, other.message) == ("failed", "文件无法读取")
    actions = set(
        AuditEvent.objects.filter(object_type="mailbox.hotlineimport").values_list(
            "action", flat=True
        )
    )
    assert actions == {"hotline_import.finish", "hotline_import.fail"}


def test_catalog_migration_renames_the_error_keys_and_sets_status_and_digest(world):
    batch = ImportBatch(
        agency=world.dept_a,
        file_name="旧.csv",
        errors=[{"行": 5, "字段": "标题", "问题": "请填写标题"}],
    )
    batch.file.save("old.csv", ContentFile(b"title\n"), save=False)
    batch.save()
    unfinished = ImportBatch.objects.create(agency=world.dept_a, file_name="未完.csv")
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=batch.created_at)
    _migration("catalog", "0011_import_batch_base").forwards(django_apps, None)
    batch.refresh_from_db()
    unfinished.refresh_from_db()
    assert batch.errors == [{"line": 5, "field": "标题", "message": "请填写标题"}]
    assert batch.status == "done" and unfinished.status == "queued"
    assert batch.sha256 == hashlib.sha256(b"title\n").hexdigest()


def test_inspections_migration_reads_the_old_csv_report_into_row_errors(world):
    report = '行号,列,错误\r\n7,名称,"名称不能为空，且不超过200个字"\r\n9,区县,"含有“,”的说明"\r\n'
    run = EntityImport.objects.create(
        file_name="名录.csv",
        content=gzip.compress(b"a,b\n"),
        error_report=gzip.compress(report.encode("utf-8-sig")),
    )
    _migration("inspections", "0005_import_batch_base").forwards(django_apps, None)
    run.refresh_from_db()
    assert run.errors == [
        {"line": 7, "field": "名称", "message": "名称不能为空，且不超过200个字"},
        {"line": 9, "field": "区县", "message": "含有“,”的说明"},
    ]
    assert run.status == "queued" and len(run.sha256) == 64
    assert run.error_csv().decode("utf-8-sig") == report  # the full report is still there


def test_mailbox_migration_moves_the_order_number_to_ref():
    record = HotlineImport.objects.create(
        file_name="工单.csv",
        errors=[{"line": 2, "order_no": "GD-9", "reason": "缺少来电时间"}],
    )
    module = _migration("mailbox", "0005_import_batch_base")
    module.forwards(django_apps, None)
    record.refresh_from_db()
    assert record.errors == [{"line": 2, "field": "", "message": "缺少来电时间", "ref": "GD-9"}]
    module.backwards(django_apps, None)
    record.refresh_from_db()
    assert record.errors == [{"line": 2, "order_no": "GD-9", "reason": "缺少来电时间"}]
