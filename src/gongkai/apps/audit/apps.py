from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.apps.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai import clock
        from gongkai.apps.audit import cli
        from gongkai.apps.audit.services import audit_heads_publish
        from gongkai.registry import PeriodicWork, register_periodic

        cli.register()
        # the day's chain heads, published shortly after midnight (ADR 0083)
        register_periodic(
            PeriodicWork(
                "audit.publish_heads",
                "公布审计链链头",
                lambda now: audit_heads_publish(on=clock.local_date(now), now=now),
                at=(0, 10),
            )
        )
