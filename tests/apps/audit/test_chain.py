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
    assert result.message == "OK：已校验 2 条链、5 条审计事件，哈希链完整"


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
    assert [p.event_id for p in result.problems] == [events[2].pk, events[2].pk]
    assert [p.message for p in result.problems] == [
        f"链 system 第 3 条（事件 #{events[2].pk}）的内容与其 SHA-256 哈希不符：已被改动",
        f"链 system 第 3 条（事件 #{events[2].pk}）的内容与其 SM3 哈希不符：已被改动",
    ]


@pytest.mark.django_db
def test_deleting_an_event_in_the_middle_is_found():
    events = _record(4)
    AuditEvent.objects.filter(pk=events[1].pk)._raw_delete(AuditEvent.objects.db)
    result = audit_verify()
    assert [(p.event_id, p.message) for p in result.problems] == [
        (events[2].pk, "链 system 缺少第 2 条事件：已被删除")
    ]


@pytest.mark.django_db
def test_deleting_the_last_event_is_found_through_the_chain_head():
    events = _record(3)
    AuditEvent.objects.filter(pk=events[2].pk)._raw_delete(AuditEvent.objects.db)
    result = audit_verify()
    assert [p.message for p in result.problems] == [
        "链 system 末尾缺少第 3 条事件（链头记录为第 3 条）：已被删除"
    ]
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
    out = capsys.readouterr().out
    assert f"✗ 链 system 第 1 条（事件 #{events[0].pk}）的内容与其 SHA-256 哈希不符" in out
    # the second event still links to the first as stored: only the changed one is named
    assert f"#{events[1].pk}" not in out


def _raw_delete(queryset) -> None:
    queryset._raw_delete(queryset.db)


@pytest.mark.django_db
def test_every_break_is_reported_not_only_the_first():
    events = _record(6)
    AuditEvent.objects.filter(pk=events[1].pk).update(object_label="改")
    _raw_delete(AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]))
    messages = [p.message for p in audit_verify().problems]
    assert messages == [
        f"链 system 第 2 条（事件 #{events[1].pk}）的内容与其 SHA-256 哈希不符：已被改动",
        f"链 system 第 2 条（事件 #{events[1].pk}）的内容与其 SM3 哈希不符：已被改动",
        "链 system 缺少第 4–5 条（共 2 条）事件：已被删除",
    ]


@pytest.mark.django_db
def test_a_deleted_agency_chain_and_its_head_are_reported(world):
    from gongkai.apps.organizations.selectors import agency_audit_chains

    expected = agency_audit_chains()
    assert audit_verify(expected=expected).ok  # every agency's chain was opened with it
    chain = f"agency:{world.dept_b.pk}"
    _raw_delete(AuditEvent.objects.filter(chain=chain))
    AuditChainHead.objects.filter(chain=chain).delete()
    result = audit_verify(expected=expected)
    assert [p.message for p in result.problems] == [
        f"机关“{world.dept_b.name}”（#{world.dept_b.pk}）的审计链不存在：其全部事件和链头已被删除"
    ]


@pytest.mark.django_db
def test_a_truncated_tail_with_a_fixed_head_is_found_through_published_heads(clock_at):
    import datetime as dt

    from gongkai import clock
    from gongkai.apps.audit.services import audit_heads_publish

    events = _record(5, agency_id=9)
    audit_heads_publish(on=clock.today(), now=clock.now())
    _record(1, agency_id=9)
    # cut the last three events off and make the head point at the new last one
    _raw_delete(AuditEvent.objects.filter(chain="agency:9", seq__gte=4))
    AuditChainHead.objects.filter(chain="agency:9").update(seq=3, hash=events[2].hash)
    messages = [p.message for p in audit_verify().problems]
    day = clock.today().isoformat()
    assert messages == [
        f"链 agency:9 于 {day} 公布的链头为第 5 条，现仅存 3 条：第 4–5 条（共 2 条）已被删除"
    ]
    clock_at(clock.now() + dt.timedelta(days=1))
    assert audit_heads_publish(on=clock.today(), now=clock.now()).heads["agency:9"]["seq"] == 3


@pytest.mark.django_db
def test_rewriting_a_chain_after_publication_is_found():
    from gongkai import clock
    from gongkai.apps.audit.hashing import GENESIS, event_digest, event_digest_sm3
    from gongkai.apps.audit.services import audit_heads_publish

    events = _record(2)
    audit_heads_publish(on=clock.today(), now=clock.now())
    # a forger rewrites the last event and recomputes its hashes and the head
    row = AuditEvent.objects.filter(pk=events[1].pk).values().get()
    row["object_label"] = "伪造"
    digest = event_digest(row, row["prev_hash"])
    sm3 = event_digest_sm3(row, events[0].hash_sm3 or GENESIS)
    AuditEvent.objects.filter(pk=events[1].pk).update(
        object_label="伪造", hash=digest, hash_sm3=sm3
    )
    AuditChainHead.objects.filter(chain="system").update(hash=digest, hash_sm3=sm3)
    messages = [p.message for p in audit_verify().problems]
    assert (
        f"链 system 第 2 条（事件 #{events[1].pk}）与 {clock.today().isoformat()} 公布的链头不符："
        "公布后被改写"
    ) in messages


@pytest.mark.django_db
def test_published_heads_saved_elsewhere_are_checked_too(tmp_path, capsys):
    import json

    from gongkai.cli import main

    events = _record(3)
    saved = tmp_path / "heads.json"
    saved.write_text(
        json.dumps({"on": "2026-11-01", "heads": {"system": {"seq": 3, "sha256": events[2].hash}}})
    )
    _raw_delete(AuditEvent.objects.filter(pk=events[2].pk))
    AuditChainHead.objects.filter(chain="system").update(seq=2, hash=events[1].hash)
    assert main(["audit", "verify"]) == 0  # nothing stored here shows the cut
    assert main(["audit", "verify", "--published", str(saved)]) == 1
    assert (
        "于 2026-11-01 公布的链头为第 3 条，现仅存 2 条：第 3 条已被删除" in capsys.readouterr().out
    )


@pytest.mark.django_db
def test_the_sm3_chain_stands_beside_sha256():
    from gongkai.domain.sm3 import sm3_hex

    events = _record(2)
    assert all(len(e.hash_sm3) == 64 and e.hash_sm3 != e.hash for e in events)
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@pytest.mark.django_db
def test_the_public_page_publishes_heads_anyone_can_verify_against(client, world, tmp_path, capsys):
    from gongkai import clock
    from gongkai.apps.audit.services import audit_heads_publish
    from gongkai.cli import main

    assert main(["audit", "publish"]) == 0
    assert "公布" in capsys.readouterr().out
    page = client.get("/audit/heads/").content.decode()
    publication = audit_heads_publish(on=clock.today(), now=clock.now())  # same day: the same
    assert publication.digest in page and publication.digest_sm3 in page
    saved = tmp_path / "heads.json"
    saved.write_bytes(client.get("/audit/heads.json").content)
    chain = f"agency:{world.dept_a.pk}"
    head = AuditChainHead.objects.get(chain=chain)
    _raw_delete(AuditEvent.objects.filter(chain=chain, seq=head.seq))
    AuditChainHead.objects.filter(chain=chain).update(seq=head.seq - 1)
    publication.delete()  # even with the stored publication gone, the saved copy tells
    assert main(["audit", "verify", "--published", str(saved)]) == 1
    assert f"链 {chain} 于 {clock.today().isoformat()} 公布的链头为第 {head.seq} 条" in (
        capsys.readouterr().out
    )
