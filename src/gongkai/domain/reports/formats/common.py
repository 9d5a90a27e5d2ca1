"""Pieces the 2019 and 2021 national formats share (国办公开办函〔2019〕60号 and 〔2021〕30号).

Labels are the template's own, character for character (cn-rules §2.3, §2.4).
"""

from __future__ import annotations

from gongkai.domain.decisions import TABLE3_LEAF_ROWS, ApplicantType
from gongkai.domain.reports.model import (
    Block,
    Column,
    ColumnwiseRule,
    CrossYearRule,
    Row,
    RowwiseRule,
    Section,
    SectionKind,
    Severity,
    Table,
    Term,
)

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column(
        ApplicantType.NATURAL_PERSON.value,
        "自然人",
        ("申请人情况", "自然人"),
        (ApplicantType.NATURAL_PERSON.value,),
    ),
    *(
        Column(
            t.value,
            t.label,
            ("申请人情况", "法人或其他组织"),
            (t.value,),
            aliases=("其它",) if t is ApplicantType.OTHER_ORG else (),
        )
        for t in ApplicantType
        if t.is_organisation
    ),
    Column(
        "total",
        "总计",
        ("申请人情况", "总计"),
        tuple(t.value for t in ApplicantType),
        aliases=("合计",),
    ),
)

TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"

# group heading of each table-三 leaf key prefix
_GROUPS = {
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "ignored": "（五）不予处理",
    "other": "（六）其他处理",
}


def _leaf_path(key: str, label: str) -> tuple[str, ...]:
    prefix = key.split(".")[0]
    if prefix in _GROUPS:
        # the leaf label after the group heading: "1.属于国家秘密"
        return (RESULTS, _GROUPS[prefix], label.split(" ", 1)[1])
    return (RESULTS, label)


# aliases: wordings seen in published reports for the same row
_ROW_ALIASES: dict[str, tuple[str, ...]] = {
    "new": ("本年新收政府信息公开申请数量", "本年新收申请数量"),
    "carried": ("上年结转政府信息公开申请数量", "上年结转申请数量"),
    "carry_next": ("结转下年度继续办理",),
    "partial": ("部分公开",),
    "withheld.security": ("危及三安全一稳定", '危及"三安全一稳定"'),
}


def table3_rows(*, fold_other: bool) -> tuple[Row, ...]:
    """Rows of table 三; ``fold_other`` gives the 2019 format's single 其他处理 row."""
    rows: list[Row] = [
        Row(
            "new", ("一、本年新收政府信息公开申请数量",), ("req.new",), aliases=_ROW_ALIASES["new"]
        ),
        Row(
            "carried",
            ("二、上年结转政府信息公开申请数量",),
            ("req.carried",),
            aliases=_ROW_ALIASES["carried"],
        ),
    ]
    leaf_measures: list[str] = []
    folded: list[str] = []
    for key, label in TABLE3_LEAF_ROWS:
        measure = f"req.{key}"
        leaf_measures.append(measure)
        if fold_other and key.startswith("other."):
            folded.append(measure)
            continue
        rows.append(Row(key, _leaf_path(key, label), (measure,), aliases=_ROW_ALIASES.get(key, ())))
    if fold_other:
        rows.append(Row("other", (RESULTS, "（六）其他处理"), tuple(folded)))
    rows.append(Row("total", (RESULTS, "（七）总计"), tuple(leaf_measures), aliases=("总计",)))
    rows.append(
        Row(
            "carry_next",
            ("四、结转下年度继续办理",),
            ("req.carry_next",),
            aliases=_ROW_ALIASES["carry_next"],
        )
    )
    return tuple(rows)


def table3(*, fold_other: bool) -> Table:
    return Table(
        key="t3",
        title="三、收到和处理政府信息公开申请情况",
        short="表三",
        blocks=(
            Block(APPLICANT_COLUMNS, table3_rows(fold_other=fold_other), corner=TABLE3_CORNER),
        ),
        signature=("本年新收", "上年结转", "予以公开", "结转下年度"),
    )


def table3_rules(table: Table) -> tuple[ColumnwiseRule | RowwiseRule, ...]:
    leaves = tuple(
        r.key
        for r in table.blocks[0].rows
        if r.key not in {"new", "carried", "total", "carry_next"}
    )
    return (
        ColumnwiseRule(
            "t3.balance",
            "表三 第一项加第二项之和等于第三项加第四项之和",
            "t3",
            lhs=("new", "carried"),
            rhs=("total", "carry_next"),
        ),
        ColumnwiseRule(
            "t3.results",
            "表三 （七）总计等于各项办理结果之和",
            "t3",
            lhs=("total",),
            rhs=leaves,
        ),
        RowwiseRule(
            "t3.applicants",
            "表三 总计列等于各类申请人之和",
            "t3",
            lhs=("total",),
            rhs=tuple(t.value for t in ApplicantType),
        ),
    )


TABLE3_CARRY_OVER = CrossYearRule(
    "t3.carry_over",
    "表三 本年“上年结转”等于上一年度报告的“结转下年度继续办理”",
    "t3",
    previous=(Term("carry_next", "*"),),
    current=(Term("carried", "*"),),
)

_APPEAL_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
_APPEAL_GROUPS = (
    ("reconsideration", ("行政复议", "行政复议")),
    ("litigation_direct", ("行政诉讼", "未经复议直接起诉")),
    ("litigation_after", ("行政诉讼", "复议后起诉")),
)


def table4() -> Table:
    columns: list[Column] = []
    for kind, groups in _APPEAL_GROUPS:
        for result, label in _APPEAL_RESULTS:
            columns.append(Column(f"{kind}.{result}", label, groups, (f"{kind}.{result}",)))
        columns.append(
            Column(
                f"{kind}.total",
                "总计",
                groups,
                tuple(f"{kind}.{r}" for r, _ in _APPEAL_RESULTS),
                aliases=("合计",),
            )
        )
    return Table(
        key="t4",
        title="四、政府信息公开行政复议、行政诉讼情况",
        short="表四",
        blocks=(Block(tuple(columns), (Row("n", (), ("appeal",)),)),),
        signature=("行政复议", "行政诉讼", "结果维持", "尚未审结"),
    )


def table4_rules() -> tuple[RowwiseRule, ...]:
    names = {"reconsideration": "行政复议", "litigation_direct": "未经复议直接起诉"}
    names["litigation_after"] = "复议后起诉"
    return tuple(
        RowwiseRule(
            f"t4.{kind}",
            f"表四 {names[kind]}的总计等于各项结果之和",
            "t4",
            lhs=(f"{kind}.total",),
            rhs=tuple(f"{kind}.{r}" for r, _ in _APPEAL_RESULTS),
        )
        for kind, _groups in _APPEAL_GROUPS
    )


def stock_rule(row: str, label: str) -> CrossYearRule:
    """现行有效件数 is a stock: last year's plus this year's made, less this year's repealed
    (cn-rules §2.5 (6): inferred, so a warning, never a refusal)."""
    return CrossYearRule(
        f"t2.stock.{row}",
        f"表二 {label}现行有效件数应等于上年现行有效件数加本年制发减本年废止",
        "t2",
        previous=(Term(row, "in_force"),),
        current=(Term(row, "in_force"), Term(row, "made", -1), Term(row, "repealed")),
        severity=Severity.WARNING,
    )


OVERVIEW_GUIDANCE = (
    "主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面的情况；"
    "政府的年度报告还应说明工作考核、社会评议和责任追究结果（条例第五十条）。"
)


# 行政许可/行政处罚/行政强制 decisions and 罚没金额 (万元) from the credit records (ADR 0152);
# left out where the agency has none
CREDIT_SENTENCE = (
    "[全年作出行政许可决定{m:entered.licensing.decisions}件、"
    "行政处罚决定{m:entered.penalty.decisions}件、行政强制决定{m:entered.coercion.decisions}件，"
    "罚没金额{m:entered.penalty.amount_wan}万元。]"
)


def national_sections(*, problems_heading: str) -> tuple[Section, ...]:
    return (
        Section(
            "overview",
            "一、总体情况",
            SectionKind.NARRATIVE,
            narrative_key="overview",
            guidance=OVERVIEW_GUIDANCE,
            sentences=(
                "{year}年，{subject}通过政府网站等渠道主动公开政府信息{m:pub.*}条，"
                "其中政府网站公开{m:pub.website}条[，政府公报公开{m:pub.gazette}条]"
                "[，政务微博公开{m:pub.weibo}条][，政务微信公开{m:pub.wechat}条]"
                "[，发布政策解读{m:info.interpretations}篇][，举办新闻发布会{m:info.press_conferences}场]。",
                CREDIT_SENTENCE,
                "全年新收政府信息公开申请{t3:new:total}件，上年结转{t3:carried:total}件，"
                "办结{t3:total:total}件，结转下年度继续办理{t3:carry_next:total}件。",
                "?{t4:n:reconsideration.total}>0:因政府信息公开工作被申请行政复议"
                "{t4:n:reconsideration.total}件。",
                "?{t4:n:reconsideration.total}=0:全年未发生因政府信息公开工作引起的行政复议。",
                "?{m:appeal.litigation_*}>0:被提起行政诉讼{m:appeal.litigation_*}件。",
                "[政府信箱收到留言{m:mail.received}条，办结{m:mail.answered}条。]",
                "[全年开展政府网站检查{m:web.checks}次，覆盖网站{m:web.sites_checked}个，"
                "最近一次检查合格{m:web.sites_passed}个、不合格{m:web.sites_failed}个。]",
                "?{m:web.sites_vetoed}>0:不合格网站中触发单项否决指标的{m:web.sites_vetoed}个。",
                "[检查政务新媒体账号{m:media.checked}个，合格{m:media.passed}个、"
                "不合格{m:media.failed}个。]",
                "[针对检查发现的问题下发整改任务{m:web.tasks}件，已整改{m:web.tasks_closed}件。]",
            ),
        ),
        Section("t2", "二、主动公开政府信息情况", SectionKind.TABLES, tables=("t2",)),
        Section("t3", "三、收到和处理政府信息公开申请情况", SectionKind.TABLES, tables=("t3",)),
        Section("t4", "四、政府信息公开行政复议、行政诉讼情况", SectionKind.TABLES, tables=("t4",)),
        Section(
            "problems",
            problems_heading,
            SectionKind.NARRATIVE,
            narrative_key="problems",
            guidance="上一年度存在问题的整改情况、本年度存在的主要问题和改进措施。",
        ),
        Section(
            "other",
            "六、其他需要报告的事项",
            SectionKind.NARRATIVE,
            narrative_key="other",
            guidance="收取信息处理费情况、人大代表建议和政协提案办理结果公开情况等。",
            sentences=(
                "?{m:req.fee_yuan}=0:本年度未收取信息处理费。",
                "?{m:req.fee_yuan}>0:本年度依据《政府信息公开信息处理费管理办法》"
                "收取信息处理费{m:req.fee_yuan}元。",
            ),
        ),
    )
