from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "gongkai.apps.organizations"
    label = "organizations"
    verbose_name = "机关"

    def ready(self) -> None:
        from gongkai.apps.accounts.models import Role
        from gongkai.apps.accounts.permissions import has_role, is_admin
        from gongkai.apps.organizations import demo  # noqa: F401  (registers the demo step)
        from gongkai.registry import NavEntry, register_backoffice_nav

        register_backoffice_nav(
            NavEntry(
                960,
                "本机关指南信息",
                "organizations:guide_edit",
                lambda u: is_admin(u) or has_role(u, Role.HEAD),
            )
        )
