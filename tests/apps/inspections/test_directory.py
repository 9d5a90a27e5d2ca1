"""一单两库一细则 maintenance: validation, audit, and who may change what."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import InspectionItem, InspectionRuleSet, Inspector
from gongkai.apps.inspections.services import (
    inspector_create,
    item_create,
    item_update,
    ruleset_create,
    ruleset_update,
)
from tests.apps.inspections.factories import make_item, make_ruleset

pytestmark = pytest.mark.django_db


def test_items_are_audited_and_codes_unique(world):
    item = make_item(world.dept_a, code="JT-001")
    assert AuditEvent.objects.filter(
        action="inspection_item.create", object_id=str(item.pk)
    ).exists()
    with pytest.raises(InspectionError, match="已存在"):
        make_item(world.dept_b, code="JT-001")
    item_update(actor=world.officer_a, item=item, name="道路运输经营许可事项检查")
    event = AuditEvent.objects.get(action="inspection_item.update")
    assert "道路运输经营许可事项检查" in event.after
    assert InspectionItem.objects.count() == 1


def test_an_item_needs_a_legal_basis(world):
    with pytest.raises(InspectionError, match="检查依据不能为空"):
        item_create(
            actor=world.officer_a,
            agency=world.dept_a,
            code="X",
            name="x",
            legal_basis=" ",
            object_type="企业",
            ratio_text="5%",
            frequency="每年1次",
            level="general",
        )
    assert not InspectionItem.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ratio_a": "1.5"}, "A类抽查比例应在 0 到 1"),
        ({"ratio_d": "很多"}, "D类抽查比例“很多”不是数字"),
        ({"min_inspectors": 1}, "至少应派两名"),
        ({"valid_to": dt.date(2017, 1, 1)}, "废止日期不能早于施行日期"),
    ],
    ids=["ratio above 1", "not a number", "one inspector", "ends before it starts"],
)
def test_bad_rules_are_refused_and_the_stored_rules_stay(world, changes, message):
    ruleset = make_ruleset()
    with pytest.raises(InspectionError, match=message):
        ruleset_update(actor=world.admin, ruleset=ruleset, **changes)
    ruleset.refresh_from_db()
    assert (ruleset.ratio_a, ruleset.ratio_d, ruleset.min_inspectors, ruleset.valid_to) == (
        "0.05",
        "0.5",
        2,
        None,
    )


def test_percentages_are_stored_as_exact_decimals(world):
    ruleset = ruleset_create(
        actor=world.admin,
        agency=None,
        name="百分数",
        ratio_a="3%",
        ratio_b="5%",
        ratio_c="10%",
        ratio_d="100%",
        standby_ratio="10%",
        valid_from=dt.date(2026, 1, 1),
    )
    assert ruleset.ratios == {"A": "0.03", "B": "0.05", "C": "0.1", "D": "1"}


def test_certificate_numbers_are_unique(world):
    inspector_create(
        actor=world.officer_a,
        agency=world.dept_a,
        name="王五",
        certificate_no="jt0001",
        districts=["东城区"],
    )
    with pytest.raises(InspectionError, match="已登记"):
        inspector_create(
            actor=world.officer_b, agency=world.dept_b, name="赵六", certificate_no="JT0001"
        )
    assert list(Inspector.objects.values_list("certificate_no", "districts")) == [
        ("JT0001", ["东城区"])
    ]


def test_staff_of_another_agency_cannot_edit_items_or_inspectors(client_for, world):
    item = make_item(world.dept_a)
    inspector = inspector_create(
        actor=world.officer_a, agency=world.dept_a, name="王五", certificate_no="JT0001"
    )
    c = client_for(world.officer_b)
    assert (
        c.post(f"/backoffice/inspections/items/{item.pk}/edit/", {"name": "改"}).status_code == 403
    )
    assert c.post(f"/backoffice/inspections/items/{item.pk}/toggle/").status_code == 403
    assert (
        c.post(
            f"/backoffice/inspections/inspectors/{inspector.pk}/edit/", {"name": "改"}
        ).status_code
        == 403
    )
    item.refresh_from_db()
    inspector.refresh_from_db()
    assert (item.name, item.is_active, inspector.name) == ("企业年度报告公示情况检查", True, "王五")


def test_only_administrators_write_city_wide_rules(client_for, world):
    ruleset = make_ruleset()
    data = {
        "name": "改",
        "ratio_a": "0.1",
        "ratio_b": "0.1",
        "ratio_c": "0.1",
        "ratio_d": "0.1",
        "standby_ratio": "0",
        "min_inspectors": 2,
        "results_days": 20,
        "valid_from": "2018-01-01",
    }
    assert (
        client_for(world.head_a)
        .post(f"/backoffice/inspections/rules/{ruleset.pk}/edit/", data)
        .status_code
        == 403
    )
    ruleset.refresh_from_db()
    assert ruleset.name == "测试细则"
    assert (
        client_for(world.admin)
        .post(f"/backoffice/inspections/rules/{ruleset.pk}/edit/", data)
        .status_code
        == 302
    )
    assert InspectionRuleSet.objects.get(pk=ruleset.pk).name == "改"


def test_back_office_forms_render(client_for, world):
    make_item(world.dept_a)
    make_ruleset()
    c = client_for(world.officer_a)
    for url in (
        "/backoffice/inspections/",
        "/backoffice/inspections/tasks/new/",
        "/backoffice/inspections/items/",
        "/backoffice/inspections/items/new/",
        "/backoffice/inspections/entities/",
        "/backoffice/inspections/entities/import/",
        "/backoffice/inspections/inspectors/",
        "/backoffice/inspections/inspectors/new/",
        "/backoffice/inspections/rules/",
        "/backoffice/inspections/rules/new/",
        "/backoffice/inspections/lotteries/",
        "/backoffice/inspections/lotteries/new/",
    ):
        assert c.get(url).status_code == 200, url


def test_the_admin_refuses_a_bad_ratio_too(client_for, world):
    world.admin.is_staff = world.admin.is_superuser = True  # as the demo administrator
    world.admin.save()
    ruleset = make_ruleset()
    data = {
        "name": "改",
        "ratio_a": "三成",
        "ratio_b": "0.1",
        "ratio_c": "0.1",
        "ratio_d": "0.1",
        "standby_ratio": "0",
        "min_inspectors": 2,
        "results_days": 20,
        "valid_from": "2018-01-01",
        "by_industry": "",
        "recuse_same_residence": "on",
        "avoid_repeat_pairs": "on",
    }
    response = client_for(world.admin).post(
        f"/admin/inspections/inspectionruleset/{ruleset.pk}/change/", data
    )
    assert response.status_code == 200 and "不是数字" in response.content.decode()
    ruleset.refresh_from_db()
    assert ruleset.ratio_a == "0.05"
