"""递补: a drawn entity that cannot be inspected is replaced by the next standby of its stratum,
publicly, with a team derived from the draw's own inputs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import DrawDocumentKind, DrawSelection, TaskStatus
from gongkai.apps.inspections.selectors import task_document
from gongkai.apps.inspections.services import (
    conflict_declare,
    draw_execute,
    task_result_record,
    task_results_publish,
    task_substitute,
)
from gongkai.apps.inspections.services.documents import document_load
from gongkai.apps.inspections.services.tasks import results_csv, task_freeze
from gongkai.domain.draws.assignment import InspectorSpec, substitute_team
from tests.apps.inspections.factories import OBSERVED, make_ruleset, make_setup, sources

pytestmark = pytest.mark.django_db

DRAW_DAY = dt.date(2026, 11, 29)


@pytest.fixture
def setup(world):
    return make_setup(world)


@pytest.fixture
def task(setup):
    frozen = task_freeze(
        actor=setup.world.officer_a,
        task=setup.task(ruleset=make_ruleset(name="候补充足的细则", standby_ratio="0.5")),
        sources=sources(DRAW_DAY),
        today=dt.date(2026, 11, 27),
    )
    return draw_execute(actor=setup.world.officer_a, task=frozen, observed=OBSERVED, today=DRAW_DAY)


def _with_standby(task) -> DrawSelection:
    """A selected entity of a stratum that has at least two standby entities."""
    for selection in task.selections.filter(is_standby=False).order_by("draw_order"):
        if task.selections.filter(is_standby=True, stratum=selection.stratum).count() >= 2:
            return selection
    raise AssertionError("the fixture draw has no stratum with two standby entities")


def _standby(task, stratum: str) -> list[DrawSelection]:
    return list(task.selections.filter(is_standby=True, stratum=stratum).order_by("rank"))


def _team(selection) -> list[str]:
    return list(selection.team.order_by("slot").values_list("inspector__certificate_no", flat=True))


def test_the_first_standby_of_the_stratum_takes_the_place_and_the_team(setup, task):
    replaced = _with_standby(task)
    first, second = _standby(task, replaced.stratum)[:2]
    team = _team(replaced)
    order = replaced.draw_order
    substitute = task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    assert substitute.pk == first.pk
    substitute.refresh_from_db()
    replaced.refresh_from_db()
    assert not substitute.is_standby and substitute.draw_order == order
    assert substitute.substitute_for_id == replaced.pk
    assert replaced.is_standby and replaced.draw_order is None
    assert replaced.replaced_reason == "已注销" and replaced.replaced_at is not None
    assert _team(substitute) == team and _team(replaced) == []
    task.refresh_from_db()
    assert task.selections.filter(is_standby=False).count() == task.selected_count
    event = AuditEvent.objects.filter(action="inspection_task.substitute").get()
    assert first.entity.uscc in event.after and replaced.entity.uscc in event.before
    assert "已注销" in event.after
    # the substitute can itself be replaced: the next unused standby follows
    again = task_substitute(actor=setup.world.officer_a, selection=substitute, reason="已迁出")
    assert again.pk == second.pk and again.draw_order == order


def test_a_standby_out_of_step_with_the_record_stops_the_substitution(setup, task):
    replaced = _with_standby(task)
    first = _standby(task, replaced.stratum)[0]
    DrawSelection.objects.filter(pk=first.pk).update(replaced_reason="另有记载")
    with pytest.raises(InspectionError, match="候补名单与抽取记录不一致"):
        task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    replaced.refresh_from_db()
    assert not replaced.is_standby and replaced.replaced_reason == ""


def test_an_inspector_in_conflict_with_the_substitute_leaves_the_team(setup, task):
    replaced = _with_standby(task)
    first = _standby(task, replaced.stratum)[0]
    team = _team(replaced)
    leaving = next(i for i in setup.inspectors if i.certificate_no == team[1])
    conflict_declare(
        actor=setup.world.officer_a, inspector=leaving, uscc=first.entity.uscc, reason="亲属关系"
    )
    substitute = task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    new_team = _team(substitute)
    assert new_team[0] == team[0] and leaving.certificate_no not in new_team
    assert len(new_team) == len(team) and substitute.unfilled == ""
    # anyone holding the commitment and the record recomputes the same team
    commitment = document_load(task_document(task, DrawDocumentKind.COMMITMENT))
    record = document_load(task_document(task, DrawDocumentKind.RECORD))
    loads: dict[str, int] = {}
    for a in record["result"]["assignments"]:
        if a["entity"] != replaced.entity.uscc:
            for cert in a["inspectors"]:
                loads[cert] = loads.get(cert, 0) + 1
    expected = substitute_team(
        bytes.fromhex(record["seed"]),
        [InspectorSpec.from_json(i) for i in commitment["inspectors"]],
        departments=commitment["team"]["departments"],
        size=commitment["team"]["size"],
        entity=(first.entity.uscc, first.entity.district),
        previous=team,
        loads=loads,
        conflicts=[(leaving.certificate_no, first.entity.uscc)],
    )
    assert tuple(new_team) == expected.inspectors


def test_results_and_publication_follow_the_substitute(setup, task, client):
    replaced = _with_standby(task)
    substitute = task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    with pytest.raises(InspectionError, match="候补对象"):
        task_result_record(
            actor=setup.world.officer_a, selection=replaced, result="合格", today=DRAW_DAY
        )
    for s in task.selections.filter(is_standby=False):
        task_result_record(
            actor=setup.world.officer_a, selection=s, result="未发现问题", today=DRAW_DAY
        )
    task = task_results_publish(actor=setup.world.officer_a, task=task)
    assert task.status == TaskStatus.PUBLISHED
    rows = results_csv(task).decode("utf-8-sig").splitlines()
    assert rows[0].endswith(",备注") and len(rows) == task.selected_count + 1
    line = next(r for r in rows if substitute.entity.uscc in r)
    assert f"递补，替代{replaced.entity.name}" in line and "已注销" in line
    with pytest.raises(InspectionError, match="结果尚未公示"):
        task_substitute(actor=setup.world.officer_a, selection=substitute, reason="已注销")
    # the replaced entity's public history says it was drawn, not inspected, and why
    history = client.get(f"/inspections/entities/{replaced.entity.uscc}/").content.decode()
    assert task.number in history and "抽中后未检查，由候补递补" in history and "已注销" in history
    other = task.selections.filter(is_standby=True, replaced_reason="").first()
    if other is not None:  # an unused standby was never drawn: nothing to show
        page = client.get(f"/inspections/entities/{other.entity.uscc}/").content.decode()
        assert task.number not in page


def test_refusals_change_nothing(setup, task):
    replaced = _with_standby(task)
    before = list(task.selections.values_list("pk", "is_standby", "draw_order"))
    with pytest.raises(InspectionError, match="请填写替换原因"):
        task_substitute(actor=setup.world.officer_a, selection=replaced, reason="  ")
    standby = _standby(task, replaced.stratum)[0]
    with pytest.raises(InspectionError, match="无需替换"):
        task_substitute(actor=setup.world.officer_a, selection=standby, reason="已注销")
    checked = task.selections.filter(is_standby=False).exclude(pk=replaced.pk).first()
    task_result_record(
        actor=setup.world.officer_a, selection=checked, result="未发现问题", today=DRAW_DAY
    )
    with pytest.raises(InspectionError, match="已录入检查结果"):
        task_substitute(actor=setup.world.officer_a, selection=checked, reason="已注销")
    assert list(task.selections.values_list("pk", "is_standby", "draw_order")) == before
    assert not AuditEvent.objects.filter(action="inspection_task.substitute").exists()


def test_an_exhausted_standby_list_is_said_plainly(setup, task, client_for):
    officer = client_for(setup.world.officer_a)
    results = f"/backoffice/inspections/tasks/{task.pk}/results/?page="

    def offered(selection) -> bool:
        action = f"/results/{selection.pk}/substitute/"
        pages = range(1, task.selected_count // 20 + 2)
        return any(action in officer.get(f"{results}{n}").content.decode() for n in pages)

    replaced = _with_standby(task)
    assert offered(replaced)
    current = replaced
    for _ in _standby(task, replaced.stratum):
        current = task_substitute(actor=setup.world.officer_a, selection=current, reason="已注销")
    with pytest.raises(InspectionError, match="候补名单已用完"):
        task_substitute(actor=setup.world.officer_a, selection=current, reason="已注销")
    current.refresh_from_db()
    assert not current.is_standby
    assert not offered(current)  # the page no longer offers what would be refused


def test_the_backoffice_form_and_the_public_page(setup, task, client_for, client):
    replaced = _with_standby(task)
    url = f"/backoffice/inspections/tasks/{task.pk}/results/{replaced.pk}/substitute/"
    outsider = client_for(setup.world.officer_b)
    assert outsider.post(url, {"reason": "已注销"}).status_code == 403
    officer = client_for(setup.world.officer_a)
    page = officer.get(f"/backoffice/inspections/tasks/{task.pk}/results/").content.decode()
    assert "由本分层下一位候补递补" in page
    empty = officer.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写替换原因" in empty
    done = officer.post(url, {"reason": "已注销"}, follow=True).content.decode()
    first = DrawSelection.objects.get(substitute_for=replaced)
    assert f"由候补对象{first.entity.name}（分层排序第 {first.rank} 位）递补" in done
    assert "原抽中，已被替换" in done
    public = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "候补递补情况" in public and replaced.entity.name in public and "已注销" in public


def test_the_published_substitutions_recompute_with_the_standalone_verifier(setup, task, client):
    from tests.domain.test_draws_verifier import load_verifier

    replaced = _with_standby(task)
    first = _standby(task, replaced.stratum)[0]
    leaving = next(
        i for i in setup.inspectors if i.certificate_no == _team(replaced)[0]
    )  # declared after the draw: the verifier needs it from the substitutions file
    conflict_declare(
        actor=setup.world.officer_a, inspector=leaving, uscc=first.entity.uscc, reason="同学关系"
    )
    substitute = task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    task_substitute(actor=setup.world.officer_a, selection=substitute, reason="已迁出本辖区")
    record = json.loads(client.get(f"/inspections/tasks/{task.pk}/record.json").content)
    response = client.get(f"/inspections/tasks/{task.pk}/substitutions.json")
    assert response["Content-Disposition"].endswith(f'substitutions-task{task.pk}.json"')
    document = json.loads(response.content)
    assert [s["reason"] for s in document["substitutions"]] == ["已注销", "已迁出本辖区"]
    assert document["substitutions"][0]["conflicts"] == [
        [leaving.certificate_no, first.entity.uscc]
    ]
    verifier = load_verifier()
    assert verifier.verify(record)[0]
    ok, lines = verifier.verify_substitutions(record, document)
    assert ok, lines
    assert sum("检查组复算一致" in line for line in lines) == 2
    document["substitutions"][0]["conflicts"] = []  # hiding the declaration is noticed
    assert not verifier.verify_substitutions(record, document)[0]
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert f"--substitutions substitutions-task{task.pk}.json" in page


def test_online_verification_takes_the_substitutions_file(setup, task, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    replaced = _with_standby(task)
    task_substitute(actor=setup.world.officer_a, selection=replaced, reason="已注销")
    record = client.get(f"/inspections/tasks/{task.pk}/record.json").content
    subs = client.get(f"/inspections/tasks/{task.pk}/substitutions.json").content

    def check(substitutions: bytes) -> str:
        return client.post(
            "/inspections/verify/",
            {
                "record": SimpleUploadedFile("r.json", record),
                "substitutions": SimpleUploadedFile("s.json", substitutions),
            },
        ).content.decode()

    assert "递补 1 次：候补顺序和检查组复算一致" in check(subs)
    document = json.loads(subs)
    document["substitutions"][0]["substitute"] = replaced.entity.uscc
    assert "不一致：第 1 次递补的递补对象" in check(json.dumps(document).encode())
    assert "无法读取递补记录" in check(b"{not json")


def test_the_public_receives_result_notes_and_reasons_only_masked(setup, task):
    """Free text staff type about a draw (结果说明, 被替换原因) reaches the portal, the CSV, the
    API, substitutions.json and the entity pages only in its masked form (ADR 0033)."""
    from django.test import Client

    planted_id, planted_phone = "320102198511124566", "13612345678"
    replaced = _with_standby(task)
    substitute = task_substitute(
        actor=setup.world.officer_a,
        selection=replaced,
        reason=f"经营者孙八（联系电话{planted_phone}）称已歇业",
    )
    note = f"负责人王五（身份证号{planted_id}）拒绝出示台账，已责令整改"
    for s in task.selections.filter(is_standby=False):
        task_result_record(
            actor=setup.world.officer_a,
            selection=s,
            result="发现问题已责令整改" if s.pk == substitute.pk else "未发现问题",
            note=note if s.pk == substitute.pk else "",
            today=DRAW_DAY,
        )
    task = task_results_publish(actor=setup.world.officer_a, task=task)
    anonymous = Client(enforce_csrf_checks=True)
    received = {
        url: anonymous.get(url)
        for url in (
            f"/inspections/tasks/{task.pk}/",
            f"/inspections/tasks/{task.pk}/results.csv",
            f"/inspections/tasks/{task.pk}/substitutions.json",
            f"/api/inspections/tasks/{task.pk}/results",
            f"/inspections/entities/{substitute.entity.uscc}/",
            f"/inspections/entities/{replaced.entity.uscc}/",
        )
    }
    for url, response in received.items():
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        if "json" in response["Content-Type"]:  # the values, not their \u escapes
            text = json.dumps(json.loads(text), ensure_ascii=False)
        for value in (planted_id, planted_phone, "王五", "孙八"):
            assert value not in text, (url, value)
    page = received[f"/inspections/tasks/{task.pk}/"].content.decode()
    assert "负责人王*（身份证号320102********4566）拒绝出示台账" in page
    assert "经营者孙*（联系电话136****5678）称已歇业" in page
    csv_text = received[f"/inspections/tasks/{task.pk}/results.csv"].content.decode("utf-8-sig")
    assert "320102********4566" in csv_text and "136****5678" in csv_text
    # the back office keeps what the inspector wrote
    substitute.refresh_from_db()
    replaced.refresh_from_db()
    assert substitute.result_note == note and planted_phone in replaced.replaced_reason
