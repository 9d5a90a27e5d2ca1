import pytest
from django.core.exceptions import ValidationError

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.apps.organizations.selectors import (
    agency_descendant_ids,
    agency_get,
    agency_own_departments,
)
from gongkai.apps.organizations.services import agency_create, agency_update
from gongkai.domain.codes import make_uscc

BASE = dict(
    kind=AgencyKind.DEPARTMENT,
    level=AgencyLevel.CITY,
    office_name="办公室",
    office_address="人民路1号",
    office_hours="工作日",
    office_phone="0399-1",
)


@pytest.mark.django_db
def test_create_normalises_codes_and_audits():
    uscc = make_uscc("1", "1", "139900", "12345678")
    agency = agency_create(
        actor=SYSTEM, code="x", name="某局", uscc=uscc.lower(), org_code="", **BASE
    )
    assert agency.uscc == uscc
    assert agency.org_code == f"{uscc[8:16]}-{uscc[16]}"
    event = AuditEvent.objects.get(action="agency.create")
    assert event.agency_id == agency.pk and "某局" in event.after


@pytest.mark.django_db
def test_bad_uscc_is_refused_in_chinese_and_nothing_is_stored():
    with pytest.raises(ValidationError) as info:
        agency_create(
            actor=SYSTEM, code="x", name="某局", uscc="91350200M000000510", org_code="", **BASE
        )
    assert "校验码错误" in str(info.value.message_dict["uscc"])
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_org_code_must_agree_with_uscc():
    uscc = make_uscc("1", "1", "139900", "12345678")
    with pytest.raises(ValidationError) as info:
        agency_create(actor=SYSTEM, code="x", name="某局", uscc=uscc, org_code="00001434-9", **BASE)
    assert "不一致" in str(info.value)


@pytest.mark.django_db
def test_update_records_only_the_changed_fields(world):
    agency_update(actor=world.admin, agency=world.dept_a, office_phone="0399-12345678")
    event = AuditEvent.objects.filter(action="agency.update").get()
    assert "office_phone" in event.after and "name" not in event.after
    # a no-op update writes nothing
    agency_update(actor=world.admin, agency=world.dept_a, office_phone="0399-12345678")
    assert AuditEvent.objects.filter(action="agency.update").count() == 1


@pytest.mark.django_db
def test_lookup_by_code_name_or_short_name(world):
    assert agency_get("depta") == world.dept_a
    assert agency_get("测试市交通运输局") == world.dept_a
    assert agency_get("市交通局") == world.dept_a
    with pytest.raises(LookupError, match="找不到"):
        agency_get("不存在")


@pytest.mark.django_db
def test_tree_helpers(world):
    assert set(agency_descendant_ids(world.city)) == {
        world.city.pk,
        world.dept_a.pk,
        world.dept_b.pk,
        world.county.pk,
    }
    assert agency_own_departments(world.city) == [world.city, world.dept_a, world.dept_b]


@pytest.mark.django_db
def test_guide_page_shows_the_article_12_fields(client, world):
    response = client.get(f"/agencies/{world.dept_a.code}/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    for value in (
        world.dept_a.office_name,
        world.dept_a.office_address,
        world.dept_a.office_hours,
        world.dept_a.office_phone,
        world.dept_a.uscc,
        "20个工作日",
        "第三十一条",
    ):
        assert value in html
    assert client.get("/agencies/nope/guide/").status_code == 404


@pytest.mark.django_db
def test_agency_list_lists_every_active_agency(client, world):
    html = client.get("/agencies/").content.decode()
    assert all(a.name in html for a in (world.city, world.dept_a, world.dept_b, world.county))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("applicant", 403),
        ("officer_a", 403),
        ("head_a", 200),
        ("head_b", 403),
        ("admin", 200),
    ],
)
def test_guide_edit_permission_matrix(world, client_for, who, status):
    user = getattr(world, who) if who else None
    assert client_for(user).get(f"/backoffice/agency/{world.dept_a.code}/").status_code == status


@pytest.mark.django_db
def test_head_updates_guide_fields_with_validation_and_audit(world, client_for):
    client = client_for(world.head_a)
    data = {
        f: getattr(world.dept_a, f)
        for f in ("office_name", "office_address", "office_hours", "office_phone", "office_email")
    }
    response = client.post("/backoffice/agency/", {**data, "office_postcode": "12ab"})
    assert "邮政编码应为6位数字" in response.content.decode()
    world.dept_a.refresh_from_db()
    assert world.dept_a.office_postcode == ""
    response = client.post(
        "/backoffice/agency/", {**data, "office_postcode": "139900", "office_hours": "周一至周五"}
    )
    assert response.status_code == 302
    world.dept_a.refresh_from_db()
    assert world.dept_a.office_hours == "周一至周五"
    assert AuditEvent.objects.filter(action="agency.update", actor_id=world.head_a.pk).exists()
    assert (
        "周一至周五"
        in client_for(None).get(f"/agencies/{world.dept_a.code}/guide/").content.decode()
    )


@pytest.mark.django_db
def test_other_agency_head_cannot_post(world, client_for):
    response = client_for(world.head_b).post(
        f"/backoffice/agency/{world.dept_a.code}/", {"office_hours": "x"}
    )
    assert response.status_code == 403
    world.dept_a.refresh_from_db()
    assert world.dept_a.office_hours != "x"


@pytest.mark.django_db
def test_the_admin_form_checks_the_agency_codes(rf):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from gongkai.apps.accounts.models import User

    agency = agency_create(actor=SYSTEM, code="x", name="某局", uscc="", org_code="", **BASE)
    request = rf.post("/")
    request.user = User(username="root", is_active=True, is_staff=True, is_superuser=True)
    form_class = admin.site._registry[Agency].get_form(request, agency, change=True)
    data = {k: v for k, v in model_to_dict(agency).items() if v is not None}
    form = form_class({**data, "uscc": "12345"}, instance=agency)
    assert not form.is_valid()
    assert list(form.errors) == ["uscc"]
    form = form_class({**data, "uscc": make_uscc("1", "1", "139900", "12345678")}, instance=agency)
    assert form.is_valid(), form.errors
