from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.apps.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from gongkai.apps.audit import cli

        cli.register()
