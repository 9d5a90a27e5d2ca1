from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.organizations.models import PortalSettings
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.portal import PortalAction


def load_site(world) -> None:
    if PortalSettings.objects.exists():
        return
    settings = PortalSettings.objects.create(
        site_name="示例市人民政府",
        site_domain="www.example.gov.cn",
        site_id_code="1399000001",
        sponsor="示例市人民政府办公室",
        operator="示例市电子政务中心",
        icp="示ICP备00000000号-1",
        contact="示例市人民路1号 · 电话 0399-8000131",
    )
    audit_record(
        actor=world.actor,
        action=PortalAction.SETTINGS_CREATE,
        obj=settings,
        after=snapshot(settings, ["site_name", "site_domain", "site_id_code", "sponsor"]),
    )


register_demo_step(DemoStep(5, "网站设置", load_site))
