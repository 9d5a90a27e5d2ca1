"""The task flow through services: create, freeze, draw, results, publication, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    DrawDocumentKind,
    DrawSelection,
    InspectionTask,
    InspectorConflict,
    MarketEntity,
    ResultCategory,
    TaskStatus,
    TeamMember,
)
from gongkai.apps.inspections.selectors import task_document
from gongkai.apps.inspections.services import (
    conflict_declare,
    draw_execute,
    task_cancel,
    task_correct,
    task_finish_checks,
    task_result_record,
    task_results_import,
    task_results_publish,
    task_send_reminders,
    task_update,
)
from gongkai.apps.inspections.services.documents import document_load
from gongkai.apps.inspections.services.tasks import task_freeze
from gongkai.apps.notifications.models import Notice
from gongkai.domain.draws.record import verify_record
from tests.apps.inspections.factories import OBSERVED, make_inspectors, make_setup, sources

FREEZE_DAY = dt.date(2026, 11, 27)
DRAW_DAY = dt.date(2026, 11, 29)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    return make_setup(world)


def frozen(setup, **kw):
    task = setup.task(**kw)
    return task_freeze(
        actor=setup.world.officer_a, task=task, sources=sources(DRAW_DAY), today=FREEZE_DAY
    )


def drawn(setup, **kw):
    return draw_execute(
        actor=setup.world.officer_a, task=frozen(setup, **kw), observed=OBSERVED, today=DRAW_DAY
    )


def record_no_problem(setup, selection):
    return task_result_record(
        actor=setup.world.officer_a,
        selection=selection,
        result=ResultCategory.NO_PROBLEM,
        checked_on=dt.date(2026, 11, 10),
        today=DRAW_DAY,
    )


def test_freeze_publishes_a_commitment_of_the_active_population(setup):
    MarketEntity.objects.filter(pk=setup.entities[0].pk).update(status="cancelled")
    task = frozen(setup)
    assert task.status == TaskStatus.FROZEN
    assert task.candidate_count == 119  # the cancelled entity is not a candidate
    doc = task_document(task, DrawDocumentKind.COMMITMENT)
    commitment = document_load(doc)
    assert doc.sha256 == task.commitment_hash
    ids = {i for s in commitment["strata"] for i in s["candidates"]}
    assert setup.entities[0].uscc not in ids and len(ids) == 119
    assert [s["name"] for s in commitment["sources"]] == [
        "双色球第2026138期红球",
        "双色球第2026138期蓝球",
    ]
    assert AuditEvent.objects.filter(
        action="inspection_task.freeze", object_id=str(task.pk)
    ).exists()


def test_freeze_refuses_a_source_that_already_exists(setup):
    task = setup.task()
    with pytest.raises(InspectionError, match="公布日期已过"):
        task_freeze(
            actor=setup.world.officer_a,
            task=task,
            sources=sources(dt.date(2026, 11, 26)),
            today=FREEZE_DAY,
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and not task.commitment_hash
    assert not task.documents.exists()


def test_draw_before_the_source_is_published_is_refused(setup):
    task = frozen(setup)
    with pytest.raises(InspectionError, match="现在还不能抽取"):
        draw_execute(actor=setup.world.officer_a, task=task, observed=OBSERVED, today=FREEZE_DAY)
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN and not task.selections.exists()


def test_wrong_source_values_are_refused_and_nothing_is_drawn(setup):
    task = frozen(setup)
    with pytest.raises(InspectionError, match="应有 6 个数值"):
        draw_execute(
            actor=setup.world.officer_a, task=task, observed=["3 9 16", "7"], today=DRAW_DAY
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN and not task.selections.exists()
    assert task_document(task, DrawDocumentKind.RECORD) is None


def test_draw_stores_the_record_selection_and_teams(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = drawn(setup)
    assert task.status == TaskStatus.DRAWN
    record = document_load(task_document(task, DrawDocumentKind.RECORD))
    assert verify_record(record, expected_commitment_hash=task.commitment_hash).ok
    assert record["record_hash"] == task.record_hash
    selected = [i for s in record["result"]["strata"] for i, _t in s["selected"]]
    stored = list(
        task.selections.filter(is_standby=False)
        .order_by("draw_order")
        .values_list("entity__uscc", flat=True)
    )
    assert sorted(stored) == sorted(selected) and len(stored) == task.selected_count
    assert stored == [a["entity"] for a in record["result"]["assignments"]]
    for selection in task.selections.filter(is_standby=False):
        assert selection.team.count() >= 2
    assert task.due_date is not None and task.due_date > task.check_end
    assert Notice.objects.filter(user=setup.world.officer_a, kind="inspections").exists()


def test_results_deadline_counts_twenty_working_days_from_the_end_of_checks(setup):
    task = drawn(setup)
    # checks end Friday 2026-11-20; 20 working days (no holidays in between) → Friday 2026-12-18
    assert task.due_date == dt.date(2026, 12, 18)
    task = task_finish_checks(
        actor=setup.world.officer_a, task=task, finished_on=dt.date(2026, 11, 25), today=DRAW_DAY
    )
    assert task.due_date == dt.date(2026, 12, 23)


def test_declared_conflicts_and_residence_keep_inspectors_away(setup):
    target = setup.entities[5]
    for inspector in setup.inspectors:
        if inspector.certificate_no != setup.inspectors[1].certificate_no:
            conflict_declare(
                actor=setup.world.officer_a,
                inspector=inspector,
                uscc=target.uscc,
                reason="亲属关系",
            )
    population = MarketEntity.objects.filter(
        risk_class=target.risk_class, district=target.district
    ).count()
    task = drawn(
        setup,
        filter_risks=[target.risk_class],
        filter_districts=[target.district],
        mode="count",
        count=population,
    )
    selection = task.selections.get(entity=target, is_standby=False)  # everyone is drawn
    team = list(selection.team.values_list("inspector__certificate_no", flat=True))
    assert team == [setup.inspectors[1].certificate_no]
    assert selection.unfilled == setup.world.dept_a.code


def test_a_conflict_with_an_unknown_entity_is_refused(setup):
    with pytest.raises(InspectionError, match="没有统一社会信用代码"):
        conflict_declare(
            actor=setup.world.officer_a,
            inspector=setup.inspectors[0],
            uscc="91350100M000100Y43",
            reason="x",
        )
    assert not InspectorConflict.objects.exists()


def test_results_are_recorded_and_published(setup):
    task = drawn(setup)
    selections = list(task.selections.filter(is_standby=False))
    with pytest.raises(InspectionError, match=f"还有 {len(selections)} 户未录入"):
        task_results_publish(actor=setup.world.officer_a, task=task)
    for s in selections:
        record_no_problem(setup, s)
    task = task_results_publish(actor=setup.world.officer_a, task=task)
    assert task.status == TaskStatus.PUBLISHED and task.results_published_at


def test_standby_entities_take_no_results(setup):
    task = drawn(setup)
    standby = task.selections.filter(is_standby=True).first()
    with pytest.raises(InspectionError, match="候补对象"):
        task_result_record(
            actor=setup.world.officer_a, selection=standby, result="合格", today=DRAW_DAY
        )
    standby.refresh_from_db()
    assert standby.result == ""


def test_results_import_is_all_or_nothing(setup):
    task = drawn(setup)
    sel = list(task.selections.filter(is_standby=False).select_related("entity"))
    good = "\n".join(f"{s.entity.uscc},未发现问题,,2026-11-10" for s in sel[1:])
    bad = f"统一社会信用代码,检查结果,结果说明,检查日期\n{sel[0].entity.uscc},查无此类\n{good}\n"
    with pytest.raises(InspectionError, match="第 2 行：无法识别的检查结果“查无此类”"):
        task_results_import(
            actor=setup.world.officer_a,
            task=task,
            content=bad.encode(),
            file_name="r.csv",
            today=DRAW_DAY,
        )
    assert not task.selections.exclude(result="").exists()
    ok = f"统一社会信用代码,检查结果,结果说明,检查日期\n{sel[0].entity.uscc},发现问题已责令整改,责令7日内改正,2026-11-11\n{good}\n"
    assert task_results_import(
        actor=setup.world.officer_a,
        task=task,
        content=ok.encode(),
        file_name="r.csv",
        today=DRAW_DAY,
    ) == len(sel)
    sel[0].refresh_from_db()
    assert (sel[0].result, sel[0].result_note) == (ResultCategory.RECTIFIED, "责令7日内改正")


def test_frozen_tasks_cannot_be_edited(setup):
    task = frozen(setup)
    with pytest.raises(InspectionError, match="已固化"):
        task_update(actor=setup.world.officer_a, task=task, title="改过的名称")
    task.refresh_from_db()
    assert task.title == "2026年度第一批企业公示信息抽查"


def test_cancel_a_frozen_task_keeps_it_public_with_the_reason(setup):
    task = task_cancel(actor=setup.world.officer_a, task=frozen(setup), reason="抽查事项调整")
    assert task.status == TaskStatus.CANCELLED and task.cancel_reason == "抽查事项调整"
    assert task.commitment_hash


def test_a_correction_names_the_earlier_record(setup):
    old = drawn(setup)
    new = task_correct(actor=setup.world.officer_a, task=old, reason="红球号码录入错误")
    old.refresh_from_db()
    assert old.status == TaskStatus.CANCELLED and "红球号码录入错误" in old.cancel_reason
    new = task_freeze(
        actor=setup.world.officer_a, task=new, sources=sources(DRAW_DAY), today=FREEZE_DAY
    )
    commitment = document_load(task_document(new, DrawDocumentKind.COMMITMENT))
    assert commitment["previous_record_hash"] == old.record_hash


def test_second_draw_avoids_the_pair_that_checked_an_entity_before(world):
    s = make_setup(world, entities=12, inspectors=3)
    first = drawn(s, mode="count", count=12)
    pairs = {
        sel.entity_id: frozenset(sel.team.values_list("inspector_id", flat=True))
        for sel in first.selections.filter(is_standby=False)
    }
    second = draw_execute(
        actor=world.officer_a,
        task=task_freeze(
            actor=world.officer_a,
            task=s.task(mode="count", count=12),
            sources=sources(DRAW_DAY),
            today=FREEZE_DAY,
        ),
        observed=OBSERVED,
        today=DRAW_DAY,
    )
    for sel in second.selections.filter(is_standby=False):
        team = frozenset(sel.team.values_list("inspector_id", flat=True))
        assert team != pairs[sel.entity_id] or len(team) < 2


def test_joint_tasks_take_inspectors_from_every_department(world):
    s = make_setup(world, entities=60, inspectors=4)
    make_inspectors(world.dept_b, 4)
    task = drawn(s, joint_agencies=[world.dept_b])
    for selection in task.selections.filter(is_standby=False):
        agencies = list(
            selection.team.order_by("slot").values_list("inspector__agency__code", flat=True)
        )
        assert agencies == ["depta", "deptb"]


def test_reminders_are_sent_once_per_stage(setup):
    task = drawn(setup)
    assert task_send_reminders(actor=setup.world.officer_a, today=dt.date(2026, 12, 1)) == 0
    assert task_send_reminders(actor=setup.world.officer_a, today=dt.date(2026, 12, 14)) == 1
    assert task_send_reminders(actor=setup.world.officer_a, today=dt.date(2026, 12, 15)) == 0
    assert task_send_reminders(actor=setup.world.officer_a, today=dt.date(2026, 12, 21)) == 1
    notices = Notice.objects.filter(user=setup.world.officer_a, title__contains=task.number)
    assert notices.filter(title__contains="逾期").count() == 1


def test_selection_rows_match_the_record_exactly(setup):
    task = drawn(setup)
    assert DrawSelection.objects.filter(task=task).count() == sum(
        len(s["selected"]) + len(s["standby"])
        for s in document_load(task_document(task, DrawDocumentKind.RECORD))["result"]["strata"]
    )
    assert (
        TeamMember.objects.filter(selection__task=task).count()
        >= 2 * task.selected_count - task.selections.exclude(unfilled="").count() * 2
    )
    assert InspectionTask.objects.get(pk=task.pk).observed[0]["value"] == "3 9 16 21 27 33"


def test_progress_of_several_tasks_in_one_query(setup, django_assert_num_queries):
    from gongkai.apps.inspections.selectors import Progress, tasks_progress

    task = drawn(setup)
    record_no_problem(setup, task.selections.filter(is_standby=False).first())
    waiting = frozen(setup)  # nothing drawn yet: 0 of 0
    with django_assert_num_queries(1):
        both = tasks_progress([task, waiting])
    selected = task.selections.filter(is_standby=False).count()
    assert selected > 1
    assert both == {task.pk: Progress(selected, 1), waiting.pk: Progress(0, 0)}
