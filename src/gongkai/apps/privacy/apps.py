from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gongkai.apps.privacy"
    label = "privacy"
    verbose_name = "隐私审查"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.apps.privacy import cli  # noqa: F401  (registers its commands)
        from gongkai.apps.privacy.workqueue import privacy_workqueue
        from gongkai.registry import NavEntry, register_backoffice_nav, register_workqueue

        register_workqueue(privacy_workqueue)
        register_backoffice_nav(NavEntry(80, "隐私审查", "privacy:list", is_staff_member))
