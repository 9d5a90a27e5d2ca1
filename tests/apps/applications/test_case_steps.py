"""A row per case step (ADR 0170): each 征求意见, 补正, 延期, 收费 … is its own CaseStep."""

import datetime as dt

import pytest

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import CaseStep
from gongkai.apps.applications.selectors import application_report_facts
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db

NOV2 = dt.date(2026, 11, 2)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


@pytest.fixture
def case(world):
    app = register(world, channel="in_person", submitted_on=NOV2)
    return svc.application_accept(actor=world.officer_a, application=app, on=d(11, 3))


def consult(world, app, party, start, end, outcome):
    app = svc.application_consult_start(
        actor=world.officer_a,
        application=app,
        kind="third_party",
        party=party,
        matters="投标文件中的报价明细",
        on=start,
    )
    return svc.application_consult_end(
        actor=world.officer_a, application=app, outcome=outcome, on=end
    )


def test_a_second_consultation_does_not_overwrite_the_first(world, case, client_for):
    app = consult(world, case, "甲建设有限公司", d(11, 4), d(11, 6), "object")
    app = consult(world, app, "乙设计研究院", d(11, 9), d(11, 11), "agree")
    steps = list(CaseStep.objects.filter(application=app, kind="consultation"))
    assert [(s.party, s.started_on, s.ended_on, s.outcome) for s in steps] == [
        ("甲建设有限公司", d(11, 4), d(11, 6), "object"),
        ("乙设计研究院", d(11, 9), d(11, 11), "agree"),
    ]
    assert all(s.letter is not None and s.letter.addressee == s.party for s in steps)
    assert steps[0].letter != steps[1].letter
    # the header reads the current (latest) one
    assert app.consult_party == "乙设计研究院"

    page = client_for(world.officer_a).get(f"/backoffice/applications/{app.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="h-steps"') :]
    assert "甲建设有限公司" in section and "乙设计研究院" in section
    assert "不同意公开" in section and "同意公开" in section


def test_each_step_keeps_its_dates_letter_and_actor(world, case):
    app = svc.application_correction_request(
        actor=world.officer_a, application=case, items="请写明文件名称", on=d(11, 4)
    )
    app = svc.application_correction_receive(
        actor=world.officer_a, application=app, note="文件名称为《示例》", on=d(11, 6)
    )
    step = CaseStep.objects.get(application=app, kind="correction")
    assert (step.started_on, step.ended_on, step.actor) == (d(11, 4), d(11, 6), world.officer_a)
    assert step.until is not None and step.until > d(11, 4)
    assert step.letter.kind == "correction"
    assert "请写明文件名称" in step.details["items"] and "《示例》" in step.details["items"]
    assert (app.correction_sent_on, app.correction_received_on) == (d(11, 4), d(11, 6))


def test_fee_step_feeds_the_annual_report(world, case):
    app = svc.application_fee_notice(
        actor=world.officer_a, application=case, method="per_page", units=150, on=d(11, 5)
    )
    fee = CaseStep.objects.get(application=app, kind="fee")
    assert fee.details["amount"] == app.fee_amount > 0 and fee.ended_on is None
    facts = application_report_facts(agency_ids=[app.agency_id], year=2026)
    assert [f.fee_yuan for f in facts if f.ref == app.number] == [0]  # not paid yet
    svc.application_fee_paid(actor=world.officer_a, application=app, on=d(11, 10))
    facts = application_report_facts(agency_ids=[app.agency_id], year=2026)
    assert [f.fee_yuan for f in facts if f.ref == app.number] == [fee.details["amount"]]


def test_the_migration_makes_steps_from_the_old_columns():
    """0012 turns one case's per-step columns into steps, linked to the letters issued."""
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("gongkai.apps.applications.migrations.0012_case_steps")
    old = SimpleNamespace(
        received_on=d(11, 2),
        state="replied",
        state_changed_at=dt.datetime(2026, 12, 1, 9, 0),
        correction_sent_on=d(11, 4),
        correction_until=d(11, 25),
        correction_received_on=d(11, 6),
        correction_items="请写明文件名称",
        extension_status="approved",
        extension_days=15,
        extension_reason="信息量大",
        extension_requested_by_id=7,
        extension_decided_by_id=8,
        extension_decided_on=d(11, 20),
        consult_started_on=d(11, 9),
        consult_kind="third_party",
        consult_party="甲建设有限公司",
        fee_noticed_on=None,
        reasons_requested_on=None,
        deferred_until=None,
        draft_decision="public.granted",
        draft_text="",
        draft_by_id=7,
        decision="public.granted",
        closed_on=d(12, 1),
    )
    letters = {"correction": 11, "extension": 12, "consultation": 15, "reply": 14}
    clock = [
        ("pause_start", d(11, 5), "other_agency"),
        ("pause_end", d(11, 6), "other_agency"),
        ("pause_start", d(11, 9), "third_party"),
        ("pause_end", d(11, 13), "third_party"),
    ]
    consult_letters = [(13, "市规划局"), (15, "甲建设有限公司")]
    rows = migration.steps_of(old, letters, clock, consult_letters)
    # the columns kept only the second consultation; the clock and the letters keep both
    consultations = [
        (r["party"], r["started_on"], r["ended_on"], r["letter_id"], r["details"]["consult_kind"])
        for r in rows
        if r["kind"] == "consultation"
    ]
    assert consultations == [
        ("市规划局", d(11, 5), d(11, 6), 13, "other_agency"),
        ("甲建设有限公司", d(11, 9), d(11, 13), 15, "third_party"),
    ]
    steps = {s["kind"]: s for s in rows}
    assert set(steps) == {"correction", "extension", "consultation", "draft"}
    assert steps["correction"] == {
        "kind": "correction",
        "started_on": d(11, 4),
        "until": d(11, 25),
        "ended_on": d(11, 6),
        "details": {"items": "请写明文件名称"},
        "letter_id": 11,
    }
    assert steps["extension"]["outcome"] == "approved"
    assert steps["extension"]["details"]["days"] == 15 and steps["extension"]["actor_id"] == 7
    assert steps["draft"]["letter_id"] == 14 and steps["draft"]["outcome"] == "approved"


def test_the_step_properties_of_a_case_read_its_steps_once(world, case, django_assert_num_queries):
    """A page or letter reading several step values of a case loaded without its steps
    (the applicant's tracking page) costs one query for all of them, not one each."""
    from gongkai.apps.applications.models import Application

    app = svc.application_correction_request(
        actor=world.officer_a, application=case, items="请写明文件名称", on=d(11, 4)
    )
    app = svc.application_correction_receive(
        actor=world.officer_a, application=app, note="文件名称为《示例》", on=d(11, 6)
    )
    svc.application_fee_notice(
        actor=world.officer_a, application=app, method="per_page", units=150, on=d(11, 7)
    )
    fresh = Application.objects.get(pk=app.pk)
    with django_assert_num_queries(1):
        values = (
            fresh.correction_until,
            fresh.correction_items,
            fresh.fee_amount,
            fresh.fee_noticed_on,
            fresh.fee_paid_on,
            fresh.draft_text,
        )
    assert "请写明文件名称" in values[1] and values[2] > 0 and values[3] == d(11, 7)
