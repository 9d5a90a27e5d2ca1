from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.apps.portal"
    label = "portal"
    verbose_name = "门户网站"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.portal import security  # noqa: F401
