from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "gongkai.apps.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from gongkai.apps.jobs import cli

        cli.register()
