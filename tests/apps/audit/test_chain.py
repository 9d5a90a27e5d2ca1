import pytest
from django.db import transaction

from gongkai.apps.audit.models import AuditChainHead, AuditEvent
from gongkai.apps.audit.services import SYSTEM, audit_record, audit_verify


def _record(n: int, agency_id: int | None = None) -> list[AuditEvent]:
    events = []
    with transaction.atomic():
        for i in range(n):
            events.append(
                audit_record(
                    actor=SYSTEM,
                    action="test.step",
                    object_type="t",
                    object_id=str(i),
                    object_label=f"对象{i}",
                    agency_id=agency_id,
                    before={"n": i},
                    after={"n": i + 1},
                )
            )
    return events


@pytest.mark.django_db
def test_a_clean_chain_verifies_and_counts_every_event():
    _record(3)
    _record(2, agency_id=7)
    result = audit_verify()
    assert result.ok
    assert result.checked == 5
    assert "5" in result.message


@pytest.mark.django_db
def test_events_link_to_their_predecessor_per_chain():
    a = _record(2, agency_id=1)
    b = _record(1, agency_id=2)
    assert a[1].prev_hash == a[0].hash
    assert (a[0].seq, a[1].seq, b[0].seq) == (1, 2, 1)
    assert b[0].prev_hash == "0" * 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column,value",
    [("object_label", "篡改"), ("after", '{"n":99}'), ("actor_label", "他人"), ("action", "x")],
)
def test_changing_any_column_with_sql_names_that_event(column, value):
    events = _record(4)
    AuditEvent.objects.filter(pk=events[2].pk).update(**{column: value})
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == events[2].pk
    assert f"#{events[2].pk}" in result.message


@pytest.mark.django_db
def test_deleting_an_event_in_the_middle_is_found():
    events = _record(4)
    AuditEvent.objects.filter(pk=events[1].pk)._raw_delete(AuditEvent.objects.db)
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == events[2].pk


@pytest.mark.django_db
def test_deleting_the_last_event_is_found_through_the_chain_head():
    events = _record(3)
    AuditEvent.objects.filter(pk=events[2].pk)._raw_delete(AuditEvent.objects.db)
    result = audit_verify()
    assert not result.ok
    assert "末尾" in result.message
    assert AuditChainHead.objects.get(chain="system").seq == 3


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = _record(1)[0]
    event.action = "other"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="事务"):
        audit_record(actor=SYSTEM, action="x")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_event():
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=SYSTEM, action="x")
        raise ValueError
    assert AuditEvent.objects.count() == 0
    assert audit_verify().ok


@pytest.mark.django_db
def test_cli_verify_exit_codes(capsys):
    from gongkai.cli import main

    events = _record(2)
    assert main(["audit", "verify"]) == 0
    assert "OK" in capsys.readouterr().out
    AuditEvent.objects.filter(pk=events[0].pk).update(object_label="改")
    assert main(["audit", "verify"]) == 1
    assert f"#{events[0].pk}" in capsys.readouterr().out
