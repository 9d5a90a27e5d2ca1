from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_missing_dues(**kwargs) -> None:
    """After an upgrade, open rows that have no due date yet (cases that waited for a year's
    calendar before deadlines became 暂定) get one."""
    from django.db import transaction

    # deferred: imported in ready(), once the app registry is loaded
    from gongkai.apps.audit.services import SystemActor
    from gongkai.apps.workcalendar.dues import dues_recompute

    with transaction.atomic(using=kwargs.get("using", "default")):
        dues_recompute(actor=SystemActor(audit_label="升级（补算期限）"), missing_only=True)


class WorkcalendarConfig(AppConfig):
    name = "gongkai.apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.workcalendar import selectors
        from gongkai.apps.workcalendar.cli import CALENDAR, DEADLINE
        from gongkai.apps.workcalendar.permissions import can_view_calendar
        from gongkai.apps.workcalendar.services import calendar_coverage_check
        from gongkai.apps.workcalendar.workqueue import calendar_workqueue
        from gongkai.registry import (
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_cli,
            register_periodic,
            register_workqueue,
        )
        from gongkai.seeding import reseed_when_empty

        reseed_when_empty(
            self,
            model="workcalendar.CalendarYear",
            migration="0002_seed_official_calendar",
            function="seed",
            after=selectors.invalidate,
        )
        post_migrate.connect(_fill_missing_dues, sender=self)
        register_cli(CALENDAR)
        register_cli(DEADLINE)
        register_workqueue(calendar_workqueue)
        register_periodic(
            PeriodicWork(
                "calendar.coverage",
                "节假日安排载入检查",
                lambda now: calendar_coverage_check(now=now),
                at=(9, 0),
            )
        )
        register_backoffice_nav(NavEntry(960, "工作日历", "workcalendar:home", can_view_calendar))
