from django.apps import AppConfig


class WebcheckConfig(AppConfig):
    name = "gongkai.apps.webcheck"
    label = "webcheck"
    verbose_name = "政府网站与政务新媒体检查"

    def ready(self) -> None:
        import datetime as dt

        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.apps.webcheck import cli
        from gongkai.apps.webcheck.media import check_due_accounts
        from gongkai.apps.webcheck.services import (
            RECTIFY_DUES,
            probe_all_sites,
            run_check_job,
        )
        from gongkai.apps.webcheck.workqueue import webcheck_workqueue
        from gongkai.registry import (
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_due_source,
            register_job,
            register_periodic,
            register_workqueue,
        )

        cli.register()
        register_job("webcheck.check", run_check_job, time_limit=6 * 3600, retries=3)
        register_periodic(
            PeriodicWork(
                "webcheck.probe",
                "政府网站可用性监测",
                lambda now: probe_all_sites(now=now),
                every=dt.timedelta(minutes=30),
            )
        )
        register_periodic(
            PeriodicWork(
                "webcheck.media",
                "政务新媒体半月检查",
                lambda now: check_due_accounts(now=now),
                every=dt.timedelta(days=1),
            )
        )
        register_due_source(RECTIFY_DUES)
        register_workqueue(webcheck_workqueue)
        register_backoffice_nav(NavEntry(65, "网站检查", "webcheck:dashboard", is_staff_member))
