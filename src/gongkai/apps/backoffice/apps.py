from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "gongkai.apps.backoffice"
    label = "backoffice"
    verbose_name = "工作台"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.registry import NavEntry, register_backoffice_nav

        register_backoffice_nav(NavEntry(980, "后台任务", "jobs:list", is_staff_member))
        register_backoffice_nav(NavEntry(990, "审计日志", "audit:list", is_staff_member))
