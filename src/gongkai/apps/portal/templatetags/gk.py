"""Template filters in Chinese conventions: 2019年1月17日, 〔〕, 万元, percentages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from gongkai import clock
from gongkai.domain.vocabulary import action_label as label

register = template.Library()

_CN_DIGITS = "〇一二三四五六七八九"


@register.filter
def cn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = clock.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = clock.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.filter
def cn_date_upper(value) -> str:
    """二〇一九年一月十七日, as official letters date themselves."""
    if not value:
        return ""

    def number(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("十" if tens == 1 else _CN_DIGITS[tens] + "十") + (_CN_DIGITS[ones] if ones else "")

    year = "".join(_CN_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{number(value.month)}月{number(value.day)}日"


@register.filter
def percent(value, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def thousands(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    return f"{int(value):,}"


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and facets)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def action_label(value: str) -> str:
    """An audit action's Chinese label (gongkai.domain.vocabulary)."""
    return label(value)


@register.filter
def job_label(value: str) -> str:
    # deferred: another function imports a different label
    from gongkai.domain.vocabulary import job_label as label

    return label(value)


@register.filter
def result_label(value: str) -> str:
    # deferred: another function imports a different label
    from gongkai.domain.vocabulary import result_label as label

    return label(value)
