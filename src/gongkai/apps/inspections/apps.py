from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "gongkai.apps.inspections"
    label = "inspections"
    verbose_name = "双随机一公开"

    def ready(self) -> None:
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.apps.inspections import cli, demo
        from gongkai.apps.inspections.services import TASK_DUES, run_entity_import_job
        from gongkai.apps.inspections.views.home import home_section
        from gongkai.apps.inspections.workqueue import inspections_workqueue
        from gongkai.registry import (
            NavEntry,
            register_backoffice_nav,
            register_due_source,
            register_job,
            register_portal_home_section,
            register_portal_nav,
            register_workqueue,
        )

        cli.register()
        demo.register()
        register_job("inspections.entity_import", run_entity_import_job)
        register_due_source(TASK_DUES)
        register_workqueue(inspections_workqueue)
        register_portal_nav(NavEntry(60, "双随机一公开", "inspections:index"))
        register_backoffice_nav(
            NavEntry(60, "双随机一公开", "inspections:bo_dashboard", is_staff_member)
        )
        register_portal_home_section(60, home_section)
