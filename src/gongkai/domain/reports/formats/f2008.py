"""The seed-era report (2008 regulation, 国务院令第492号; reports for 2008–2018).

There was no national table: reports stated their statistics in sentences, as the seed city's
2018 report does. The rows below carry the seed's own wording (当面/传真/网络/信函, 按时办结/
延期办结, the eight answer categories, 行政复议 and 行政诉讼 results), the patterns that find
each figure in such a text, and the sentences a generated draft states them in.
"""

from __future__ import annotations

from gongkai.domain.decisions import LegacyCategory
from gongkai.domain.reportfacts import AppealResult, PublicationChannel
from gongkai.domain.reports.formats.common import CREDIT_SENTENCE
from gongkai.domain.reports.model import (
    Block,
    CellKind,
    CellRule,
    Column,
    ReportFormat,
    Row,
    Section,
    SectionKind,
    Table,
    Term,
)

N = r"([0-9][0-9,]*)"  # a count as written (thousands separators allowed)
P = r"([0-9]+(?:\.[0-9]+)?)"  # a percentage

_COL = (Column("n", "数量"),)

_MEDIA = ("newspaper", "tv", "screen", "other")

TABLE1 = Table(
    key="t1",
    title="主动公开政府信息情况",
    short="主动公开",
    unit="单位：条",
    blocks=(
        Block(
            _COL,
            (
                Row(
                    "total",
                    ("主动公开政府信息总数",),
                    tuple(f"pub.{c.value}" for c in PublicationChannel),
                    text_patterns=(rf"主动公开各类政府信息{N}条", rf"主动公开政府信息{N}条"),
                ),
                Row(
                    "website",
                    ("其中", "门户网站"),
                    ("pub.website",),
                    text_patterns=(rf"门户网站公开(?:各类)?(?:信息)?{N}条",),
                ),
                Row(
                    "gazette",
                    ("其中", "政府公报"),
                    ("pub.gazette",),
                    text_patterns=(rf"政府公报公开(?:信息)?{N}条",),
                ),
                Row(
                    "weibo",
                    ("其中", "政务微博"),
                    ("pub.weibo",),
                    text_patterns=(rf"政务微博公开(?:信息)?{N}条",),
                ),
                Row(
                    "wechat",
                    ("其中", "政务微信"),
                    ("pub.wechat",),
                    text_patterns=(rf"政务微信公开(?:信息)?{N}条",),
                ),
                Row(
                    "media",
                    ("其中", "报刊、电视、电子显示屏等"),
                    tuple(f"pub.{c}" for c in _MEDIA),
                    text_patterns=(rf"报刊、电视、电子显示屏等(?:方式)?公开(?:信息)?{N}条",),
                ),
            ),
            corner="项目",
        ),
    ),
    signature=("门户网站", "政府公报", "政务微博", "政务微信"),
)

TABLE2 = Table(
    key="t2",
    title="政府信箱办理情况",
    short="政府信箱",
    unit="单位：条",
    blocks=(
        Block(
            _COL,
            (
                Row(
                    "received",
                    ("收到有效留言",),
                    ("mail.received",),
                    text_patterns=(rf"收到有效留言{N}条", rf"收到(?:群众)?留言{N}条"),
                ),
                Row(
                    "answered",
                    ("处理答复",),
                    ("mail.answered",),
                    text_patterns=(rf"处理答复{N}条", rf"办结(?:留言)?{N}条"),
                ),
                Row(
                    "rate",
                    ("处理答复率",),
                    kind=CellKind.PERCENT,
                    ratio=("answered", "received"),
                    text_patterns=(rf"处理答复率{P}%", rf"答复率(?:为|达)?{P}%"),
                ),
            ),
            corner="项目",
        ),
    ),
    signature=("收到有效留言", "处理答复"),
)

_OUTCOMES: tuple[tuple[LegacyCategory, str, tuple[str, ...]], ...] = (
    (LegacyCategory.ALREADY_PUBLIC, "属于已主动公开", (rf"属于已主动公开(?:范围)?(?:的)?{N}件",)),
    (LegacyCategory.AGREED, "同意公开", (rf"(?<!不)同意公开(?:答复)?{N}件",)),
    (LegacyCategory.AGREED_PARTIAL, "同意部分公开", (rf"同意部分公开(?:答复)?{N}件",)),
    (LegacyCategory.REFUSED, "不同意公开", (rf"不同意公开(?:答复)?{N}件",)),
    (
        LegacyCategory.NOT_THIS_AGENCY,
        "不属于本行政机关公开",
        (rf"不属于本(?:行政)?机关公开(?:范围)?(?:的)?{N}件",),
    ),
    (LegacyCategory.NOT_EXIST, "申请信息不存在", (rf"申请信息不存在{N}件",)),
    (LegacyCategory.ASKED_TO_AMEND, "告知作出更改补充", (rf"告知作出更改补充{N}件",)),
    (LegacyCategory.OTHER_CHANNEL, "告知通过其他途径办理", (rf"告知通过其他途径办理{N}件",)),
)

_T3_ROWS: tuple[Row, ...] = (
    Row(
        "total",
        ("办理依申请公开申请总数",),
        ("req8.handled",),
        text_patterns=(
            rf"办理依申请(?:信息)?公开(?:申请)?{N}件",
            rf"受理(?:政府信息公开)?申请{N}件",
        ),
    ),
    Row(
        "in_person",
        ("申请方式", "当面申请"),
        ("req8.channel.in_person",),
        text_patterns=(rf"当面申请{N}件",),
    ),
    Row("fax", ("申请方式", "传真申请"), ("req8.channel.fax",), text_patterns=(rf"传真申请{N}件",)),
    Row(
        "online",
        ("申请方式", "网络申请"),
        ("req8.channel.online",),
        text_patterns=(rf"网络申请{N}件", rf"网上申请{N}件"),
    ),
    Row(
        "letter",
        ("申请方式", "信函申请"),
        ("req8.channel.letter",),
        text_patterns=(rf"信函申请{N}件",),
    ),
    Row(
        "on_time",
        ("办理时限", "按时办结"),
        ("req8.timing.on_time",),
        text_patterns=(rf"按时办结{N}件",),
    ),
    Row(
        "extended",
        ("办理时限", "延期办结"),
        ("req8.timing.extended",),
        text_patterns=(rf"延期办结{N}件",),
    ),
    Row(
        "late",
        ("办理时限", "逾期办结"),
        ("req8.timing.late",),
        optional=True,
        text_patterns=(rf"逾期办结{N}件",),
    ),
    Row(
        "open",
        ("办理时限", "尚未办结"),
        ("req8.timing.open",),
        optional=True,
        text_patterns=(rf"尚未办结{N}件",),
    ),
    *(
        Row(
            category.name.lower(),
            ("答复类型", label),
            (f"req8.outcome.{category.name.lower()}",),
            text_patterns=patterns,
        )
        for category, label, patterns in _OUTCOMES
    ),
    Row(
        "other",
        ("答复类型", "其他情形"),
        ("req8.outcome.other",),
        optional=True,
        text_patterns=(rf"答复[^。；;]*?其他情形{N}件",),
    ),
    Row("unanswered", ("答复类型", "尚未答复"), ("req8.outcome.open",), optional=True),
)

TABLE3 = Table(
    key="t3",
    title="依申请公开政府信息情况",
    short="依申请公开",
    unit="单位：件",
    blocks=(Block(_COL, _T3_ROWS, corner="项目"),),
    signature=("当面申请", "信函申请", "按时办结"),
)

_REC = "appeal.reconsideration"
_LIT = ("appeal.litigation_direct", "appeal.litigation_after")


def _appeal_rows(
    prefix: str, group: str, measures: tuple[str, ...], upheld_label: str
) -> tuple[Row, ...]:
    results = (
        ("upheld", upheld_label, AppealResult.UPHELD),
        ("corrected", "被依法纠错", AppealResult.CORRECTED),
        ("other", "其他情形", AppealResult.OTHER),
        ("pending", "尚未审结", AppealResult.PENDING),
    )
    clause = rf"{group}[^。；;]*?"
    rows = [
        Row(
            f"{prefix}_total",
            (group, "总数"),
            tuple(f"{m}.{r.value}" for m in measures for r in AppealResult),
            text_patterns=(rf"{group}{N}件",),
        )
    ]
    for key, label, result in results:
        rows.append(
            Row(
                f"{prefix}_{key}",
                (group, label),
                tuple(f"{m}.{result.value}" for m in measures),
                optional=result is AppealResult.PENDING,
                text_patterns=(rf"{clause}{label}{N}件",),
            )
        )
    return tuple(rows)


TABLE4 = Table(
    key="t4",
    title="因政府信息公开申请引起的行政复议和行政诉讼情况",
    short="复议诉讼",
    unit="单位：件",
    blocks=(
        Block(
            _COL,
            (
                *_appeal_rows("rec", "行政复议", (_REC,), "维持具体行政行为"),
                *_appeal_rows("lit", "行政诉讼", _LIT, "维持具体行政行为或驳回原告诉讼请求"),
            ),
            corner="项目",
        ),
    ),
    signature=("行政复议", "行政诉讼", "被依法纠错"),
)

TABLE5 = Table(
    key="t5",
    title="政府信息公开收费及减免情况",
    short="收费",
    unit="单位：元",
    blocks=(
        Block(
            _COL,
            (
                Row(
                    "fee",
                    ("收取信息处理费",),
                    ("req.fee_yuan",),
                    text_patterns=(
                        rf"收取(?:信息处理费|费用)(?:共计)?{N}元",
                        r"全部予以免费",
                        r"未收取(?:任何)?费用",
                    ),
                ),
            ),
            corner="项目",
        ),
    ),
    signature=("收取信息处理费",),
)


def _sum_rule(key: str, label: str, table: str, total: str, parts: tuple[str, ...]) -> CellRule:
    return CellRule(
        key, label, table, (Term(total, "n"),), tuple(Term(part, "n") for part in parts)
    )


_T3_OUTCOME_ROWS = tuple(r.key for r in _T3_ROWS[9:])

FORMAT_2008 = ReportFormat(
    code="2008",
    name="2008年版（《政府信息公开条例》国务院令第492号时期）",
    basis="《中华人民共和国政府信息公开条例》（国务院令第492号）第三十一条、第三十二条",
    years=(2008, 2018),
    sections=(
        Section(
            "overview",
            "一、概述",
            SectionKind.NARRATIVE,
            narrative_key="overview",
            guidance="全年政府信息公开工作的总体情况、主要做法和成效。",
            sentences=(
                "{year}年，{subject}通过各种渠道主动公开各类政府信息{t1:total:n}条，"
                "其中通过门户网站公开信息{t1:website:n}条，政府公报公开信息{t1:gazette:n}条，"
                "政务微博公开信息{t1:weibo:n}条，政务微信公开信息{t1:wechat:n}条，"
                "通过报刊、电视、电子显示屏等方式公开信息{t1:media:n}条。",
                "门户网站“政府信箱”共收到有效留言{t2:received:n}条，处理答复{t2:answered:n}条，"
                "处理答复率{t2:rate:n}。",
                CREDIT_SENTENCE,
            ),
        ),
        Section("t1", "二、主动公开政府信息情况", SectionKind.TABLES, tables=("t1", "t2")),
        Section(
            "t3",
            "三、依申请公开政府信息情况",
            SectionKind.TABLES,
            tables=("t3",),
            sentences=(
                "{year}年，{subject}共办理依申请信息公开{t3:total:n}件。"
                "当面申请{t3:in_person:n}件，传真申请{t3:fax:n}件，网络申请{t3:online:n}件，"
                "信函申请{t3:letter:n}件；按时办结{t3:on_time:n}件，延期办结{t3:extended:n}件"
                "[，逾期办结{t3:late:n}件][，尚未办结{t3:open:n}件]；"
                "属于已主动公开{t3:already_public:n}件，同意公开{t3:agreed:n}件，"
                "同意部分公开{t3:agreed_partial:n}件，不同意公开答复{t3:refused:n}件，"
                "不属于本行政机关公开{t3:not_this_agency:n}件，申请信息不存在{t3:not_exist:n}件，"
                "告知作出更改补充{t3:asked_to_amend:n}件，"
                "告知通过其他途径办理{t3:other_channel:n}件[，答复为其他情形{t3:other:n}件]。",
            ),
        ),
        Section(
            "t4",
            "四、因政府信息公开申请引起的行政复议和行政诉讼情况",
            SectionKind.TABLES,
            tables=("t4",),
            sentences=(
                "{subject}因政府信息公开申请引起行政复议{t4:rec_total:n}件，"
                "其中维持具体行政行为{t4:rec_upheld:n}件，被依法纠错{t4:rec_corrected:n}件，"
                "其他情形{t4:rec_other:n}件[，尚未审结{t4:rec_pending:n}件]；"
                "引起行政诉讼{t4:lit_total:n}件，其中维持具体行政行为或驳回原告诉讼请求"
                "{t4:lit_upheld:n}件，被依法纠错{t4:lit_corrected:n}件，"
                "其他情形{t4:lit_other:n}件[，尚未审结{t4:lit_pending:n}件]。",
            ),
        ),
        Section(
            "t5",
            "五、政府信息公开收费及减免情况",
            SectionKind.TABLES,
            tables=("t5",),
            sentences=(
                "?{t5:fee:n}=0:{subject}为申请人复印、邮寄政府信息公开文件资料等全部予以免费。",
                "?{t5:fee:n}>0:{subject}共收取信息处理费{t5:fee:n}元。",
            ),
        ),
        Section(
            "problems",
            "六、存在的主要问题及改进情况",
            SectionKind.NARRATIVE,
            narrative_key="problems",
            guidance="工作中存在的不足和下一年度的改进措施。",
        ),
        Section(
            "other",
            "七、其他需要报告的事项",
            SectionKind.NARRATIVE,
            narrative_key="other",
            guidance="其他需要说明的情况。",
        ),
    ),
    tables=(TABLE1, TABLE2, TABLE3, TABLE4, TABLE5),
    rules=(
        _sum_rule(
            "t1.total",
            "主动公开总数等于各渠道之和",
            "t1",
            "total",
            ("website", "gazette", "weibo", "wechat", "media"),
        ),
        _sum_rule(
            "t3.channels",
            "申请总数等于各申请方式之和",
            "t3",
            "total",
            ("in_person", "fax", "online", "letter"),
        ),
        _sum_rule(
            "t3.timing",
            "申请总数等于按时、延期、逾期办结与尚未办结之和",
            "t3",
            "total",
            ("on_time", "extended", "late", "open"),
        ),
        _sum_rule("t3.outcomes", "申请总数等于各答复类型之和", "t3", "total", _T3_OUTCOME_ROWS),
        _sum_rule(
            "t4.rec",
            "行政复议总数等于各项结果之和",
            "t4",
            "rec_total",
            ("rec_upheld", "rec_corrected", "rec_other", "rec_pending"),
        ),
        _sum_rule(
            "t4.lit",
            "行政诉讼总数等于各项结果之和",
            "t4",
            "lit_total",
            ("lit_upheld", "lit_corrected", "lit_other", "lit_pending"),
        ),
    ),
)
