"""The annual report's charts: a year against earlier years, as data.

What each chart shows and says (title, description, series) is decided here from the report
measures; the drawing is gongkai.charts (one palette, one axis rule). Pages show the same
numbers in a table beside each chart (``Chart.table_rows``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.charts import Series, fmt, svg
from gongkai.domain.reports.build import percent
from gongkai.domain.reports.model import Number


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = "件"
    kind: str = "bar"  # bar | stacked | line

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """(category, formatted values per series) for the table shown with the chart."""
        rows = []
        for i, category in enumerate(self.categories):
            cells = []
            for s in self.series:
                value = s.values[i]
                cells.append("—" if value is None else _fmt(value, self.unit))
            rows.append((category, cells))
        return rows


def _fmt(value: float, unit: str) -> str:
    return fmt(value, "%" if unit == "%" else "")


def render_svg(chart: Chart, *, width: int = 560, height: int = 300) -> str:
    """The chart as an inline SVG element (drawn by gongkai.charts)."""
    return svg(
        chart.title,
        chart.categories,
        chart.series,
        kind=chart.kind,
        unit="%" if chart.unit == "%" else "",
        desc=chart.desc,
        key=chart.key,
        width=width,
        height=height,
    )


@dataclass(frozen=True)
class YearSummary:
    """The figures the charts compare across years, from one year's measures."""

    year: int
    channels: dict[str, int]
    outcomes: dict[str, int]
    closed: int
    closed_in_time: int
    reconsideration: int
    litigation: int
    corrected: int

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.closed:
            return None
        return percent(self.closed_in_time, self.closed)


CHANNEL_LABELS = (("in_person", "当面"), ("fax", "传真"), ("online", "网络"), ("letter", "信函"))
OUTCOME_GROUPS = (
    ("disclosed", "予以公开"),
    ("partial", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("ignored", "不予处理"),
    ("other", "其他处理"),
)


def year_summary(year: int, measures: Mapping[str, Number]) -> YearSummary:
    def total(prefix: str) -> int:
        return int(sum((v for k, v in measures.items() if k.startswith(prefix)), 0))

    channels = {label: total(f"req8.channel.{key}") for key, label in CHANNEL_LABELS}
    outcomes = {label: total(f"req.{key}.") for key, label in OUTCOME_GROUPS}
    in_time = total("req8.timing.on_time") + total("req8.timing.extended")
    return YearSummary(
        year=year,
        channels=channels,
        outcomes=outcomes,
        closed=in_time + total("req8.timing.late"),
        closed_in_time=in_time,
        reconsideration=total("appeal.reconsideration."),
        litigation=total("appeal.litigation_"),
        corrected=total("appeal.reconsideration.corrected")
        + total("appeal.litigation_direct.corrected")
        + total("appeal.litigation_after.corrected"),
    )


def history_charts(summaries: Sequence[YearSummary], *, subject: str) -> list[Chart]:
    """Requests by channel and by outcome, on-time rate and appeals, year against year."""
    years = tuple(f"{s.year}年" for s in summaries)
    span = f"{summaries[0].year}—{summaries[-1].year}年" if summaries else ""

    def describe(what: str, pairs: list[tuple[str, Sequence[float | None]]]) -> str:
        chunks = []
        for i, s in enumerate(summaries):
            values = "，".join(
                f"{name}{'无数据' if vals[i] is None else _fmt(vals[i] or 0, '')}"
                for name, vals in pairs
            )
            chunks.append(f"{s.year}年{values}")
        return f"{subject}{span}{what}：" + "；".join(chunks) + "。"

    channel_series = tuple(
        Series(label, tuple(float(s.channels[label]) for s in summaries))
        for _key, label in CHANNEL_LABELS
    )
    outcome_series = tuple(
        Series(label, tuple(float(s.outcomes[label]) for s in summaries))
        for _key, label in OUTCOME_GROUPS
    )
    rate = tuple(float(s.on_time_rate) if s.on_time_rate is not None else None for s in summaries)
    appeals = (
        Series("行政复议", tuple(float(s.reconsideration) for s in summaries)),
        Series("行政诉讼", tuple(float(s.litigation) for s in summaries)),
        Series("被纠错", tuple(float(s.corrected) for s in summaries)),
    )
    rate_desc = "；".join(
        f"{s.year}年{'无办结案件' if r is None else f'{r:.2f}%'}"
        for s, r in zip(summaries, rate, strict=True)
    )
    return [
        Chart(
            "chart-channels",
            "依申请公开：按申请方式",
            describe(
                "收到的政府信息公开申请按申请方式", [(x.name, x.values) for x in channel_series]
            ),
            years,
            channel_series,
            kind="stacked",
        ),
        Chart(
            "chart-outcomes",
            "依申请公开：按办理结果",
            describe(
                "办结的政府信息公开申请按办理结果", [(x.name, x.values) for x in outcome_series]
            ),
            years,
            outcome_series,
            kind="stacked",
        ),
        Chart(
            "chart-ontime",
            "按期办结率",
            f"{subject}{span}在法定期限（含依法延长的期限）内办结的申请占办结申请的比例：{rate_desc}。",
            years,
            (Series("按期办结率", rate),),
            unit="%",
            kind="line",
        ),
        Chart(
            "chart-appeals",
            "行政复议和行政诉讼",
            describe(
                "因政府信息公开引起的行政复议和行政诉讼", [(x.name, x.values) for x in appeals]
            ),
            years,
            appeals,
        ),
    ]
