"""The one table reader every importer uses (gongkai.documents.table)."""

import io

import openpyxl
import pytest

from gongkai.documents.table import (
    RowError,
    TableError,
    csv_rows,
    decode_text,
    read_rows,
    table_kind,
)
from gongkai.documents.untrusted import Limits


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        "标题,文号\n通知,示府〔2026〕1号\n".encode(),
        "\ufeff标题,文号\n通知,示府〔2026〕1号\n".encode(),  # Excel's BOM
        "标题,文号\n通知,示府〔2026〕1号\n".encode("gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gb18030"],
)
def test_csv_in_each_encoding_excel_saves_reads_the_same(data):
    rows = list(read_rows("a.csv", data))
    assert [r.cells for r in rows] == [("标题", "文号"), ("通知", "示府〔2026〕1号")]
    assert [r.line for r in rows] == [1, 2]


def test_undecodable_bytes_are_a_chinese_file_error():
    with pytest.raises(TableError, match="文件编码无法识别"):
        decode_text(b"\xff\xfe\x00\xd8\x00")


def test_line_numbers_are_spreadsheet_rows_blank_rows_skipped_multiline_cells_one_row():
    text = '名称,说明\n甲,"第一行\n第二行"\n\n乙,x\n'
    rows = list(csv_rows(text))
    assert [(r.line, r.cells[0]) for r in rows] == [(1, "名称"), (2, "甲"), (4, "乙")]
    assert rows[1].text(1) == "第一行\n第二行"
    assert rows[2].text(5) == ""


def test_xlsx_rows_keep_cell_types_and_spreadsheet_line_numbers():
    data = _xlsx([["名称", "数量"], [None, None], ["甲", 3]])
    rows = list(read_rows("x.xlsx", data))
    assert [(r.line, r.cells) for r in rows] == [(1, ("名称", "数量")), (3, ("甲", 3))]


def test_kind_by_suffix_else_by_content():
    assert table_kind("a.CSV", b"PK\x03\x04") == "csv"
    assert table_kind("a.xlsx", b"") == "xlsx"
    assert table_kind("upload", _xlsx([["a"]])) == "xlsx"
    assert table_kind("upload", b"a,b\n") == "csv"


def test_damaged_workbook_is_refused_in_chinese():
    with pytest.raises(TableError, match="无法读取 Excel"):
        list(read_rows("x.xlsx", b"PK\x03\x04broken"))


def test_workbook_beyond_the_cell_limit_is_refused_before_parsing():
    data = _xlsx([[i, i] for i in range(50)])
    with pytest.raises(TableError, match="单元格"):
        list(read_rows("x.xlsx", data, limits=Limits(max_cells=20)))


def test_csv_beyond_the_size_limit_is_refused():
    with pytest.raises(TableError, match="文件过大"):
        read_rows("a.csv", b"a,b\n" * 100, limits=Limits(max_bytes=50))


def test_row_error_names_line_and_column():
    assert str(RowError(7, "日期格式不对", "成文日期")) == "第7行“成文日期”列：日期格式不对"
    assert str(RowError(3, "缺少日期")) == "第3行：缺少日期"
