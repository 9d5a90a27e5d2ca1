from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "gongkai.apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from gongkai.apps.workcalendar import selectors
        from gongkai.apps.workcalendar.cli import CALENDAR, DEADLINE
        from gongkai.apps.workcalendar.permissions import can_view_calendar
        from gongkai.apps.workcalendar.workqueue import calendar_workqueue
        from gongkai.registry import (
            NavEntry,
            register_backoffice_nav,
            register_cli,
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
        register_cli(CALENDAR)
        register_cli(DEADLINE)
        register_workqueue(calendar_workqueue)
        register_backoffice_nav(NavEntry(960, "工作日历", "workcalendar:home", can_view_calendar))
