from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "gongkai.apps.inspections"
    label = "inspections"
    verbose_name = "双随机一公开"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.apps.audit.services import SYSTEM
        from gongkai.apps.inspections import cli
        from gongkai.apps.inspections.services import (
            TASK_DUES,
            run_entity_import_job,
            task_send_reminders,
        )
        from gongkai.apps.inspections.views.home import home_section
        from gongkai.apps.inspections.workqueue import inspections_workqueue
        from gongkai.clock import local_date
        from gongkai.registry import (
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_due_source,
            register_job,
            register_periodic,
            register_portal_home_section,
            register_portal_nav,
            register_workqueue,
        )

        cli.register()
        register_job("inspections.entity_import", run_entity_import_job, time_limit=3 * 3600)
        register_periodic(
            PeriodicWork(
                "inspections.remind",
                "双随机结果公示提醒",
                lambda now: task_send_reminders(actor=SYSTEM, today=local_date(now)),
                at=(8, 20),
            )
        )
        register_due_source(TASK_DUES)
        register_workqueue(inspections_workqueue)
        register_portal_nav(NavEntry(60, "双随机一公开", "inspections:index"))
        register_backoffice_nav(
            NavEntry(60, "双随机一公开", "inspections:bo_dashboard", is_staff_member)
        )
        register_portal_home_section(60, home_section)
