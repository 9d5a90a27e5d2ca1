import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_seeded(sender, using="default", apps=None, **kwargs) -> None:
    """A database without any calendar year (a fresh or flushed one) gets the shipped data.

    The seed migration loads it on install; this covers databases emptied afterwards (e.g. a
    test database flushed between browser tests), with the very same function.
    """
    from django.db import connections

    from gongkai.apps.workcalendar import selectors
    from gongkai.apps.workcalendar.models import CalendarYear

    if CalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the calendar existed
    if CalendarYear.objects.using(using).exists():
        return
    seed = importlib.import_module(
        "gongkai.apps.workcalendar.migrations.0002_seed_official_calendar"
    ).seed
    from django.apps import apps as global_apps

    seed(global_apps, None)
    selectors.invalidate()


class WorkcalendarConfig(AppConfig):
    name = "gongkai.apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from gongkai.apps.workcalendar.cli import CALENDAR, DEADLINE
        from gongkai.apps.workcalendar.permissions import can_view_calendar
        from gongkai.apps.workcalendar.workqueue import calendar_workqueue
        from gongkai.registry import (
            NavEntry,
            register_backoffice_nav,
            register_cli,
            register_workqueue,
        )

        post_migrate.connect(ensure_seeded, sender=self)
        register_cli(CALENDAR)
        register_cli(DEADLINE)
        register_workqueue(calendar_workqueue)
        register_backoffice_nav(NavEntry(960, "工作日历", "workcalendar:home", can_view_calendar))
