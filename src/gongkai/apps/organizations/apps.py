from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "gongkai.apps.organizations"
    label = "organizations"
    verbose_name = "机关"

    def ready(self) -> None:
        from gongkai.apps.organizations import demo  # noqa: F401  (registers the demo step)
