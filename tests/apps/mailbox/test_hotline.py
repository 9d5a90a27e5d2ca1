"""12345 work orders from files: good rows in, bad rows reported by line, re-import idempotent."""

import datetime as dt
import io
import json

import openpyxl
import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.jobs.models import ImportStatus, Job, JobStatus
from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.models import HotlineImport, Letter, LetterStatus
from gongkai.apps.mailbox.services import hotline_import_create, import_content
from tests.apps.mailbox.helpers import order, take_in

pytestmark = pytest.mark.django_db

HEADER = "工单编号,来电时间,来电人/联系方式,内容,承办单位\n"
ROWS = [
    "GD-001,2026-10-09 09:30,王先生 13800000001,请问公交卡怎么办理？,depta",
    "GD-002,2026/10/09 10:05,李女士/13800000002,小区门口路灯不亮,测试市教育局",
    "GD-003,昨天下午,赵先生,投诉噪音扰民,depta",  # bad time
    "GD-004,2026-10-09 11:00,钱先生 13800000004,学校乱收费,不存在的局",  # unknown agency
    "GD-005,2026-10-09 11:30,孙女士 13800000005,建议增设公交站台,",  # no agency: dispatcher
    ",2026-10-09 12:00,周先生,没有编号的工单,depta",  # no order number
    "GD-001,2026-10-09 13:00,吴先生,重复的工单编号,depta",  # duplicate inside the file
]


def csv_bytes(rows=ROWS, encoding="utf-8"):
    return (HEADER + "\n".join(rows) + "\n").encode(encoding)


def letters_state():
    return sorted(
        Letter.objects.values_list("hotline_order_no", "status", "agency_id", "content", "due_date")
    )


def test_good_rows_in_bad_rows_reported_with_line_and_reason(mbw):
    outcome = import_content(actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes())
    assert (outcome["rows"], outcome["created"], outcome["skipped"], outcome["failed"]) == (
        7,
        3,
        0,
        4,
    )
    assert [(e["line"], e["message"]) for e in outcome["errors"]] == [
        (4, "来电时间“昨天下午”无法识别（示例：2026-11-27 09:30）"),
        (5, "承办单位“不存在的局”不存在或已停用"),
        (7, "缺少工单编号"),
        (8, "工单编号与第 2 处重复"),
    ]
    letters = {lt.hotline_order_no: lt for lt in Letter.objects.all()}
    assert set(letters) == {"GD-001", "GD-002", "GD-005"}
    assert (letters["GD-001"].agency_id, letters["GD-001"].status) == (
        mbw.dept_a.pk,
        LetterStatus.HANDLING,
    )
    assert letters["GD-001"].category == "consult"  # guessed: a question
    assert (letters["GD-001"].writer_name, letters["GD-001"].writer_phone) == (
        "王先生",
        "13800000001",
    )
    assert letters["GD-002"].agency_id == mbw.dept_b.pk  # by full name
    assert (letters["GD-005"].status, letters["GD-005"].agency_id) == (
        LetterStatus.RECEIVED,
        mbw.city.pk,
    )
    assert letters["GD-001"].received_at == dt.datetime(2026, 10, 9, 1, 30, tzinfo=dt.UTC)
    assert letters["GD-001"].due_date == dt.date(2026, 10, 15)  # 咨询: 10/10 调休, 12, 13, 14, 15


def test_reimporting_the_same_file_changes_nothing(mbw):
    import_content(actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes())
    before = letters_state()
    again = import_content(actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes())
    assert (again["created"], again["skipped"], again["failed"]) == (0, 3, 4)
    assert letters_state() == before


def test_a_corrected_row_is_added_on_the_next_import(mbw):
    import_content(actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes())
    fixed = [*ROWS[:2], "GD-003,2026-10-08 15:00,赵先生,投诉噪音扰民,depta"]
    outcome = import_content(actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes(fixed))
    assert (outcome["created"], outcome["skipped"], outcome["failed"]) == (1, 2, 0)
    assert Letter.objects.get(hotline_order_no="GD-003").category == "complaint"


def test_excel_saved_csv_in_gb18030(mbw):
    outcome = import_content(
        actor=mbw.dispatcher, file_name="工单.csv", content=csv_bytes(ROWS[:2], "gb18030")
    )
    assert outcome["created"] == 2
    assert Letter.objects.get(hotline_order_no="GD-002").content == "小区门口路灯不亮"


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_HEADER = ["工单编号", "受理时间", "来电人", "联系电话", "诉求内容", "承办部门", "诉求类型"]
XLSX_ROWS = [
    ["XLS-1", dt.datetime(2026, 10, 9, 9, 0), "王先生", 13800000001, "路灯坏了", "depta", "求助"],
    ["XLS-2", "不是时间", "李女士", "13800000002", "噪音", "depta", "投诉"],
]


def test_xlsx_with_separate_name_and_phone_columns_and_real_dates(mbw):
    outcome = import_content(
        actor=mbw.dispatcher, file_name="orders.xlsx", content=xlsx([XLSX_HEADER, *XLSX_ROWS])
    )
    assert (outcome["created"], outcome["failed"]) == (1, 1)
    assert outcome["errors"][0]["line"] == 3  # the spreadsheet row a person sees
    letter = Letter.objects.get(hotline_order_no="XLS-1")
    assert (letter.category, letter.writer_phone) == ("help", "13800000001")


def test_xlsx_whose_first_row_is_not_the_header_is_refused(mbw):
    content = xlsx([["12345热线工单汇总表"], XLSX_HEADER, *XLSX_ROWS])
    with pytest.raises(MailboxError, match="缺少必需的列"):
        import_content(actor=mbw.dispatcher, file_name="orders.xlsx", content=content)
    assert not Letter.objects.exists()


def test_json_orders(mbw):
    data = {
        "orders": [
            {
                "工单编号": "JSON-1",
                "来电时间": "2026-10-09T09:00:00",
                "内容": "请问社保怎么转移？",
                "承办单位": "depta",
            },
            {"工单编号": "JSON-2", "来电时间": "2026-10-09T09:00:00"},
            "不是对象",
        ]
    }
    outcome = import_content(
        actor=mbw.dispatcher,
        file_name="orders.json",
        content=json.dumps(data, ensure_ascii=False).encode(),
    )
    assert outcome["format"] == "json"
    assert (outcome["created"], outcome["failed"]) == (1, 2)
    assert [(e["line"], e["message"]) for e in outcome["errors"]] == [
        (2, "缺少内容"),
        (3, "缺少工单编号"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("a.csv", b"", "文件是空的", id="empty"),
        pytest.param("a.csv", "编号,时间\n1,2\n".encode(), "缺少必需的列", id="wrong columns"),
        pytest.param("a.json", b"{not json", "JSON 格式错误", id="broken JSON"),
        pytest.param("a.xlsx", b"PK\x03\x04broken", "无法读取 Excel", id="broken spreadsheet"),
    ],
)
def test_unreadable_files_import_nothing(mbw, name, content, message):
    with pytest.raises(MailboxError, match=message):
        import_content(actor=mbw.dispatcher, file_name=name, content=content)
    assert not Letter.objects.exists()


def test_upload_runs_as_a_job_with_progress_and_a_result_page(
    mbw, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = hotline_import_create(
            actor=mbw.dispatcher, file_name="orders.csv", content=csv_bytes()
        )
    record.refresh_from_db()
    job = Job.objects.get(pk=record.job_id)
    assert (job.status, job.progress, job.total) == (JobStatus.DONE, 5, 5)  # parsed orders
    assert (record.status, record.created, record.failed) == (ImportStatus.DONE, 3, 4)
    page = (
        client_for(mbw.dispatcher).get(f"/backoffice/mailbox/imports/{record.pk}/").content.decode()
    )
    assert "承办单位“不存在的局”不存在或已停用" in page and "第几行" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hotline_import.create", "hotline_import.finish", "letter.hotline_take_in"} <= actions


def test_only_the_dispatch_office_imports(mbw):
    with pytest.raises(MailboxPermissionDenied):
        hotline_import_create(actor=mbw.officer_a, file_name="orders.csv", content=csv_bytes())
    assert not HotlineImport.objects.exists()


def test_numbers_run_per_day_in_order_of_receipt(mbw):
    result = take_in(
        mbw.dispatcher,
        order("A-2", dt.datetime(2026, 10, 9, 11, 0), agency="depta"),
        order("A-1", dt.datetime(2026, 10, 9, 9, 0), agency="depta"),
        order("A-3", dt.datetime(2026, 10, 12, 9, 0), agency="depta"),
    )
    numbers = {lt.hotline_order_no: lt.number for lt in result.created}
    assert numbers == {"A-2": "XX2026100900001", "A-1": "XX2026100900002", "A-3": "XX2026101200001"}
    more = take_in(mbw.dispatcher, order("A-4", dt.datetime(2026, 10, 9, 17, 0), agency="depta"))
    assert more.created[0].number == "XX2026100900003"


def test_cli_import_prints_the_summary_and_bad_lines(mbw, tmp_path, capsys):
    from gongkai.cli import main

    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes())
    assert main(["mailbox", "import", str(path)]) == 1  # some rows were bad
    out = capsys.readouterr().out
    assert "新增 3 件" in out and "第 5 行：承办单位“不存在的局”不存在或已停用" in out
    assert main(["mailbox", "import", str(tmp_path / "missing.csv")]) == 2
    assert "找不到文件" in capsys.readouterr().err
