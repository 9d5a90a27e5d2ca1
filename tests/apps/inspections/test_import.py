"""The entity directory import: row-level errors, upserts, strict mode, the job, XLSX and GBK."""

from __future__ import annotations

import hashlib
import io

import pytest
from openpyxl import Workbook

from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import EntityImport, MarketEntity
from gongkai.apps.inspections.services import entity_import_start, import_entities, read_rows
from gongkai.apps.jobs.models import JobStatus
from tests.apps.inspections.factories import uscc_for

pytestmark = pytest.mark.django_db
HEADER = "统一社会信用代码,名称,主体类型,所属区县,行业门类,信用风险分类,登记状态"


def csv_bytes(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *rows]).encode(encoding)


def run(content: bytes, name: str = "e.csv", **kw):
    return import_entities(read_rows(content, name), **kw)


def test_good_rows_are_stored_and_bad_rows_reported_with_line_and_column():
    content = csv_bytes(
        f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续",
        "91350200M000000510,乙公司,企业,东城区,F,A,存续",  # wrong check character
        f"{uscc_for(2)},丙公司,个体工商户,西城区,批发和零售业,B类,在业",
        f"{uscc_for(3)},,企业,东城区,Z,E,存续",
        f"{uscc_for(1)},甲公司重复,企业,东城区,F,A,存续",
    )
    stats = run(content)
    assert (stats.rows, stats.created, stats.updated, stats.failed) == (5, 2, 0, 3)
    assert (3, "统一社会信用代码", "统一社会信用代码校验码错误：应为“D”，实为“0”") in stats.errors
    assert {(line, column) for line, column, _m in stats.errors if line == 5} == {
        (5, "名称"),
        (5, "行业门类"),
        (5, "信用风险分类"),
    }
    assert (6, "统一社会信用代码", "与第 2 行重复") in stats.errors
    assert MarketEntity.objects.get(uscc=uscc_for(2)).entity_type == "individual"
    assert MarketEntity.objects.get(uscc=uscc_for(2)).industry == "F"


def test_reimport_updates_instead_of_duplicating():
    run(csv_bytes(f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续"))
    stats = run(csv_bytes(f"{uscc_for(1)},甲公司（更名）,企业,东城区,F,D,注销"))
    assert (stats.created, stats.updated) == (0, 1)
    entity = MarketEntity.objects.get(uscc=uscc_for(1))
    assert (entity.name, entity.risk_class, entity.status) == ("甲公司（更名）", "D", "cancelled")


def test_strict_mode_stores_nothing_if_any_row_is_bad():
    run(csv_bytes(f"{uscc_for(9)},原有公司,企业,东城区,F,A,存续"))
    stats = run(
        csv_bytes(f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续", "bad,乙,企业,东城区,F,A,存续"),
        strict=True,
    )
    assert stats.failed == 1 and stats.created == 0
    assert list(MarketEntity.objects.values_list("uscc", flat=True)) == [uscc_for(9)]


def test_excel_csv_in_gbk_and_xlsx_are_read():
    stats = run(csv_bytes(f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续", encoding="gb18030"))
    assert stats.created == 1 and MarketEntity.objects.get(uscc=uscc_for(1)).district == "东城区"
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([uscc_for(2), "乙公司", "企业", "高新区", "C", "C", "存续"])
    out = io.BytesIO()
    book.save(out)
    assert run(out.getvalue(), "e.xlsx").created == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "e.csv", "文件是空的"),
        (b"a,b,c\n1,2,3", "e.csv", "表头缺少列：统一社会信用代码"),
        (b"x", "e.pdf", "只支持 CSV 或 XLSX"),
        (b"\xff\xfe\x00\x00\x00garbage\x80\x81", "e.csv", None),
    ],
    ids=["empty", "wrong header", "wrong type", "undecodable"],
)
def test_unusable_files_get_a_chinese_error(content, name, message):
    with pytest.raises(InspectionError) as exc:
        run(content, name)
    if message:
        assert message in str(exc.value)
    assert not MarketEntity.objects.exists()


def test_the_background_job_reports_progress_and_keeps_an_error_report(
    world, client_for, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        *[f"{uscc_for(i)},公司{i},企业,东城区,F,A,存续" for i in range(30)],
        "bad,坏,企业,东城区,F,A,存续",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_ = entity_import_start(
            actor=world.officer_a, agency=world.dept_a, file_name="名录.csv", content=content
        )
    run_.refresh_from_db()
    job = run_.job
    assert job.status == JobStatus.DONE, job.error
    assert job.result["created"] == 30 and job.result["failed"] == 1
    assert job.result["errors"][0]["line"] == 32
    assert (run_.created, run_.failed) == (30, 1)
    report = run_.error_csv().decode("utf-8-sig").splitlines()
    page = client_for(world.officer_a).get(
        f"/backoffice/inspections/entities/imports/{run_.pk}/", HTTP_HX_REQUEST="true"
    )
    assert (
        "<html" not in page.content.decode() and "统一社会信用代码应为18位" in page.content.decode()
    )
    assert report[0] == "行号,列,错误" and report[1].startswith("32,统一社会信用代码")


def test_directory_import_is_for_supervising_departments(
    client_for, world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_bytes(f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续")
    response = client_for(world.officer_a).post(
        "/backoffice/inspections/entities/import/", {"file": SimpleUploadedFile("e.csv", content)}
    )
    assert response.status_code == 403  # 交通局 has no inspection items in this world
    assert not EntityImport.objects.exists() and not MarketEntity.objects.exists()
    from tests.apps.inspections.factories import make_item

    make_item(world.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.officer_a).post(
            "/backoffice/inspections/entities/import/",
            {"file": SimpleUploadedFile("e.csv", content)},
        )
    assert (
        response.status_code == 302
        and "/backoffice/inspections/entities/imports/" in response["Location"]
    )
    assert MarketEntity.objects.filter(uscc=uscc_for(1)).exists()
    page = client_for(world.officer_a).get(response["Location"]).content.decode()
    assert "新增 1 户" in page
    assert client_for(world.officer_b).get(response["Location"]).status_code == 403


def test_the_import_keeps_status_digest_and_row_errors_in_the_shared_shape(
    world, django_capture_on_commit_callbacks
):
    content = csv_bytes(f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续", "bad,坏,企业,东城区,F,A,存续")
    with django_capture_on_commit_callbacks(execute=True):
        run_ = entity_import_start(
            actor=world.officer_a, agency=world.dept_a, file_name="名录.csv", content=content
        )
    run_.refresh_from_db()
    assert (run_.status, run_.rows, run_.created, run_.failed) == ("done", 2, 1, 1)
    assert run_.sha256 == hashlib.sha256(content).hexdigest()
    assert run_.errors[0]["line"] == 3 and run_.errors[0]["field"] == "统一社会信用代码"


def test_an_unreadable_file_fails_the_import_with_its_reason(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_ = entity_import_start(
            actor=world.officer_a, agency=world.dept_a, file_name="名录.csv", content=b"x,y\n1,2"
        )
    run_.refresh_from_db()
    assert run_.status == "failed" and "表头缺少列" in run_.message
    assert run_.job.status == JobStatus.FAILED
