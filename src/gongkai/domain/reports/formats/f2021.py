"""国办公开办函〔2021〕30号: the format of the 2021 report onward (cn-rules §2.1–§2.5)."""

from __future__ import annotations

from gongkai.domain.reports.formats.common import (
    TABLE3_CARRY_OVER,
    national_sections,
    stock_rule,
    table3,
    table3_rules,
    table4,
    table4_rules,
)
from gongkai.domain.reports.model import (
    Block,
    CellKind,
    Column,
    EnteredFigure,
    ReportFormat,
    Row,
    Table,
)

_DECISIONS = (Column("decisions", "本年处理决定数量", measures=("decisions",)),)

TABLE2 = Table(
    key="t2",
    title="二、主动公开政府信息情况",
    short="表二",
    blocks=(
        Block(
            title="第二十条第（一）项",
            corner="信息内容",
            columns=(
                Column("made", "本年制发件数", measures=("made",)),
                Column("repealed", "本年废止件数", measures=("repealed",)),
                Column("in_force", "现行有效件数", measures=("in_force",)),
            ),
            rows=(
                Row("rules", ("规章",), ("doc.rules",)),
                Row("normative", ("行政规范性文件",), ("doc.normative",), aliases=("规范性文件",)),
            ),
        ),
        Block(
            title="第二十条第（五）项",
            corner="信息内容",
            columns=_DECISIONS,
            rows=(Row("licensing", ("行政许可",), ("entered.licensing",)),),
        ),
        Block(
            title="第二十条第（六）项",
            corner="信息内容",
            columns=_DECISIONS,
            rows=(
                Row("penalty", ("行政处罚",), ("entered.penalty",)),
                Row("coercion", ("行政强制",), ("entered.coercion",)),
            ),
        ),
        Block(
            title="第二十条第（八）项",
            corner="信息内容",
            columns=(
                Column(
                    "amount",
                    "本年收费金额（单位：万元）",
                    measures=("amount_wan",),
                    kind=CellKind.AMOUNT,
                    unit="万元",
                    aliases=("本年收费金额", "本年收费金额（万元）"),
                ),
            ),
            rows=(Row("fees", ("行政事业性收费",), ("entered.fees",)),),
        ),
    ),
    signature=("规章", "行政许可", "行政处罚", "本年制发件数"),
)

_TABLE3 = table3(fold_other=False)

FORMAT_2021 = ReportFormat(
    code="2021",
    name="2021年版（国办公开办函〔2021〕30号）",
    basis="国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》",
    years=(2021, 9999),
    sections=national_sections(problems_heading="五、存在的主要问题及改进情况"),
    tables=(TABLE2, _TABLE3, table4()),
    rules=(*table3_rules(_TABLE3), *table4_rules()),
    cross_year=(
        TABLE3_CARRY_OVER,
        stock_rule("rules", "规章"),
        stock_rule("normative", "行政规范性文件"),
    ),
    entered=(
        EnteredFigure("licensing.decisions", "行政许可 本年处理决定数量"),
        EnteredFigure("penalty.decisions", "行政处罚 本年处理决定数量"),
        EnteredFigure("coercion.decisions", "行政强制 本年处理决定数量"),
        EnteredFigure(
            "fees.amount_wan",
            "行政事业性收费 本年收费金额（万元）",
            CellKind.AMOUNT,
            help="单位万元，可保留四位小数",
        ),
    ),
)
