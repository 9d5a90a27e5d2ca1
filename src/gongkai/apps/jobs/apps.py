from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "gongkai.apps.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        import datetime as dt

        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.jobs import checks, cli  # noqa: F401  (checks register themselves)
        from gongkai.apps.jobs.services import jobs_sweep, worker_heartbeat
        from gongkai.registry import PeriodicWork, register_periodic

        cli.register()
        register_periodic(
            PeriodicWork(
                "jobs.sweep",
                "补发未入队的任务、结束超时任务",
                lambda now: jobs_sweep(now=now),
                every=dt.timedelta(minutes=1),
            )
        )
        register_periodic(
            PeriodicWork(
                "jobs.heartbeat",
                "后台任务进程心跳",
                lambda now: worker_heartbeat(now=now),
                every=dt.timedelta(seconds=30),
            )
        )
