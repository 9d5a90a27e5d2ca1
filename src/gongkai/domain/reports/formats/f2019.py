"""国办公开办函〔2019〕60号: the format of the 2019 and 2020 reports (cn-rules §2.2–§2.4).

Table 二 differs from 2021 (item counts and their change, 政府集中采购); table 三 has a single
（六）其他处理 row; table 四 is the same.
"""

from __future__ import annotations

from gongkai.domain.reports.formats.common import (
    TABLE3_CARRY_OVER,
    national_sections,
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

_ITEMS = (
    Column("items_prev", "上一年项目数量", measures=("items_prev",)),
    Column("items_change", "本年增/减", measures=("items_change",), kind=CellKind.SIGNED),
)

TABLE2 = Table(
    key="t2",
    title="二、主动公开政府信息情况",
    short="表二",
    blocks=(
        Block(
            title="第二十条第（一）项",
            corner="信息内容",
            columns=(
                Column("made", "本年新制作数量", measures=("made",)),
                Column("published", "本年新公开数量", measures=("published",)),
                Column("in_force", "对外公开总数量", measures=("in_force",)),
            ),
            rows=(
                Row("rules", ("规章",), ("doc.rules",)),
                Row("normative", ("规范性文件",), ("doc.normative",), aliases=("行政规范性文件",)),
            ),
        ),
        Block(
            title="第二十条第（五）项",
            corner="信息内容",
            columns=(*_ITEMS, Column("decisions", "处理决定数量", measures=("decisions",))),
            rows=(
                Row("licensing", ("行政许可",), ("entered.licensing",)),
                Row("services", ("其他对外管理服务事项",), ("entered.services",)),
            ),
        ),
        Block(
            title="第二十条第（六）项",
            corner="信息内容",
            columns=(*_ITEMS, Column("decisions", "处理决定数量", measures=("decisions",))),
            rows=(
                Row("penalty", ("行政处罚",), ("entered.penalty",)),
                Row("coercion", ("行政强制",), ("entered.coercion",)),
            ),
        ),
        Block(
            title="第二十条第（八）项",
            corner="信息内容",
            columns=_ITEMS,
            rows=(Row("fees", ("行政事业性收费",), ("entered.fees",)),),
        ),
        Block(
            title="第二十条第（九）项",
            corner="信息内容",
            columns=(
                Column("projects", "采购项目数量", measures=("projects",)),
                Column(
                    "amount",
                    "采购总金额",
                    measures=("amount_wan",),
                    kind=CellKind.AMOUNT,
                    unit="万元",
                    aliases=("采购总金额（单位：万元）", "采购总金额（万元）"),
                ),
            ),
            rows=(Row("procurement", ("政府集中采购",), ("entered.procurement",)),),
        ),
    ),
    signature=("规章", "行政许可", "行政处罚", "本年新制作数量"),
)

_TABLE3 = table3(fold_other=True)


def _items(key: str, label: str) -> tuple[EnteredFigure, EnteredFigure]:
    return (
        EnteredFigure(f"{key}.items_prev", f"{label} 上一年项目数量"),
        EnteredFigure(f"{key}.items_change", f"{label} 本年增/减", CellKind.SIGNED),
    )


FORMAT_2019 = ReportFormat(
    code="2019",
    name="2019年版（国办公开办函〔2019〕60号）",
    basis="国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》",
    years=(2019, 2020),
    sections=national_sections(problems_heading="五、政府信息公开工作存在的主要问题及改进情况"),
    tables=(TABLE2, _TABLE3, table4()),
    rules=(*table3_rules(_TABLE3), *table4_rules()),
    cross_year=(TABLE3_CARRY_OVER,),
    entered=(
        *_items("licensing", "行政许可"),
        EnteredFigure("licensing.decisions", "行政许可 处理决定数量"),
        *_items("services", "其他对外管理服务事项"),
        EnteredFigure("services.decisions", "其他对外管理服务事项 处理决定数量"),
        *_items("penalty", "行政处罚"),
        EnteredFigure("penalty.decisions", "行政处罚 处理决定数量"),
        *_items("coercion", "行政强制"),
        EnteredFigure("coercion.decisions", "行政强制 处理决定数量"),
        *_items("fees", "行政事业性收费"),
        EnteredFigure("procurement.projects", "政府集中采购 采购项目数量"),
        EnteredFigure("procurement.amount_wan", "政府集中采购 采购总金额（万元）", CellKind.AMOUNT),
    ),
)
