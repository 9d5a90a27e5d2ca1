import datetime as dt
import json

import pytest

from gongkai.apps.workcalendar.errors import CalendarImportError
from gongkai.apps.workcalendar.freeze import DATA_FILE
from gongkai.apps.workcalendar.importing import parse_file

D = dt.date


def test_csv_with_header_and_chinese_kinds():
    text = "date,kind,name,source\n2027-01-01,holiday,元旦,通知\n\n2027/2/20,调休上班,春节\n"
    parsed = parse_file(text.encode(), "2027.csv")
    assert [(r.line, r.day, r.kind, r.name, r.source) for r in parsed.rows] == [
        (2, D(2027, 1, 1), "holiday", "元旦", "通知"),
        (4, D(2027, 2, 20), "workday", "春节", ""),
    ]


def test_csv_saved_by_a_chinese_spreadsheet_in_gb18030():
    text = "日期,类型,名称\n2027年1月1日,法定节假日,元旦\n"
    parsed = parse_file(text.encode("gb18030"), "节假日.csv")
    assert parsed.rows[0].day == D(2027, 1, 1) and parsed.rows[0].name == "元旦"


def test_every_bad_csv_row_is_reported_with_its_line():
    text = (
        "date,kind,name\n"
        "2027-01-01,holiday,元旦\n"
        "2027-02-30,holiday,春节\n"
        "2027-02-10,workday,春节\n"
        "2027-02-11,vacation,春节\n"
        "2027-01-01,holiday,元旦\n"
        "2027-02-12,holiday\n"
        "20270213,holiday,春节\n"
        "2027-02-14,holiday,\n"
    )
    with pytest.raises(CalendarImportError) as exc:
        parse_file(text.encode(), "bad.csv")
    assert [str(e) for e in exc.value.errors] == [
        "第3行：日期“2027-02-30”不存在",
        "第4行：2027年2月10日是星期三，调休上班日只能是周六或周日",
        "第5行：类型“vacation”不对（应为 holiday 法定节假日 或 workday 调休上班）",
        "第6行：日期2027-01-01与第2行重复",
        "第7行：应有日期、类型、名称三列",
        "第8行：日期“20270213”格式不对（应为 YYYY-MM-DD，如 2027-01-01）",
        "第9行：缺少节日名称",
    ]


def test_json_errors_name_the_line_the_item_starts_on():
    text = '[\n {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},\n {"date": "2027-01-02",\n  "kind": "x", "name": "元旦"}\n]'
    with pytest.raises(CalendarImportError) as exc:
        parse_file(text.encode(), "2027.json")
    assert [e.line for e in exc.value.errors] == [3]
    with pytest.raises(CalendarImportError) as exc:
        parse_file(b'[{"date": "2027-01-01",}]', "x.json")
    assert str(exc.value.errors[0]).startswith("第1行：JSON 格式错误")
    with pytest.raises(CalendarImportError, match="没有任何日期"):
        parse_file(b"", "empty.csv")


def test_the_shipped_data_file_is_itself_a_valid_import_file():
    parsed = parse_file(DATA_FILE.read_bytes(), DATA_FILE.name)
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert len(parsed.rows) == len(data["entries"]) == 771
    assert parsed.rows[0].line == 2  # one entry per line after the header line
