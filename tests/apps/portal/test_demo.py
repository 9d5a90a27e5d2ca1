import pytest

from gongkai.apps.accounts.models import User
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import audit_verify
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.demo.world import demo_load
from gongkai.domain.codes import is_valid_uscc


@pytest.mark.django_db
def test_demo_city_shape_and_idempotence():
    first = demo_load(only=["网站设置", "机关名录", "工作人员和申请人账户"])
    assert first == ["网站设置", "机关名录", "工作人员和申请人账户"]
    counts = (Agency.objects.count(), User.objects.count(), AuditEvent.objects.count())
    city_departments = Agency.objects.filter(
        level=AgencyLevel.CITY, kind=AgencyKind.DEPARTMENT
    ).count()
    counties = Agency.objects.filter(level=AgencyLevel.COUNTY, kind=AgencyKind.GOVERNMENT).count()
    assert city_departments >= 30 and counties >= 20
    assert all(is_valid_uscc(code) for code in Agency.objects.values_list("uscc", flat=True))
    for name in (
        "示例市交通运输局",
        "示例市行政审批局",
        "示例市环境保护局",
        "示例市农业畜牧局",
        "示例市人民政府国有资产监督管理委员会",
    ):
        assert Agency.objects.filter(name=name).exists()
    assert demo_load(only=["网站设置", "机关名录", "工作人员和申请人账户"]) == []
    assert (Agency.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts
    assert audit_verify().ok


@pytest.mark.django_db
def test_demo_logins_work(client):
    demo_load(only=["网站设置", "机关名录", "工作人员和申请人账户"])
    response = client.post("/accounts/login/", {"username": "jtj_zy", "password": "gongkai-demo"})
    assert response.status_code == 302
    page = client.get("/backoffice/")
    assert page.status_code == 200
    assert "示例市交通运输局" in page.content.decode()
