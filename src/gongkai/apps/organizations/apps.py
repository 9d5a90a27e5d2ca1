from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "gongkai.apps.organizations"
    label = "organizations"
    verbose_name = "机关"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.models import Role
        from gongkai.apps.accounts.permissions import has_role, is_admin
        from gongkai.apps.organizations.models import Agency
        from gongkai.registry import NavEntry, register_backoffice_nav

        post_save.connect(_open_audit_chain, sender=Agency, dispatch_uid="agency-audit-chain")

        register_backoffice_nav(
            NavEntry(
                960,
                "本机关指南信息",
                "organizations:guide_edit",
                lambda u: is_admin(u) or has_role(u, Role.HEAD),
            )
        )


def _open_audit_chain(sender, instance, created, raw=False, **kwargs) -> None:
    """Every agency has its audit chain from the moment it exists, however it was created
    (service, import, fixture), so that a chain deleted later is noticed (ADR 0083)."""
    if created and not raw:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.audit.services import audit_chain_open

        audit_chain_open(agency_id=instance.pk)
