"""The results deadline: published within N working days (细则, default 20) of the check's end.

Working days come from the official calendar (gongkai.apps.workcalendar); past the years whose
holiday notice is loaded the date is 暂定 (counted on the statutory holidays), never blank.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.domain.workdays import Due


def results_due_for(task: Any, calendar: Any = None) -> Due:
    end = task.check_finished_on or task.check_end
    return (calendar or calendar_current()).due(end, task.ruleset.results_days)


def task_refresh_due(task: Any, calendar: Any) -> None:
    """The DueSource hook: a drawn task's results deadline on ``calendar``."""
    task.set_due(results_due_for(task, calendar))
