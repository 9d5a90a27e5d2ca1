"""The formats as declared: exact labels, cell counts, and the identities of cn-rules §2.5."""

import pytest

from gongkai.domain.reports.formats import FORMATS, format_for_year, get_format
from gongkai.domain.reports.formats.common import TABLE3_CORNER
from gongkai.domain.reports.identities import validate
from gongkai.domain.reports.layout import table_layout


def test_three_formats_are_declared_for_their_years():
    assert set(FORMATS) == {"2008", "2019", "2021"}
    assert format_for_year(2018).code == "2008"
    assert format_for_year(2019).code == "2019"
    assert format_for_year(2020).code == "2019"
    assert format_for_year(2021).code == "2021"
    assert format_for_year(2026).code == "2021"
    with pytest.raises(ValueError, match="没有适用"):
        format_for_year(2007)
    with pytest.raises(ValueError, match="未知的年度报告格式"):
        get_format("2030")


@pytest.mark.parametrize(
    ("code", "rows", "leaves"),
    [("2021", 25, 21), ("2019", 23, 19)],
    ids=["2021-has-three-other-rows", "2019-folds-other"],
)
def test_table3_has_the_official_rows_and_seven_columns(code, rows, leaves):
    table = FORMATS[code].table("t3")
    block = table.blocks[0]
    assert len(block.rows) == rows
    assert len(block.columns) == 7
    assert len(table.cells()) == rows * 7
    assert block.corner == TABLE3_CORNER
    results = [r for r in block.rows if r.path[0] == "三、本年度办理结果" and r.key != "total"]
    assert len(results) == leaves


def test_table3_labels_are_the_templates_own():
    rows = {r.key: r for r in FORMATS["2021"].table("t3").blocks[0].rows}
    assert rows["new"].path == ("一、本年新收政府信息公开申请数量",)
    assert rows["partial"].path[-1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert rows["withheld.security"].path == (
        "三、本年度办理结果",
        "（三）不予公开",
        "3.危及“三安全一稳定”",
    )
    assert rows["other.fee_unpaid"].path[-1] == (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert rows["total"].path == ("三、本年度办理结果", "（七）总计")
    assert rows["carry_next"].path == ("四、结转下年度继续办理",)
    columns = [c.label for c in FORMATS["2021"].table("t3").blocks[0].columns]
    assert columns == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert FORMATS["2019"].table("t3").row("other").path == ("三、本年度办理结果", "（六）其他处理")


def test_table2_differs_between_2019_and_2021():
    t2021 = FORMATS["2021"].table("t2")
    assert [b.title for b in t2021.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [c.label for c in t2021.blocks[0].columns] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert len(t2021.cells()) == 10
    t2019 = FORMATS["2019"].table("t2")
    assert [c.label for c in t2019.blocks[0].columns] == [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
    ]
    assert t2019.blocks[-1].title == "第二十条第（九）项"
    assert [r.label for r in t2019.blocks[-1].rows] == ["政府集中采购"]


def test_table4_has_fifteen_cells_in_three_groups():
    table = FORMATS["2021"].table("t4")
    assert len(table.cells()) == 15
    labels = [(c.groups[-1], c.label) for c in table.blocks[0].columns]
    assert labels[:5] == [
        ("行政复议", x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ]
    assert labels[5][0] == "未经复议直接起诉"
    assert labels[10][0] == "复议后起诉"


def test_seed_era_format_uses_the_seed_wording():
    fmt = FORMATS["2008"]
    labels = {r.label for t in fmt.tables for b in t.blocks for r in b.rows}
    for label in (
        "当面申请",
        "传真申请",
        "网络申请",
        "信函申请",
        "按时办结",
        "延期办结",
        "属于已主动公开",
        "同意公开",
        "同意部分公开",
        "不同意公开",
        "不属于本行政机关公开",
        "申请信息不存在",
        "告知作出更改补充",
        "告知通过其他途径办理",
        "维持具体行政行为",
        "维持具体行政行为或驳回原告诉讼请求",
        "被依法纠错",
        "其他情形",
        "门户网站",
        "政府公报",
        "政务微博",
        "政务微信",
        "报刊、电视、电子显示屏等",
        "收到有效留言",
        "处理答复",
        "处理答复率",
    ):
        assert label in labels, label


def test_official_layout_of_table3_header_and_groups():
    fmt = FORMATS["2021"]
    rows = table_layout(fmt, fmt.table("t3"), {}, show_all_rows=True)
    corner, applicant = rows[0][0], rows[0][1]
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert (applicant.text, applicant.colspan) == ("申请人情况", 7)
    natural, organisations, total = rows[1]
    assert (natural.text, natural.rowspan) == ("自然人", 2)
    assert (organisations.text, organisations.colspan) == ("法人或其他组织", 5)
    assert (total.text, total.rowspan) == ("总计", 2)
    results = rows[5][0]
    assert (results.text, results.rowspan) == ("三、本年度办理结果", 22)
    withheld = rows[7][0]  # 三、… is merged from above
    assert (withheld.text, withheld.rowspan) == ("（三）不予公开", 8)
    assert rows[3][0].colspan == 3  # 一、本年新收… spans the three label columns


def _t3(fmt, column_values):
    """Table 三 values where every column holds the given (row → value) figures."""
    values = {cell: 0 for cell in fmt.table("t3").cells()}
    for (row, col), value in column_values.items():
        values[("t3", row, col)] = value
    return values


def test_vector_shanghai_2019_totals_hold():
    # 2019 上海市人民政府办公厅 (cn-rules §2.5): 新收 859 + 结转 18 = 办结 805 + 结转下年 72
    fmt = FORMATS["2019"]
    figures = {
        ("new", "natural_person"): 821,
        ("new", "commercial"): 35,
        ("new", "legal_service"): 2,
        ("new", "other_org"): 1,
        ("new", "total"): 859,
        ("carried", "natural_person"): 18,
        ("carried", "total"): 18,
        ("disclosed", "natural_person"): 767,
        ("disclosed", "commercial"): 35,
        ("disclosed", "legal_service"): 2,
        ("disclosed", "other_org"): 1,
        ("disclosed", "total"): 805,
        ("total", "natural_person"): 767,
        ("total", "commercial"): 35,
        ("total", "legal_service"): 2,
        ("total", "other_org"): 1,
        ("total", "total"): 805,
        ("carry_next", "natural_person"): 72,
        ("carry_next", "total"): 72,
    }
    values = _t3(fmt, figures)
    result = validate(fmt, values)
    assert result.ok, [f.message for f in result.failures]
    assert values[("t3", "new", "total")] + values[("t3", "carried", "total")] == 877


def test_vector_2021_fixture_totals_and_a_broken_total_is_named():
    # the 2021-format fixture (cn-rules §2.5): 14069 + 560 = 13810 + 819 = 14629
    fmt = FORMATS["2021"]
    figures = {
        ("new", "natural_person"): 14069,
        ("new", "total"): 14069,
        ("carried", "natural_person"): 560,
        ("carried", "total"): 560,
        ("disclosed", "natural_person"): 13810,
        ("disclosed", "total"): 13810,
        ("total", "natural_person"): 13810,
        ("total", "total"): 13810,
        ("carry_next", "natural_person"): 819,
        ("carry_next", "total"): 819,
    }
    values = _t3(fmt, figures)
    assert validate(fmt, values).ok
    values[("t3", "carry_next", "total")] = 818
    result = validate(fmt, values)
    assert not result.ok
    keys = {f.key for f in result.errors}
    assert keys == {"t3.balance[total]", "t3.applicants[carry_next]"}
    assert result.suspects() == [("t3", "carry_next", "total")]
    message = next(f.message for f in result.errors if f.key == "t3.balance[total]")
    assert "14629" in message and "14628" in message and "相差 1" in message
