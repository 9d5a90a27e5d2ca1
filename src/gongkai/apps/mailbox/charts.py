"""The mailbox's charts, drawn on the server as accessible SVG (gongkai.charts)."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.charts import Markup, Series, bar_chart


def monthly_chart(year: int, months: Sequence) -> Markup:
    labels = [row.label for row in months]
    return bar_chart(
        f"{year}年政府信箱每月收信与答复",
        labels,
        [
            Series("收到来信", [row.figures.received for row in months]),
            Series("已答复", [row.figures.answered for row in months]),
        ],
        unit="件",
    )
