"""Server-rendered SVG charts: a year against earlier years.

Each chart is an accessible image (role="img" with <title> and <desc>); pages show the same
numbers in a table beside it. Colours meet 3:1 contrast against white for graphical objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from gongkai.domain.reports.build import percent
from gongkai.domain.reports.model import Number

PALETTE = ("#0b4f8a", "#b31b1b", "#1a6b32", "#8a5300", "#5b3a8c", "#00687a", "#6b6b6b", "#a3366b")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


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
    if unit == "%":
        return f"{value:.2f}%"
    return f"{value:,.0f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 * magnitude)


def render_svg(chart: Chart, *, width: int = 560, height: int = 300) -> str:
    """The chart as an inline SVG element."""
    left, right, top, bottom = 64, 16, 20, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(chart.categories), 1)
    if chart.kind == "stacked":
        peak = max(
            (sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))),
            default=0,
        )
    else:
        peak = max((v or 0 for s in chart.series for v in s.values), default=0)
    y_max = 100.0 if chart.unit == "%" else _nice_max(float(peak))
    uid = escape(chart.key)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" class="chart-svg">',
        f'<title id="{uid}-t">{escape(chart.title)}</title>',
        f'<desc id="{uid}-d">{escape(chart.desc)}</desc>',
    ]
    for i in range(5):
        y_value = y_max * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="#d5dae0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#3a4048">{escape(_fmt(y_value, chart.unit))}</text>'
        )
    slot = plot_w / n

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(value, y_max) / y_max

    if chart.kind == "line":
        for k, s in enumerate(chart.series):
            colour = PALETTE[k % len(PALETTE)]
            points = [
                (left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(s.values) if v is not None
            ]
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
            for (x, y), value in zip(points, [v for v in s.values if v is not None], strict=True):
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
                parts.append(
                    f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="13" '
                    f'fill="#1f2328">{escape(_fmt(value, chart.unit))}</text>'
                )
    else:
        groups = len(chart.series) if chart.kind == "bar" else 1
        bar_w = min(max(slot * 0.7 / groups, 2), 56.0)
        pad = (slot - bar_w * groups) / 2
        for i in range(len(chart.categories)):
            base: float = top + plot_h
            for k, s in enumerate(chart.series):
                amount = s.values[i]
                if amount is None:
                    continue
                colour = PALETTE[k % len(PALETTE)]
                h = plot_h * min(amount, y_max) / y_max
                if chart.kind == "stacked":
                    x = left + slot * i + pad
                    base -= h
                    y = base
                else:
                    x = left + slot * i + pad + bar_w * k
                    y = top + plot_h - h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{escape(chart.categories[i])} {escape(s.name)}：'
                    f"{escape(_fmt(amount, chart.unit))}</title></rect>"
                )
    for i, category in enumerate(chart.categories):
        x = left + slot * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="14" '
            f'fill="#1f2328">{escape(category)}</text>'
        )
    legend_x = left
    for k, s in enumerate(chart.series):
        colour = PALETTE[k % len(PALETTE)]
        y = height - 18
        parts.append(f'<rect x="{legend_x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{legend_x + 16}" y="{y}" font-size="14" fill="#1f2328">'
            f"{escape(s.name)}</text>"
        )
        legend_x += 26 + 14 * len(s.name)
    parts.append("</svg>")
    return "".join(parts)


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
