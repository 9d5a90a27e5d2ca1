from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.apps.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.applications.services.workflow import released_refresh
        from gongkai.apps.privacy.services import register_rendition_refresh

        register_rendition_refresh("applications.application", released_refresh)
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.applications import cli, workqueue
        from gongkai.apps.applications.permissions import can_use_case_office
        from gongkai.apps.applications.services.deadlines import (
            DUE_SOURCE,
            applications_remind_enqueue,
            job_remind,
        )
        from gongkai.apps.applications.views.portal import home_section
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
        from gongkai.seeding import reseed_when_empty

        reseed_when_empty(
            self,
            model="applications.FeeTierRow",
            migration="0002_seed_configuration",
            function="seed",
        )
        cli.register()
        register_workqueue(workqueue.sections)
        register_due_source(DUE_SOURCE)
        register_job("applications.remind", job_remind, time_limit=15 * 60)
        register_periodic(
            PeriodicWork(
                "applications.remind",
                "依申请公开到期提醒",
                lambda now: applications_remind_enqueue(on=local_date(now)),
                at=(8, 0),
            )
        )
        register_portal_nav(NavEntry(30, "依申请公开", "applications:apply_home"))
        register_portal_nav(
            NavEntry(
                910,
                "我的政府信息公开申请",
                "applications:my_list",
                lambda user: getattr(user, "is_authenticated", False),
            )
        )
        register_backoffice_nav(
            NavEntry(20, "依申请公开", "applications:staff_queue", can_use_case_office)
        )
        register_portal_home_section(30, home_section)
