"""A horizontal bar chart for category counts whose Chinese labels are too long for columns."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe


def hbar_chart(
    title: str, rows: Sequence[tuple[str, int]], *, unit: str = "", width: int = 720
) -> SafeString:
    label_w, value_w, bar_h, gap, top = 300, 70, 22, 8, 8
    height = top + len(rows) * (bar_h + gap) + 4
    peak = max((n for _l, n in rows), default=0) or 1
    plot_w = width - label_w - value_w
    desc = "；".join(f"{label} {n}{unit}" for label, n in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="hbar-t hbar-d" font-size="13" font-family="sans-serif">',
        f'<title id="hbar-t">{escape(title)}</title><desc id="hbar-d">{escape(desc)}</desc>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = plot_w * n / peak
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" fill="#1f2328">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" fill="#0b4f8a"><title>{escape(label)}：{n}{escape(unit)}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" fill="#1f2328">{n:,}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
