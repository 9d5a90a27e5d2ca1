"""`gongkai report check` exit codes on reports built here, as HTML, DOCX, XLSX and plain text.

0 every identity of the detected format checked and holding; 1 an identity fails (or the
report's format does not fit its year); 2 no report table; 3 some identities could not be
checked (a table missing or an image, a row cut off, figures run together); 4 the file
cannot be read. Each report is built from a saved page by changing what the case needs.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from gongkai.apps.reporting.checker_files import read_report
from gongkai.cli import main
from gongkai.domain.reports.checker.check import check_page
from gongkai.domain.reports.checker.grid import RawTable, expand
from gongkai.domain.reports.checker.htmlpage import read_html

FIXTURES = Path(__file__).parent / "fixtures"
KINDS = ("html", "docx", "xlsx", "txt")


def _page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _tables_and_title(html: str) -> tuple[list[RawTable], str]:
    page = read_html(html)
    title = next(line for line in page.text.splitlines() if "年度报告" in line)
    return page.tables, title.strip()


def _figure_tables(tables: list[RawTable]) -> list[RawTable]:
    """The report's tables, without the layout tables that wrap them."""
    return [t for t in tables if sum(len(r) for r in t.rows) > 4]


def _docx(tables: list[RawTable], title: str) -> bytes:
    document = Document()
    document.add_paragraph(title)
    for raw in tables:
        matrix = expand(raw)
        grid = document.add_table(rows=matrix.height, cols=matrix.width)
        regions: dict[int, list[tuple[int, int]]] = {}
        for r, row in enumerate(matrix.slots):
            for c, slot in enumerate(row):
                regions.setdefault(slot.region, []).append((r, c))
                if slot.origin:
                    grid.cell(r, c).text = slot.text
        for places in regions.values():
            if len(places) > 1:
                (r0, c0), (r1, c1) = places[0], places[-1]
                grid.cell(r0, c0).merge(grid.cell(r1, c1))
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(tables: list[RawTable], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.cell(1, 1, title)
    top = 3
    for raw in tables:
        matrix = expand(raw)
        regions: dict[int, list[tuple[int, int]]] = {}
        for r, row in enumerate(matrix.slots):
            for c, slot in enumerate(row):
                regions.setdefault(slot.region, []).append((r, c))
                if slot.origin and slot.text:
                    value: object = slot.text
                    if re.fullmatch(r"\d+", slot.text):
                        value = int(slot.text)
                    sheet.cell(top + r, c + 1, value)
        for places in regions.values():
            if len(places) > 1:
                (r0, c0), (r1, c1) = places[0], places[-1]
                sheet.merge_cells(
                    start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1
                )
        top += matrix.height + 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(tables: list[RawTable], title: str) -> bytes:
    """A page saved as text by a browser: cells separated by tabs, rows by line breaks."""
    lines = [title, ""]
    for raw in tables:
        lines.extend("\t".join(cell.text for cell in row) for row in raw.rows)
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def _html(tables: list[RawTable], title: str) -> bytes:
    parts = [f"<html><body><h1>{title}</h1>"]
    for raw in tables:
        parts.append("<table>")
        for row in raw.rows:
            cells = "".join(
                f'<td rowspan="{c.rowspan}" colspan="{c.colspan}">{c.text}</td>' for c in row
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


WRITERS = {"html": _html, "docx": _docx, "xlsx": _xlsx, "txt": _text}


def _build(kind: str, tables: list[RawTable], title: str, tmp_path: Path) -> Path:
    path = tmp_path / f"report.{kind}"
    path.write_bytes(WRITERS[kind](tables, title))
    return path


def _check(path: Path, capsys) -> tuple[int, dict, str]:
    code = main(["report", "check", str(path)])
    text = capsys.readouterr().out
    main(["report", "check", "--json", str(path)])
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == code
    return code, data, text


def _table_with(tables: list[RawTable], label: str) -> RawTable:
    return next(t for t in tables if any(c.text == label for r in t.rows for c in r))


@pytest.mark.parametrize("kind", KINDS)
def test_a_whole_report_that_holds_exits_0(kind, tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    code, data, text = _check(_build(kind, _figure_tables(tables), title, tmp_path), capsys)
    assert code == 0, text
    assert data["format"] == "2021"
    assert data["identities"]["complete"] and not data["identities"]["unchecked"]
    assert len(data["identities"]["held_identities"]) == data["identities"]["checked"] == 42
    t3 = next(t for t in data["tables"] if t["table"] == "t3")
    assert next(r for r in t3["rows"] if r["row"] == "new")["values"]["total"] == 14069
    assert "识别依据：表二的列为" in text and "2025年度报告适用2021年版" in text
    assert "结论：各项勾稽关系均已核对，全部成立。" in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_report_with_an_arithmetic_error_exits_1_and_names_the_cell(kind, tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    t3 = _table_with(tables, "自然人")
    row = next(r for r in t3.rows if any(c.text.strip() == "（一）予以公开" for c in r))
    row[-1].text = str(int(row[-1].text) + 7)  # the 总计 of （一）予以公开, seven too many
    code, data, text = _check(_build(kind, _figure_tables(tables), title, tmp_path), capsys)
    assert code == 1, text
    failed = {f["key"] for f in data["identities"]["failed"]}
    assert "t3.applicants[disclosed]" in failed
    assert "最可能出错的单元格：表三“（一）予以公开”行“总计”列" in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_without_report_tables_exits_2(kind, tmp_path, capsys):
    other = read_html(_page("no_report_table.html")).tables
    path = _build(kind, other, "关于2025年政务公开培训的通知", tmp_path)
    code, data, text = _check(path, capsys)
    assert code == 2 and data == {"file": str(path), "found": False, "exit_code": 2}
    assert "未找到政府信息公开工作年度报告的统计表格" in text


@pytest.mark.parametrize("kind", KINDS)
def test_table_four_given_as_an_image_exits_3_and_says_which(kind, tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    t4 = _table_with(tables, "复议后起诉")
    kept = [t for t in _figure_tables(tables) if t is not t4]
    code, data, text = _check(_build(kind, kept, title, tmp_path), capsys)
    assert code == 3, text
    unchecked = data["identities"]["unchecked"]
    assert unchecked and all(u["key"].startswith("t4.") for u in unchecked)
    assert unchecked[0]["reasons"] == ["未找到表四（缺失、为图片或不完整）"]
    assert data["identities"]["failed"] == []
    # table 三's identities were checked and hold: only table 四's are missing
    assert data["identities"]["checked"] > 30
    assert "？ 表四" in text and "无法核对" in text
    assert "不能认定全部成立" in text


@pytest.mark.parametrize("kind", KINDS)
def test_table_three_cut_off_exits_3_naming_the_rows(kind, tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    t3 = _table_with(tables, "自然人")
    at = next(i for i, r in enumerate(t3.rows) if any("结转下年度" in c.text for c in r))
    del t3.rows[at:]  # the page ends before 四、结转下年度继续办理
    code, data, text = _check(_build(kind, _figure_tables(tables), title, tmp_path), capsys)
    assert code == 3, text
    reasons = {r for u in data["identities"]["unchecked"] for r in u["reasons"]}
    assert any("结转下年度继续办理" in r and "未找到" in r for r in reasons), reasons
    assert "？ " in text


def test_figures_run_together_in_a_text_report_exit_3_without_guessing(tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    text = _text(_figure_tables(tables), title).decode("utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    label, *figures = lines[at].split("\t")
    lines[at] = f"{label}\t{''.join(figures)}"  # 1234056… with no separator
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, data, out = _check(path, capsys)
    assert code == 3, out
    assert "连在一起" in out and "未作猜测" in out
    t3 = next(t for t in data["tables"] if t["table"] == "t3")
    assert next(r for r in t3["rows"] if r["row"] == "new")["values"]["total"] is None


def test_a_text_report_with_one_cell_per_line_is_read(tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    lines = [title]
    for raw in _figure_tables(tables):
        for row in raw.rows:
            lines.extend(c.text for c in row if c.text.strip())
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, data, out = _check(path, capsys)
    t3 = next(t for t in data["tables"] if t["table"] == "t3")
    assert next(r for r in t3["rows"] if r["row"] == "new")["values"]["total"] == 14069
    # cells left blank on the page vanish from a one-per-line text: those rows are not guessed
    assert code in (0, 3), out
    if code == 3:
        assert "缺少的单元格无法对应到列" in out


def test_a_2023_report_with_the_2019_table_two_is_a_format_error(tmp_path, capsys):
    tables, _title = _tables_and_title(_page("hangzhou_style_2021.html"))
    old_t2 = _table_with(read_html(_page("layout_table_2019.html")).tables, "本年新制作数量")
    t2 = _table_with(tables, "本年制发件数")
    mixed = [old_t2 if t is t2 else t for t in _figure_tables(tables)]
    path = _build("html", mixed, "测试市2023年政府信息公开工作年度报告", tmp_path)
    code, data, out = _check(path, capsys)
    assert code == 1, out
    assert data["format"] == "2021"
    assert any("表二仍为2019年版" in e for e in data["format_errors"]), out
    assert "识别依据：报告年度：2023年" in out
    # table 二 is not read by the 2021 columns (its figures would land in the wrong ones)
    assert [t["table"] for t in data["tables"]] == ["t3", "t4"]
    assert "✗ 格式错误：表二仍为2019年版" in out


def test_a_2019_report_dated_2023_is_a_format_error_not_read_silently(tmp_path, capsys):
    html = _page("layout_table_2019.html").replace("2019年政府信息公开", "2023年政府信息公开")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    code, data, out = _check(path, capsys)
    assert code == 1, out
    assert any("2023年度报告应使用2021年版" in e for e in data["format_errors"])


def test_a_2019_report_of_2019_is_read_as_2019_and_says_why(capsys):
    code, data, out = _check(FIXTURES / "layout_table_2019.html", capsys)
    assert code == 0, out
    assert data["format"] == "2019" and data["format_errors"] == []
    assert any("是2019年版" in r and "本年新制作数量" in r for r in data["format_reasons"])


def test_unreadable_files_keep_exit_4(tmp_path, capsys):
    path = tmp_path / "r.docx"
    path.write_bytes(b"PK\x03\x04 not a document")
    assert main(["report", "check", str(path)]) == 4
    assert "无法读取" in capsys.readouterr().err


def test_the_worst_file_decides_the_exit_code(tmp_path, capsys):
    tables, title = _tables_and_title(_page("hangzhou_style_2021.html"))
    t4 = _table_with(tables, "复议后起诉")
    partial = _build("txt", [t for t in _figure_tables(tables) if t is not t4], title, tmp_path)
    whole = FIXTURES / "hangzhou_style_2021.html"
    none = FIXTURES / "no_report_table.html"
    broken = FIXTURES / "broken_identity_2021.html"
    assert main(["report", "check", str(whole), str(partial)]) == 3
    assert main(["report", "check", str(partial), str(none)]) == 2
    assert main(["report", "check", str(none), str(partial), str(broken)]) == 1
    capsys.readouterr()


def test_the_checker_reads_the_text_the_same_as_the_page():
    html = _page("hangzhou_style_2021.html")
    tables, title = _tables_and_title(html)
    from_page = check_page(*_page_parts(html), source="page")
    text_page = read_report("r.txt", _text(_figure_tables(tables), title))
    from_text = check_page(text_page.tables, text_page.text, source="text")
    assert from_text.extraction is not None and from_page.extraction is not None
    for cell, value in from_page.extraction.values.items():
        if cell[0] == "t3":
            assert (from_text.extraction.values.get(cell) or 0) == (value or 0), cell


def _page_parts(html: str):
    page = read_html(html)
    return page.tables, page.text


def test_a_township_report_with_rules_is_flagged(tmp_path, capsys):
    """A 乡镇 or 街道 cannot make 规章: figures in table 二's 规章 row are a failure (exit 1)."""
    html = _page("hangzhou_style_2021.html").replace(
        "测试市2025年政府信息公开工作年度报告", "测试市某某镇人民政府2025年政府信息公开工作年度报告"
    )
    path = tmp_path / "town.html"
    path.write_text(html, encoding="utf-8")
    code, data, out = _check(path, capsys)
    assert code == 1, out
    failed = {f["key"]: f for f in data["identities"]["failed"]}
    assert "level[t2:rules]" in failed
    assert "乡镇人民政府、街道办事处不能制定规章" in failed["level[t2:rules]"]["message"]
    # the same report of a city holds
    city = tmp_path / "city.html"
    city.write_text(_page("hangzhou_style_2021.html"), encoding="utf-8")
    assert main(["report", "check", str(city)]) == 0
    capsys.readouterr()


def test_the_builder_refuses_rules_for_a_township():
    from gongkai.domain.reports.formats import FORMATS
    from gongkai.domain.reports.levels import level_failures, level_from_name

    fmt = FORMATS["2021"]
    values = {("t2", "rules", "made"): 1, ("t2", "rules", "in_force"): 3}
    [failure] = level_failures(fmt, values, "township")
    assert failure.severity == "error" and "立法法第九十三条" in failure.message
    assert level_failures(fmt, values, "county") == []
    assert level_failures(fmt, {("t2", "rules", "made"): 0}, "township") == []
    assert level_from_name("某县城关镇人民政府") == "township"
    assert level_from_name("某区某某街道办事处") == "township"
    assert level_from_name("测试市交通运输局") is None
