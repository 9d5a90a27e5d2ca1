from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "gongkai.apps.reporting"
    label = "reporting"
    verbose_name = "年度报告"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.reporting import cli, home, services, workqueue
        from gongkai.apps.reporting.permissions import can_see_dashboard, can_use_backoffice
        from gongkai.clock import local_date
        from gongkai.registry import (
            CliCommand,
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_cli,
            register_job,
            register_periodic,
            register_portal_home_section,
            register_portal_nav,
            register_workqueue,
        )
        from gongkai.seeding import reseed_when_empty

        reseed_when_empty(
            self,
            model="reporting.ReportDeadline",
            migration="0002_deadline_rules",
            function="add_rules",
        )
        register_cli(
            CliCommand(
                "report",
                "年度报告：build 由记录计算报告，check 核对已发布报告，remind 发送期限提醒",
                cli.add_arguments,
                cli.handle,
            )
        )
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.privacy.services import register_rendition_refresh

        register_rendition_refresh("reporting.report", services.report_public_refresh)
        register_job(services.PUBLISH_JOB, services.publish_job, time_limit=30 * 60)
        register_job(services.FILES_JOB, services.files_job, time_limit=30 * 60)
        register_periodic(
            PeriodicWork(
                "report.remind",
                "年度报告发布提醒",
                lambda now: services.report_reminders_send(today=local_date(now)),
                at=(8, 10),
            )
        )
        register_workqueue(workqueue.report_sections)
        register_portal_home_section(70, home.home_section)
        register_portal_nav(NavEntry(60, "年度报告", "reporting:index"))
        register_backoffice_nav(NavEntry(60, "年度报告", "reporting:bo_list", can_use_backoffice))
        register_backoffice_nav(NavEntry(61, "年报督查", "reporting:dashboard", can_see_dashboard))
