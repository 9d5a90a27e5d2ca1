"""Server-rendered SVG charts: readable without JavaScript, accessible, printable.

The platform's one chart module (one palette, one axis rule, one number format). Every chart is
an image (``role="img"``) with ``<title>`` and ``<desc>``; each bar and point carries its own
``<title>`` with the exact figure, and pages show the same numbers in a table beside the chart
(:func:`data_table`, or ``Chart.table_rows`` of the annual-report charts) for screen readers
and for people who would rather read than look. Colours meet 3:1 contrast against white.

Nothing here imports Django, so the report domain (``gongkai.domain.reports.charts``) draws
with it too; the results are ``Markup`` strings, which Django templates insert unescaped (they
have ``__html__``) — every text inside has been escaped here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#0b4f8a", "#b31b1b", "#1a6b32", "#8a5300", "#5b3f99", "#00687a", "#6b6b6b", "#a3366b")
GRID = "#d5dae0"
INK = "#1f2328"
MUTED = "#3a4048"


class Markup(str):
    """Markup built here from escaped parts; templates insert it as it is."""

    def __html__(self) -> str:
        return self


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def nice_max(value: float) -> float:
    """The top of the value axis: the first of 1, 2, 2.5, 5, 10 × 10ⁿ at or above ``value``."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value:
            return float(candidate)
    return float(10 * magnitude)


def fmt(value: float, unit: str = "") -> str:
    """A figure as the charts and their tables write it: percentages with two decimals,
    whole numbers with thousands separators, others with two decimals; then the unit."""
    if unit == "%":
        return f"{value:.2f}%"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text + unit


def _key(title: str) -> str:
    return "chart-" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]


def describe(labels: Sequence[str], series: Sequence[Series], unit: str = "") -> str:
    """The figures in words, for ``<desc>``: "系列：标签 数值，…；…"."""
    chunks = []
    for s in series:
        values = "，".join(
            f"{label} {'无数据' if v is None else fmt(v, unit)}"
            for label, v in zip(labels, s.values, strict=False)
        )
        chunks.append(f"{s.name}：{values}")
    return "；".join(chunks)


def _value(s: Series, index: int) -> float | None:
    return s.values[index] if index < len(s.values) else None


def svg(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    kind: str = "bar",  # bar | stacked | line
    unit: str = "",
    desc: str = "",
    key: str = "",
    width: int = 720,
    height: int = 300,
) -> Markup:
    """A vertical bar (grouped or stacked) or line chart, one slot per label."""
    left, right, top, bottom = 64, 16, 20, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    if kind == "stacked":
        peak = max((sum(_value(s, i) or 0 for s in series) for i in range(len(labels))), default=0)
    else:
        peak = max((v or 0 for s in series for v in s.values), default=0)
    y_max = 100.0 if unit == "%" else nice_max(float(peak))
    uid = escape(key or _key(title))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="chart-svg" font-family="sans-serif">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc or describe(labels, series, unit))}</desc>',
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="{MUTED}">{escape(fmt(y_max * i / 4, "%" if unit == "%" else ""))}</text>'
        )
    slot = plot_w / n

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(value, y_max) / y_max

    def tip(label: str, s: Series, value: float) -> str:
        return f"<title>{escape(s.name)} {escape(label)}：{escape(fmt(value, unit))}</title>"

    if kind == "line":
        for k, s in enumerate(series):
            colour = PALETTE[k % len(PALETTE)]
            points = [
                (left + slot * (i + 0.5), y_of(v), v, labels[i])
                for i, v in enumerate(s.values[: len(labels)])
                if v is not None
            ]
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
            for x, y, value, label in points:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                    f"{tip(label, s, value)}</circle>"
                )
                parts.append(
                    f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="13" '
                    f'fill="{INK}">{escape(fmt(value, "%" if unit == "%" else ""))}</text>'
                )
    else:
        groups = len(series) if kind == "bar" else 1
        bar_w = min(max(slot * 0.7 / max(groups, 1), 2), 56.0)
        pad = (slot - bar_w * groups) / 2
        for i, label in enumerate(labels):
            base: float = top + plot_h
            for k, s in enumerate(series):
                amount = _value(s, i)
                if amount is None:
                    continue
                h = plot_h * min(amount, y_max) / y_max
                if kind == "stacked":
                    x = left + slot * i + pad
                    base -= h
                    y = base
                else:
                    x = left + slot * i + pad + bar_w * k
                    y = top + plot_h - h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}">{tip(label, s, amount)}</rect>'
                )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + slot * (i + 0.5):.1f}" y="{top + plot_h + 18}" '
            f'text-anchor="middle" font-size="14" fill="{INK}">{escape(label)}</text>'
        )
    legend_x = float(left)
    for k, s in enumerate(series):
        y = height - 18
        parts.append(
            f'<rect x="{legend_x:.1f}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{legend_x + 16:.1f}" y="{y}" font-size="14" fill="{INK}">'
            f"{escape(s.name)}</text>"
        )
        legend_x += 26 + 14 * len(s.name)
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 300,
    unit: str = "",
    stacked: bool = False,
) -> Markup:
    """Grouped (or stacked) vertical bars, one group per label."""
    return svg(
        title,
        labels,
        series,
        kind="stacked" if stacked else "bar",
        unit=unit,
        width=width,
        height=height,
    )


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 280,
    unit: str = "",
) -> Markup:
    return svg(title, labels, series, kind="line", unit=unit, width=width, height=height)


def hbar_chart(
    title: str, rows: Sequence[tuple[str, int]], *, unit: str = "", width: int = 720
) -> Markup:
    """Horizontal bars for counts whose Chinese labels are too long to stand under columns."""
    label_w, value_w, bar_h, gap, top = 300, 70, 22, 8, 8
    height = top + len(rows) * (bar_h + gap) + 4
    peak = max((n for _l, n in rows), default=0) or 1
    plot_w = width - label_w - value_w
    uid = _key(title)
    desc = "；".join(f"{label} {fmt(n, unit)}" for label, n in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="chart-svg" font-size="13" '
        f'font-family="sans-serif">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = plot_w * n / peak
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}：{escape(fmt(n, unit))}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" fill="{INK}">'
            f"{escape(fmt(n, unit))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def data_table(
    caption: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = ""
) -> Markup:
    """The chart's numbers as an HTML table ("—" where a series has no figure)."""
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(
            f'<td class="num">{"—" if (v := _value(s, i)) is None else escape(fmt(v, unit))}</td>'
            for s in series
        )
        + "</tr>"
        for i, label in enumerate(labels)
    )
    return Markup(
        f'<table class="chart-data"><caption>{escape(caption)}</caption><thead><tr>'
        f'<th scope="col"></th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
