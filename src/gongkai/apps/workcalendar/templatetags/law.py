"""``{% law "answer_days" %}``: a time limit of the 条例 in force today, for pages that state it
(the rows administrators keep, seeded from ``gongkai.domain.regulations``; never typed in a
template)."""

from __future__ import annotations

from django import template

from gongkai import clock
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.selectors import ruleset_for_date
from gongkai.domain.deadlines import DeadlineInputError
from gongkai.domain.regulations import CURRENT, RuleSet

register = template.Library()

LIMITS = frozenset(
    {
        "answer_days",
        "extension_max_days",
        "correction_notice_days",
        "third_party_days",
        "other_agency_days",
        "fee_payment_days",
        "proactive_days",
    }
)


def _in_force() -> RuleSet:
    try:
        return ruleset_for_date(clock.today())
    except (DeadlineInputError, CalendarEmpty):
        return CURRENT


@register.simple_tag
def law(name: str) -> int:
    if name not in LIMITS:
        raise template.TemplateSyntaxError(f"未知的条例时限：{name}")
    if name == "proactive_days":  # not a row field: the 条例's own figure
        return CURRENT.proactive_days
    return int(getattr(_in_force(), name))
