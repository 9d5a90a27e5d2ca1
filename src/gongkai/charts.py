"""Server-rendered SVG charts: readable without JavaScript, accessible, printable.

Each chart carries <title> and <desc>, and ``data_table`` renders the same numbers as an HTML
table for screen readers and for people who would rather read than look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b4f8a", "#b31b1b", "#1a6b32", "#8a5300", "#5b3f99", "#00727a", "#7a4b00", "#444c56")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value:
            return float(candidate)
    return float(10 * magnitude)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 300,
    unit: str = "",
    stacked: bool = False,
) -> SafeString:
    """Grouped (or stacked) vertical bars, one group per label."""
    left, right, top, bottom = 56, 12, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    if stacked:
        peak = max((sum(s.values[i] for s in series) for i in range(len(labels))), default=0)
    else:
        peak = max((v for s in series for v in s.values), default=0)
    y_max = _nice_max(peak)
    n = max(1, len(labels))
    group_w = plot_w / n
    bar_w = group_w * 0.7 / (1 if stacked else max(1, len(series)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t d" font-family="sans-serif" font-size="12">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(_describe(labels, series, unit))}</desc>',
    ]
    for i in range(5):
        value = y_max * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dae0"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555e68">{_fmt(value)}</text>'
        )
    for index, label in enumerate(labels):
        x0 = left + group_w * index + group_w * 0.15
        base = top + plot_h
        for s_index, s in enumerate(series):
            value = s.values[index] if index < len(s.values) else 0
            h = plot_h * value / y_max
            x = x0 if stacked else x0 + bar_w * s_index
            y = base - h
            color = PALETTE[s_index % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}">'
                f"<title>{escape(s.name)} {escape(label)}：{_fmt(value)}{escape(unit)}</title></rect>"
            )
            if stacked:
                base = y
        parts.append(
            f'<text x="{left + group_w * (index + 0.5):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#1f2328">{escape(label)}</text>'
        )
    parts.extend(_legend(series, left, height - 14))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 280,
    unit: str = "",
) -> SafeString:
    left, right, top, bottom = 56, 12, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = _nice_max(max((v for s in series for v in s.values), default=0))
    n = max(1, len(labels) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t d" font-family="sans-serif" font-size="12">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(_describe(labels, series, unit))}</desc>',
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dae0"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555e68">{_fmt(y_max * i / 4)}</text>'
        )
    for index, label in enumerate(labels):
        x = left + plot_w * index / n
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    for s_index, s in enumerate(series):
        color = PALETTE[s_index % len(PALETTE)]
        points = [
            (left + plot_w * i / n, top + plot_h - plot_h * v / y_max)
            for i, v in enumerate(s.values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for (x, y), value, label in zip(points, s.values, labels, strict=False):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{escape(s.name)} {escape(label)}：{_fmt(value)}{escape(unit)}</title></circle>'
            )
    parts.extend(_legend(series, left, height - 14))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def data_table(
    caption: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = ""
) -> SafeString:
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f'<td class="num">{_fmt(s.values[i])}{escape(unit)}</td>' for s in series)
        + "</tr>"
        for i, label in enumerate(labels)
    )
    return mark_safe(
        f'<table class="chart-data"><caption>{escape(caption)}</caption><thead><tr><th scope="col"></th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts, offset = [], 0.0
    for index, s in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x + offset:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{color}"/>'
        )
        parts.append(f'<text x="{x + offset + 14:.1f}" y="{y:.1f}">{escape(s.name)}</text>')
        offset += 28 + 13 * len(s.name)
    return parts


def _describe(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    chunks = []
    for s in series:
        values = "，".join(
            f"{label} {_fmt(v)}{unit}" for label, v in zip(labels, s.values, strict=False)
        )
        chunks.append(f"{s.name}：{values}")
    return "；".join(chunks)
