"""The statutory deadline of a disclosure request, computed from its events, with the day-by-day
explanation of how it was counted.

Rules (《政府信息公开条例》, 2019; the 2008 regulation for requests received before 2019-05-15):

- 第三十一条: the receipt date depends on the channel (:func:`receipt_date`);
- 第三十三条: answer within 20 working days of receipt; one extension of at most 20 working days;
  the day of receipt is not counted, day 1 is the next working day, so the due date is always a
  working day;
- 第三十条: a 补正 notice within 7 working days of receipt; the answer period then runs from the
  receipt of the corrected application (it restarts, it does not merely pause); not corrected by
  the set date = treated as withdrawn;
- 第三十二条、第三十四条: time spent consulting a third party or another agency is not counted
  (they answer within 15 working days);
- 信息处理费管理办法: a fee notice stops the clock from the day it is sent until payment; the
  applicant pays within 20 working days of the day the notice is served (送达, by the same rules
  as receipt, :func:`service_date`); unpaid by then = treated as withdrawn;
- 第三十五条: clearly excessive requests whose reasons are reasonable but cannot be answered in
  time get a reasonable later date the agency sets (:attr:`EventKind.DEFERRAL`); the count runs
  on, day by day, to that date.

The numbers live in a :class:`RuleSet` (rows the administrators edit), never in the code below.
The events are read off the case's steps (:func:`clock_inputs`), never kept beside them.
A pause from day P to day Q excludes the working days in (P, Q]: the day the pause begins is
still counted, and the clock resumes the day after it ends — the same convention as receipt.
"""

from gongkai.domain.deadlines.compute import compute_deadline
from gongkai.domain.deadlines.period import Period, served_period, set_period
from gongkai.domain.deadlines.result import DayNote, DayStatus, Deadline, Pause
from gongkai.domain.deadlines.rules import (
    CORRECTION_LABEL,
    DEFAULT_RULESETS,
    DEFERRAL_LABEL,
    EVENT_LABELS,
    PAUSE_LABELS,
    RECEIPT_CHANNEL_LABELS,
    RECEIPT_RULE,
    RULESET_2008,
    RULESET_2019,
    SERVICE_RULE,
    CaseEvent,
    DeadlineInputError,
    EventKind,
    PauseReason,
    ReceiptChannel,
    RuleSet,
    receipt_date,
    ruleset_for,
    service_date,
)
from gongkai.domain.deadlines.steps import ClockStep, clock_inputs, step_events

__all__ = [
    "CORRECTION_LABEL",
    "DEFAULT_RULESETS",
    "DEFERRAL_LABEL",
    "EVENT_LABELS",
    "PAUSE_LABELS",
    "RECEIPT_CHANNEL_LABELS",
    "RECEIPT_RULE",
    "RULESET_2008",
    "RULESET_2019",
    "SERVICE_RULE",
    "CaseEvent",
    "ClockStep",
    "DayNote",
    "DayStatus",
    "Deadline",
    "DeadlineInputError",
    "EventKind",
    "Pause",
    "PauseReason",
    "Period",
    "ReceiptChannel",
    "RuleSet",
    "clock_inputs",
    "compute_deadline",
    "receipt_date",
    "ruleset_for",
    "served_period",
    "service_date",
    "set_period",
    "step_events",
]
