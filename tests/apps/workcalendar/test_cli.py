import datetime as dt
import json

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.workcalendar.models import CalendarEntry, CalendarYear
from gongkai.cli import main

D = dt.date
pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_acceptance_2024_09_27(capsys):
    code, out, err = run(capsys, "deadline", "2024-09-27", "--working-days", "20")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == "2024-10-30"
    assert "不计入：2024年10月1日至10月7日，国庆节（7天）。" in lines
    assert "调休上班：2024年9月29日计为第1个工作日。" in lines


@pytest.mark.parametrize(
    ("argv", "first_line"),
    [
        (["2024-02-02"], "2024-03-06"),  # 春节 2024, 20 working days by the 2019 regulation
        (["2019-01-30"], "2019-02-25"),  # before 2019-05-15: 15 working days
        (["2019-01-30", "--regulation", "2019"], "2019-03-04"),
        (["2025-09-26", "--working-days", "15"], "2025-10-23"),
    ],
    ids=["default-2019", "default-2008", "forced-2019", "custom-days"],
)
def test_deadline_variants(capsys, argv, first_line):
    code, out, _ = run(capsys, "deadline", *argv)
    assert code == 0 and out.splitlines()[0] == first_line


def test_a_deadline_into_a_year_not_loaded_is_a_provisional_date(capsys):
    """2026-12-05 (a Saturday): 20 working days run to 4 January 2027, counted on the 放假办法
    (元旦 1/1 off, 2–3 January a weekend) because the 2027 notice is not loaded."""
    code, out, err = run(capsys, "deadline", "2026-12-05")
    lines = out.splitlines()
    assert (code, err, lines[0]) == (0, "", "2027-01-04")
    assert lines[1].startswith("暂定：2027年的国务院节假日安排尚未载入")
    assert "答复期限届满日：2027年1月4日（暂定）（第20个工作日）。" in lines
    assert "不计入：2027年1月1日，元旦（1天）。" in lines
    code, out, _ = run(capsys, "deadline", "2026-12-05", "--json")
    data = json.loads(out)
    assert (data["due"], data["provisional"], data["provisional_years"]) == (
        "2027-01-04",
        True,
        [2027],
    )
    assert data["provisional_reason"] == lines[1]


def test_a_deadline_inside_the_loaded_years_is_not_provisional(capsys):
    code, out, _ = run(capsys, "deadline", "2024-09-27", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["provisional"], data["provisional_years"], data["provisional_reason"]) == (
        False,
        [],
        "",
    )


def test_deadline_json_is_one_object_with_due_and_days(capsys):
    code, out, _ = run(capsys, "deadline", "2024-09-27", "--json")
    data = json.loads(out)
    assert code == 0 and out.count("\n") == 1
    assert data["due"] == "2024-10-30"
    assert data["days"][3] == {
        "date": "2024-09-30",
        "status": "counted",
        "reason": "工作日",
        "ordinal": 2,
    }
    assert {d["reason"] for d in data["days"] if d["status"] == "skipped"} == {"周末", "国庆节"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["2024-13-01"], "日期“2024-13-01”不对"),
        (["yesterday"], "应为 YYYY-MM-DD"),
        (["2003-05-01", "--regulation", "2019"], "尚未载入2003年"),
        (["2003-05-01"], "没有适用于2003年5月1日"),
        (["2024-09-27", "--working-days", "twenty"], "不是整数"),
        (["2024-09-27", "--working-days", "0"], "1到1000"),
        (["2024-09-27", "--regulation", "1999"], "没有代码为“1999”"),
    ],
    ids=[
        "no-such-day",
        "not-a-date",
        "before-the-calendar",
        "before-any-regulation",
        "days-text",
        "days-zero",
        "unknown-regulation",
    ],
)
def test_deadline_bad_input_is_one_chinese_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "deadline", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("错误：") and message in err


def test_calendar_import_show_and_idempotence(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-20,workday,春节\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "calendar", "import", str(path), "--notice", "2027年通知")
    assert code == 0 and "新增3条" in out and "已确认载入2027年" in out
    assert CalendarYear.objects.filter(year=2027, notice="2027年通知").exists()
    audit_count = AuditEvent.objects.count()
    code, out, _ = run(capsys, "calendar", "import", str(path))
    assert code == 0 and "未作改动" in out
    assert AuditEvent.objects.count() == audit_count
    code, out, _ = run(capsys, "calendar", "show", "2027")
    assert code == 0
    assert "2027年工作日历（依据：2027年通知）" in out
    assert "  2027-02-20 星期六（春节）" in out
    code, out, _ = run(capsys, "deadline", "2026-12-20", "--working-days", "10")
    assert out.splitlines()[0] == "2027-01-04"


def test_calendar_import_with_bad_rows_lists_lines_and_stores_nothing(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "2027-01-01,holiday,元旦\n2027-01-06,workday,元旦\n2027-02-06,holiday,\n", encoding="utf-8"
    )
    count = CalendarEntry.objects.count()
    code, out, err = run(capsys, "calendar", "import", str(path))
    assert code == 2 and out == ""
    assert "未导入任何数据" in err
    assert "第2行：2027年1月6日是星期三，调休上班日只能是周六或周日" in err
    assert "第3行：缺少节日名称" in err
    assert CalendarEntry.objects.count() == count
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_calendar_import_draft_then_confirm(capsys, tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps([{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]))
    code, out, _ = run(capsys, "calendar", "import", str(path), "--draft")
    assert code == 0 and not CalendarYear.objects.filter(year=2027).exists()
    code, out, _ = run(capsys, "calendar", "status")
    assert "已载入：2004—2026年" in out and "草稿（未确认）：2027年" in out
    code, out, _ = run(capsys, "calendar", "show", "2027")
    assert code == 0 and "草稿" in out
    code, out, _ = run(capsys, "calendar", "confirm", "2027", "--notice", "2027年通知")
    assert code == 0 and CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calendar", "show", "2031"], "2031年节假日安排尚未载入"),
        (["calendar", "show", "next"], "年份“next”不对"),
        (["calendar", "import", "/nonexistent/2027.csv"], "无法读取文件"),
        (["calendar", "confirm", "2029", "--notice", "x"], "下一个应载入的是2027年"),
    ],
)
def test_calendar_errors(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_calendar_show_a_loaded_year(capsys):
    code, out, _ = run(capsys, "calendar", "show", "2020")
    assert code == 0
    assert "全年工作日：" in out
    assert "  春节延长  2020-01-31 至 2020-02-02（3天）" in out
