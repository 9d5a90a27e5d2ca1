"""The results deadline: published within N working days (细则, default 20) of the check's end.

Working days come from the official calendar (gongkai.apps.workcalendar); a date in a year whose
holiday notice is not loaded yet leaves the deadline open with the calendar's own explanation —
never a Monday-to-Friday guess.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def results_due_for(task: Any) -> tuple[dt.date | None, str]:
    from gongkai.apps.workcalendar.selectors import add_working_days
    from gongkai.domain.workdays import CalendarNotCovered

    end = task.check_finished_on or task.check_end
    try:
        return add_working_days(end, task.ruleset.results_days), ""
    except CalendarNotCovered as exc:
        return None, str(exc)[:300]
