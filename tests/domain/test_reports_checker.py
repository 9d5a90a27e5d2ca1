"""The checker on published pages: any markup, onto the canonical format, failures named."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.reports.checker.check import (
    EXIT_FAILED,
    EXIT_NO_TABLE,
    EXIT_OK,
    EXIT_UNCHECKED,
    check_page,
    extract,
)
from gongkai.domain.reports.checker.grid import (
    RawCell,
    RawTable,
    bare_label,
    expand,
    normalize_label,
)
from gongkai.domain.reports.checker.htmlpage import read_html, read_text
from gongkai.domain.reports.checker.numbers import CellReading, parse_cell

FIXTURES = Path(__file__).resolve().parents[1] / "apps" / "reporting" / "fixtures"


def check_fixture(name):
    page = read_html((FIXTURES / name).read_text(encoding="utf-8"))
    return check_page(page.tables, page.text, source=name)


@pytest.mark.parametrize(
    ("text", "reading", "value"),
    [
        ("1,234", CellReading.NUMBER, 1234),
        ("１２３", CellReading.NUMBER, 123),
        (" 12 ", CellReading.NUMBER, 12),
        ("12件", CellReading.NUMBER, 12),
        ("98.74%", CellReading.NUMBER, Decimal("98.74")),
        ("－3", CellReading.NUMBER, -3),
        ("+2", CellReading.NUMBER, 2),
        ("0.38", CellReading.NUMBER, Decimal("0.38")),
        ("12※", CellReading.NUMBER, 12),
        ("\u00a0", CellReading.BLANK, None),
        ("", CellReading.BLANK, None),
        ("—", CellReading.DASH, 0),
        ("/", CellReading.DASH, 0),
        ("无", CellReading.DASH, 0),
        ("自然人", CellReading.TEXT, None),
    ],
    ids=[
        "thousands-separator",
        "full-width-digits",
        "padded",
        "with-unit",
        "percent",
        "full-width-minus",
        "explicit-plus",
        "decimal-wan-yuan",
        "our-entered-mark",
        "nbsp-only",
        "empty",
        "em-dash",
        "slash",
        "wu",
        "a-label",
    ],
)
def test_cells_read_as_reports_write_them(text, reading, value):
    parsed = parse_cell(text)
    assert parsed.reading is reading
    assert parsed.value == value


def test_labels_compare_across_full_width_and_numbering():
    assert (
        normalize_label("1、属于国家秘密") == normalize_label("1．属于国家秘密") == "1.属于国家秘密"
    )
    assert bare_label("（三）不予公开") == "不予公开"
    assert bare_label("三、本年度办理结果") == "本年度办理结果"
    assert normalize_label("危及“三安全一稳定”") == "危及三安全一稳定"


def test_merged_cells_are_copied_into_every_slot_they_cover():
    table = RawTable(
        [
            [RawCell("A", rowspan=2, colspan=2), RawCell("B")],
            [RawCell("C")],
            [RawCell("D"), RawCell("E", continue_up=False), RawCell("F")],
        ]
    )
    matrix = expand(table)
    assert [[s.text for s in row] for row in matrix.slots] == [
        ["A", "A", "B"],
        ["A", "A", "C"],
        ["D", "E", "F"],
    ]
    assert matrix.slots[1][1].region == matrix.slots[0][0].region
    assert matrix.slots[0][0].origin and not matrix.slots[1][1].origin


def test_word_vertical_merge_continues_the_cell_above():
    table = RawTable([[RawCell("组"), RawCell("1")], [RawCell("", continue_up=True), RawCell("2")]])
    matrix = expand(table)
    assert (
        matrix.slots[1][0].text == "组" and matrix.slots[1][0].region == matrix.slots[0][0].region
    )


def test_tolerant_html_reading_of_unclosed_and_nested_tables():
    page = read_html(
        "<table><tr><td>外层<table><tr><td>内<b>层</b><td>2</table></td><td>x</tr></table><p>正文</p>"
    )
    assert len(page.tables) == 2
    outer, inner = page.tables
    assert [c.text for c in outer.rows[0]] == ["外层", "x"]
    assert [c.text.replace(" ", "") for c in inner.rows[0]] == ["内层", "2"]
    assert "正文" in page.text


def test_2021_fixture_reads_the_official_totals():
    report = check_fixture("hangzhou_style_2021.html")
    assert report.exit_code == EXIT_OK
    values = report.extraction.values
    assert report.extraction.fmt.code == "2021"
    assert values[("t3", "new", "total")] == 14069
    assert values[("t3", "carried", "total")] == 560
    assert values[("t3", "total", "total")] == 13810
    assert values[("t3", "carry_next", "total")] == 819
    assert values[("t2", "licensing", "decisions")] == 15230
    assert str(values[("t2", "fees", "amount")]) == "512.3"
    assert values[("t4", "n", "reconsideration.total")] == 12
    assert values[("t4", "n", "litigation_after.pending")] == 1
    # the blank zeros of the 科研机构 and 社会公益组织 columns are read as 0 and said so
    assert any("空白单元格，按 0 读取" in line for line in report.readings)
    assert report.validation.checked == 42 and report.validation.failures == []


def test_2019_fixture_inside_a_layout_table():
    report = check_fixture("layout_table_2019.html")
    assert report.exit_code == EXIT_OK
    values = report.extraction.values
    assert report.extraction.fmt.code == "2019"
    # the Shanghai-2019 totals (cn-rules §2.5)
    assert values[("t3", "new", "total")] == 859
    assert values[("t3", "carried", "total")] == 18
    assert values[("t3", "total", "total")] == 805
    assert values[("t3", "carry_next", "total")] == 72
    assert values[("t2", "licensing", "items_change")] == -4
    assert values[("t2", "services", "items_change")] == 2
    assert str(values[("t2", "procurement", "amount")]) == "3521.6"


def test_broken_fixture_names_the_failing_identities_and_cells():
    report = check_fixture("broken_identity_2021.html")
    assert report.exit_code == EXIT_FAILED
    keys = sorted(f.key for f in report.validation.errors)
    assert keys == ["t3.applicants[disclosed]", "t3.results[total]", "t4.reconsideration[n]"]
    assert report.validation.suspects() == [("t3", "disclosed", "total")]
    blank = next(f for f in report.validation.errors if f.key == "t4.reconsideration[n]")
    assert "空白" in blank.message and "合计栏未填而分项有数" in blank.message
    lines = "\n".join(report.lines())
    assert "最可能出错的单元格：表三“（一）予以公开”行“总计”列" in lines
    assert "第2个表格第6行第10列" in lines  # where the cell sits on the page
    assert report.extraction.values[("t3", "new", "total")] == 2458  # full-width digits


def test_group_labels_left_blank_and_other_numbering():
    report = check_fixture("unmerged_labels_2021.html")
    assert report.exit_code == EXIT_OK
    values = report.extraction.values
    assert values[("t3", "new", "natural_person")] == 2210  # written 2,210
    assert values[("t3", "withheld.state_secret", "total")] is not None
    assert report.extraction.table_keys() == ["t3", "t4"]


def test_page_without_a_report_table_exits_2():
    report = check_fixture("no_report_table.html")
    assert report.exit_code == EXIT_NO_TABLE
    assert report.to_json() == {"file": "no_report_table.html", "found": False, "exit_code": 2}


def test_json_carries_the_figures_and_failures():
    data = check_fixture("broken_identity_2021.html").to_json()
    assert data["format"] == "2021" and data["exit_code"] == 1
    t3 = next(t for t in data["tables"] if t["table"] == "t3")
    assert t3["found_in"] == "第2个表格"
    row = next(r for r in t3["rows"] if r["row"] == "new")
    assert row["values"]["total"] == 2458
    failed = {f["key"]: f for f in data["identities"]["failed"]}
    assert failed["t4.reconsideration[n]"]["cells"][0]["value"] is None
    assert data["identities"]["suspects"] == ["t3:disclosed:total"]


def test_a_wholly_blank_table_is_not_filled_in_and_its_identities_unchecked():
    html = (FIXTURES / "hangzhou_style_2021.html").read_text(encoding="utf-8")
    page = read_html(html)
    # blank every figure of table 四 (the third table with figures)
    t4 = next(t for t in page.tables if any(c.text == "复议后起诉" for r in t.rows for c in r))
    for cell in t4.rows[-1]:
        cell.text = ""
    report = check_page(page.tables, page.text, source="x")
    # neither held nor failed: not checked, and the exit code says so
    assert report.exit_code == EXIT_UNCHECKED
    assert report.validation.failures == []
    assert any("表四全部空白：视为未填写" in line for line in report.readings)
    assert {u.reasons for u in report.validation.unchecked} == {("表四全部空白，视为未填写",)}


def test_seed_text_is_read_as_a_seed_era_report():
    text = (
        "2018年，全市通过各种渠道主动公开各类政府信息248766条，其中通过门户网站公开信息129396条，"
        "政府公报公开信息157条，政务微博公开信息20635条，政务微信公开信息41115条，通过报刊、电视、"
        "电子显示屏等方式公开信息57463 条。“政府信箱”共收到有效留言23608条，处理答复23311条，"
        "处理答复率98.74%。全市共办理依申请信息公开935件。当面申请96件，传真申请2件，网络申请95件，"
        "信函申请742件；按时办结924件，延期办结11件；属于已主动公开81件，同意公开238件，同意部分公开"
        "80件，不同意公开答复85件，不属于本行政机关公开121件，申请信息不存在243件，告知作出更改补充45件，"
        "告知通过其他途径办理42件。全市因政府信息公开申请引起行政复议66件，其中维持具体行政行为49件，"
        "被依法纠错9件，其他情形8件；引起行政诉讼56件，其中维持具体行政行为或驳回原告诉讼请求42件，"
        "被依法纠错2件，其他情形12件。全市各级各部门为申请人复印、邮寄政府信息公开文件资料等全部予以免费。"
    )
    page = read_text(text)
    report = check_page(page.tables, page.text, source="seed")
    assert report.exit_code == EXIT_OK
    values = report.extraction.values
    assert report.extraction.method == "text"
    assert values[("t4", "lit_corrected", "n")] == 2  # not the 复议 figure of the same words
    assert values[("t3", "agreed", "n")] == 238  # not 不同意公开's 85
    changed = text.replace("同意部分公开80件", "同意部分公开81件")
    page = read_text(changed)
    report = check_page(page.tables, page.text, source="seed-changed")
    assert report.exit_code == EXIT_FAILED
    assert [f.key for f in report.validation.errors] == ["t3.outcomes"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["full", "span", "nbsp-zero", "comma"]), min_size=1, max_size=4),
    st.integers(1, 20),
)
def test_markup_variations_do_not_change_the_figures(variations, bump):
    """Whatever wrapping the digits get, the figures read are the same."""
    base = (FIXTURES / "hangzhou_style_2021.html").read_text(encoding="utf-8")
    page = read_html(base)
    expected = extract(page.tables, page.text).values
    for table in page.tables:
        for row in table.rows:
            for cell in row:
                parsed = parse_cell(cell.text)
                if parsed.reading is not CellReading.NUMBER or isinstance(parsed.value, float):
                    continue
                text = cell.text
                if "full" in variations:
                    text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
                if "comma" in variations and parsed.value >= 1000:
                    text = f"{parsed.value:,}"
                if "nbsp-zero" in variations and parsed.value == 0:
                    text = "\u00a0"
                if "span" in variations:
                    text = f" {text} "
                cell.text = text
    got = extract(page.tables, page.text).values
    assert {k: (v or 0) for k, v in got.items()} == {k: (v or 0) for k, v in expected.items()}


def _procurement(amount_text, heading="采购总金额"):
    html = (FIXTURES / "layout_table_2019.html").read_text(encoding="utf-8")
    assert html.count(">3521.6<") == 1 and ">采购总金额<" in html
    html = html.replace(">3521.6<", f">{amount_text}<").replace(">采购总金额<", f">{heading}<")
    page = read_html(html)
    return check_page(page.tables, page.text, source="x")


@pytest.mark.parametrize(
    ("text", "heading", "expected"),
    [
        ("3521.6", "采购总金额", "3521.6"),  # the format's own unit, 万元
        ("251000元", "采购总金额", "25.1"),  # the cell says 元: not 251,000 万元
        ("251000", "采购总金额（元）", "25.1"),  # the heading says 元
        ("251000", "采购总金额（单位：元）", "25.1"),
        ("25.1万元", "采购总金额", "25.1"),
    ],
    ids=["wan-by-format", "yuan-in-cell", "yuan-in-heading", "yuan-unit-heading", "wan-in-cell"],
)
def test_the_2019_procurement_amount_is_read_in_its_unit(text, heading, expected):
    report = _procurement(text, heading)
    assert report.extraction.fmt.code == "2019"
    assert str(report.extraction.values[("t2", "procurement", "amount")]) == expected
    if expected != text.rstrip("万元"):
        assert any("按万元读作" in note for note in report.extraction.notes)


def test_the_2019_format_declares_its_units_and_measures():
    from gongkai.domain.reports.formats import FORMATS

    fmt = FORMATS["2019"]
    amount = fmt.column(("t2", "procurement", "amount"))
    assert amount.unit == "万元" and amount.heading == "采购总金额（单位：万元）"
    # 本年新公开数量 is its own measure, not 本年新制作数量's
    assert fmt.measures_for(("t2", "rules", "made")) == ["doc.rules.made"]
    assert fmt.measures_for(("t2", "rules", "published")) == ["doc.rules.published"]
