from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.apps.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts import cli, signals  # noqa: F401
        from gongkai.registry import PeriodicWork, register_periodic

        cli.register()
        register_periodic(
            PeriodicWork("sessions.cleanup", "清理过期会话", _clear_sessions, at=(3, 30))
        )


def _clear_sessions(now) -> None:
    from django.contrib.sessions.models import Session

    # the database session store's expiry, as `clearsessions` does it, with the platform clock
    Session.objects.filter(expire_date__lt=now).delete()
