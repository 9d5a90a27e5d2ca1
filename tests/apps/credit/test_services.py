"""Entering, publishing, correcting, expiring and repairing records; all audited."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import CreditRecord
from gongkai.apps.credit.services import (
    CREDIT_DUES,
    record_publish,
    record_repair,
    record_revoke,
    record_save,
    records_expire,
)
from gongkai.domain.credit import CreditState
from gongkai.registry import due_sources, periodic_work
from tests.apps.credit.factories import penalty_row, person_id, person_row

pytestmark = pytest.mark.django_db


def save(world, row, **kw):
    kw.setdefault("channel", "form")
    return record_save(
        actor=world.officer_a,
        agency=world.dept_a,
        kind=kw.pop("kind", "penalty"),
        raw=row,
        now=kw.pop("now", clock.now()),
        **kw,
    )


def test_registered_as_due_source_and_periodic_work():
    assert due_sources["credit"] is CREDIT_DUES
    assert "credit.expire" in periodic_work


def test_a_penalty_is_published_with_its_deadline_and_period(world):
    saved = save(world, penalty_row(world.dept_a))
    assert saved.outcome == "created", saved.problems
    r = saved.record
    assert r.state == CreditState.PUBLISHED and r.published_at is not None
    assert r.authority_uscc == world.dept_a.uscc  # the agency's own code filled in
    assert r.due_date is not None and r.due_date > dt.date(2026, 11, 20)
    assert r.public_until == dt.date(2027, 11, 19)  # 2026 regime, 一般: one year
    assert r.repair_from == dt.date(2027, 2, 20)
    actions = set(
        AuditEvent.objects.filter(object_id=str(r.pk), action__startswith="credit.").values_list(
            "action", flat=True
        )
    )
    assert actions == {"credit.record", "credit.publish"}


def test_same_row_twice_changes_nothing_and_a_change_is_a_correction(world):
    first = save(world, penalty_row(world.dept_a)).record
    again = save(world, penalty_row(world.dept_a))
    assert again.outcome == "unchanged" and again.record.pk == first.pk
    corrected = save(world, penalty_row(world.dept_a, content="罚款0.6万元", fine_wan="0.6"))
    assert corrected.outcome == "corrected"
    first.refresh_from_db()
    assert first.state == CreditState.SUPERSEDED and corrected.record.replaces_id == first.pk
    assert CreditRecord.objects.exclude(state="superseded").count() == 1


def test_bad_values_are_refused_with_the_field_and_nothing_is_stored(world):
    saved = save(world, penalty_row(world.dept_a, uscc="91350200M000000510"))
    assert saved.outcome == "refused"
    assert any(p.field == "统一社会信用代码" and "校验码" in p.message for p in saved.problems)
    assert not CreditRecord.objects.exists()


def test_another_agencys_code_or_staff_is_refused(world):
    saved = save(world, penalty_row(world.dept_a, authority_uscc=world.dept_b.uscc))
    assert saved.outcome == "refused"
    with pytest.raises(CreditError):
        record_save(
            actor=world.officer_b,
            agency=world.dept_a,
            kind="penalty",
            raw=penalty_row(world.dept_a),
            channel="form",
            now=clock.now(),
        )


def test_minor_is_withheld_and_masked(world):
    saved = save(world, person_row(world.dept_a, id_number=person_id("20100101")))
    r = saved.record
    assert r.minor and r.state == CreditState.WITHHELD
    adult = save(world, person_row(world.dept_a, n=2)).record
    assert adult.state == CreditState.PUBLISHED
    assert adult.public_name == "张*丰" and adult.public_id_number.count("*") == 8


def test_minor_2026_penalty_not_published(world):
    r = save(world, penalty_row(world.dept_a, severity="轻微")).record
    assert r.state == CreditState.WITHHELD and "不予公示" in r.withdraw_reason


def test_draft_then_publish(world):
    r = save(world, penalty_row(world.dept_a), publish=False).record
    assert r.state == CreditState.DRAFT
    r = record_publish(actor=world.officer_a, record=r, now=clock.now())
    assert r.state == CreditState.PUBLISHED


def test_expiry_withdraws_and_audits(world, clock_at):
    r = save(world, penalty_row(world.dept_a)).record
    assert records_expire(now=clock_at(dt.date(2027, 11, 19))) == 0
    assert records_expire(now=clock_at(dt.date(2027, 11, 20))) == 1
    r.refresh_from_db()
    assert r.state == CreditState.EXPIRED
    event = AuditEvent.objects.get(object_id=str(r.pk), action="credit.expire")
    assert event.actor_id is None


def test_repair_only_after_minimum_and_with_reason(world, clock_at):
    r = save(world, penalty_row(world.dept_a)).record
    with pytest.raises(CreditError, match="最短公示期未满"):
        record_repair(actor=world.officer_a, record=r, reason="已整改", now=clock.now())
    now = clock_at(dt.date(2027, 2, 20))
    with pytest.raises(CreditError, match="理由"):
        record_repair(actor=world.officer_a, record=r, reason=" ", now=now)
    with pytest.raises(CreditError):
        record_repair(actor=world.officer_b, record=r, reason="已整改", now=now)
    r = record_repair(actor=world.officer_a, record=r, reason="已整改并履行", now=now)
    assert r.state == CreditState.REPAIRED and r.withdraw_reason == "已整改并履行"
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="credit.repair").exists()


def test_revoke_takes_down(world):
    r = save(world, penalty_row(world.dept_a)).record
    r = record_revoke(actor=world.officer_a, record=r, reason="复议撤销", now=clock.now())
    assert r.state == CreditState.REVOKED
