"""Bulk import from a legacy CMS export: row-level errors, idempotence, formats."""

import csv
import io
import json

import openpyxl
import pytest

from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.catalog.errors import CatalogPermissionDenied, ImportFileError
from gongkai.apps.catalog.models import Document, DocumentState, DocumentVersion
from gongkai.apps.catalog.services.imports import import_batch_create, import_batch_run

pytestmark = pytest.mark.django_db

HEADER = [
    "原编号",
    "标题",
    "发文字号",
    "栏目",
    "主题分类",
    "体裁",
    "成文日期",
    "发布日期",
    "有效性",
    "正文",
    "失效或废止日期",
]
GOOD = [
    [
        "cms-1",
        "关于做好2017年春运工作的通知",
        "示交发【2017】8号",
        "（一）行政法规、规章和规范性文件",
        "工业、交通\\公路",
        "通知",
        "2017-01-05",
        "2017-01-10 09:30",
        "有效",
        "<p>春运期间加强运输组织。</p>",
        "",
    ],
    [
        "cms-2",
        "2017年道路运输统计数据",
        "",
        "经济指标",
        "国民经济管理、国有资产监管\\统计",
        "统计数据",
        "2017/3/1",
        "2017年3月2日",
        "有效",
        "全年完成客运量1200万人次。\n货运量3500万吨。",
        "",
    ],
    [
        "cms-3",
        "关于印发出租汽车管理办法的通知",
        "示交发(2015)3号",
        "statutory-fgwj",
        "工业、交通\\公路",
        "会议纪要",
        "2015-06-01",
        "2015-06-03",
        "废止",
        "<p>办法全文。</p>",
        "2019-05-01",
    ],
]
BAD = [
    ["cms-4", "", "", "", "", "", "", "", "", "", ""],
    ["cms-5", "日期错误的文件", "", "", "", "通知", "2017-13-45", "2017-01-01", "有效", "x", ""],
    ["cms-6", "文号错误的文件", "第八号", "", "", "通知", "", "", "", "x", ""],
    ["cms-7", "体裁错误的文件", "", "", "", "小说", "", "", "", "x", ""],
]


def _csv(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _run(world, filename, content, **kw):
    batch = import_batch_create(
        actor=world.officer_a,
        agency=world.dept_a,
        filename=filename,
        content=content,
        run=False,
        **kw,
    )
    return import_batch_run(batch, actor=world.officer_a)


def test_good_rows_go_in_and_bad_rows_are_reported_with_line_and_field(world):
    batch = _run(world, "legacy.csv", _csv(GOOD + BAD))
    assert (batch.created, batch.failed) == (3, 4)
    problems = {(e["line"], e["field"]) for e in batch.errors if e["field"] != "提示"}
    assert problems == {(5, "标题"), (6, "成文日期"), (7, "发文字号"), (8, "体裁")}
    notes = [e for e in batch.errors if e["field"] == "提示"]
    assert any("〔〕" in e["message"] for e in notes)  # 【】 and () were corrected and flagged
    first = Document.objects.get(external_id="cms-1")
    assert first.doc_number == "示交发〔2017〕8号" and first.state == DocumentState.PUBLISHED
    assert first.index_no.endswith("/2017-00001")
    legacy = Document.objects.get(external_id="cms-3")
    assert legacy.genre.name == "纪要"  # legacy genre name mapped
    assert (legacy.validity, legacy.validity_on.isoformat()) == ("repealed", "2019-05-01")
    stats = Document.objects.get(external_id="cms-2")
    assert "<p>全年完成客运量1200万人次。</p>" in stats.body_html


def test_reimport_is_idempotent_and_a_changed_row_becomes_a_version(world):
    _run(world, "legacy.csv", _csv(GOOD[:2]))
    again = _run(world, "legacy.csv", _csv(GOOD[:2]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = [list(r) for r in GOOD[:2]]
    changed[0][1] = "关于做好2017年春运工作的通知（更正）"
    third = _run(world, "legacy.csv", _csv(changed))
    assert (third.updated, third.unchanged) == (1, 1)
    doc = Document.objects.get(external_id="cms-1")
    assert doc.title.endswith("（更正）") and doc.version == 2
    assert DocumentVersion.objects.get(document=doc).reason.startswith("批量导入更新")
    assert Document.objects.filter(agency=world.dept_a).count() == 2


def test_gb18030_csv_xlsx_json_and_json_lines(world):
    assert _run(world, "gbk.csv", _csv(GOOD[:1], encoding="gb18030")).created == 1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["x-1", *GOOD[1][1:]])
    data = io.BytesIO()
    book.save(data)
    assert _run(world, "legacy.xlsx", data.getvalue()).created == 1
    records = [dict(zip(HEADER, ["j-1", *GOOD[2][1:]], strict=True))]
    assert _run(world, "legacy.json", json.dumps(records, ensure_ascii=False).encode()).created == 1
    lines = "\n".join(
        json.dumps(dict(zip(HEADER, r, strict=True)), ensure_ascii=False)
        for r in [["l-1", *GOOD[0][1:]], ["l-2", *GOOD[1][1:]]]
    )
    batch = _run(world, "legacy.jsonl", (lines + "\n{broken").encode())
    assert batch.created == 2 and batch.failed == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("legacy.csv", "名称X,正文\n1,2\n".encode(), "标题"),
        ("legacy.doc", b"binary", "不支持"),
        ("legacy.csv", "标题,正文\n".encode(), "没有数据行"),
        ("legacy.xlsx", b"not a zip", "无法打开"),
        ("legacy.json", b"[{", "JSON"),
    ],
)
def test_unreadable_files_are_refused_whole_in_chinese(world, filename, content, message):
    with pytest.raises(ImportFileError, match=message):
        import_batch_create(
            actor=world.officer_a,
            agency=world.dept_a,
            filename=filename,
            content=content,
            run=False,
        )
    assert not Document.objects.exists()


def test_only_own_agency_staff_may_import(world):
    with pytest.raises(CatalogPermissionDenied):
        import_batch_create(
            actor=world.officer_b,
            agency=world.dept_a,
            filename="x.csv",
            content=_csv(GOOD),
            run=False,
        )
    assert not Document.objects.exists()


def test_row_of_another_agency_is_refused(world):
    rows = [["o-1", "关于其他机关的通知", "", "", "", "通知", "", "", "", "x", ""]]
    content = _csv(rows).decode("utf-8-sig").replace("原编号,", "发布机构,原编号,", 1)
    content = content.replace("\no-1,", "\n测试市教育局,o-1,", 1)
    batch = import_batch_run(
        import_batch_create(
            actor=SYSTEM, agency=world.dept_a, filename="x.csv", content=content.encode(), run=False
        )
    )
    assert batch.failed == 1 and "不符" in batch.errors[0]["message"]


def test_import_through_the_job_queue_shows_progress(world):
    batch = import_batch_create(
        actor=world.officer_a, agency=world.dept_a, filename="legacy.csv", content=_csv(GOOD)
    )
    batch.refresh_from_db()
    job = batch.job
    job.refresh_from_db()
    assert job.status in ("queued", "done")


def test_cli_import_with_error_report(world, tmp_path, capsys):
    from gongkai.cli import main

    path = tmp_path / "legacy.csv"
    path.write_bytes(_csv(GOOD + BAD))
    errors = tmp_path / "errors.csv"
    code = main(
        ["catalog", "import", str(path), "--agency", world.dept_a.code, "--errors-out", str(errors)]
    )
    assert code == 1
    assert "新增 3" in capsys.readouterr().out
    report = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert report[0] == ["行", "字段", "问题"] and ["5", "标题", "请填写标题"] in report
    assert (
        main(["catalog", "import", str(tmp_path / "missing.csv"), "--agency", world.dept_a.code])
        == 2
    )
