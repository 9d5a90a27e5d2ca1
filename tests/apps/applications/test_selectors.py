"""Report facts, calendar-change recomputation, reminders and 主动公开 suggestions."""

import datetime as dt

import pytest

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.selectors import (
    appeal_report_facts,
    application_report_facts,
    proactive_candidates,
)
from gongkai.apps.notifications.models import Notice
from gongkai.domain.reportfacts import AppealKind, AppealResult, RequestChannel
from tests.apps.applications.factories import ID_OK_2, RELEASED_TXT, person, register

pytestmark = pytest.mark.django_db


def closed(world, received, replied_on, decision="not_exist", **kwargs):
    app = register(world, channel="in_person", submitted_on=received, **kwargs)
    app = svc.application_accept(actor=world.officer_a, application=app, on=received)
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision=decision, text="经检索未找到。"
    )
    return svc.application_reply_approve(actor=world.reviewer_a, application=app, on=replied_on)


def test_report_facts_cover_received_carried_over_and_closed(world):
    last_year_closed = closed(world, dt.date(2025, 3, 3), dt.date(2025, 3, 20))
    carried = closed(world, dt.date(2025, 12, 22), dt.date(2026, 1, 9))
    this_year = closed(world, dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    still_open = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 2))
    other_agency = register(
        world, agency=world.dept_b, channel="in_person", submitted_on=dt.date(2026, 5, 6)
    )
    facts = application_report_facts(agency_ids=[world.dept_a.pk], year=2026)
    refs = {f.ref for f in facts}
    assert refs == {carried.number, this_year.number, still_open.number}
    assert last_year_closed.number not in refs
    assert {f.agency_id for f in facts} == {world.dept_a.pk}
    assert other_agency.agency_id == world.dept_b.pk
    by_ref = {f.ref: f for f in facts}
    fact = by_ref[this_year.number]
    assert (fact.channel, fact.decision, fact.closed, fact.on_time, fact.extended) == (
        RequestChannel.IN_PERSON,
        "not_exist",
        dt.date(2026, 3, 16),
        True,
        False,
    )
    assert fact.applicant_type.value == "natural_person"
    assert by_ref[still_open.number].closed is None and by_ref[still_open.number].on_time is None
    facts_2025 = application_report_facts(agency_ids=[world.dept_a.pk], year=2025)
    assert {f.ref for f in facts_2025} == {last_year_closed.number, carried.number}


def test_appeal_facts(world):
    app = closed(world, dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    appeal = svc.appeal_record(
        actor=world.officer_a,
        application=app,
        kind="litigation_direct",
        filed_on=dt.date(2026, 4, 1),
        body="测试市中级人民法院",
        case_number="（2026）测01行初12号",
    )
    svc.appeal_decide(
        actor=world.officer_a, appeal=appeal, result="corrected", decided_on=dt.date(2026, 9, 1)
    )
    (fact,) = appeal_report_facts(agency_ids=[world.dept_a.pk], year=2026)
    assert (fact.kind, fact.result, fact.ref) == (
        AppealKind.LITIGATION_DIRECT,
        AppealResult.CORRECTED,
        "（2026）测01行初12号",
    )
    assert appeal_report_facts(agency_ids=[world.dept_b.pk], year=2026) == []
    assert appeal_report_facts(agency_ids=[world.dept_a.pk], year=2027) == []


def test_extended_and_fee_facts(world):
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 2))
    app = svc.application_accept(actor=world.officer_a, application=app, on=dt.date(2026, 11, 2))
    svc.application_extension_request(
        actor=world.officer_a, application=app, days=10, reason="量大"
    )
    svc.application_extension_approve(actor=world.head_a, application=app, on=dt.date(2026, 11, 20))
    svc.application_fee_notice(
        actor=world.officer_a,
        application=app,
        method="per_page",
        units=100,
        on=dt.date(2026, 11, 20),
    )
    svc.application_fee_paid(actor=world.officer_a, application=app, on=dt.date(2026, 11, 23))
    (fact,) = application_report_facts(agency_ids=[world.dept_a.pk], year=2026)
    assert fact.extended is True and fact.fee_yuan == 700


def test_calendar_change_recomputes_open_cases_and_tells_the_officer(world):
    """A newly declared holiday moves every open deadline that counts across it."""
    from gongkai.apps.workcalendar.services import calendar_entry_save
    from gongkai.registry import due_sources

    app = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 2))
    app = svc.application_accept(actor=world.officer_a, application=app, on=dt.date(2026, 11, 2))
    done = closed(world, dt.date(2026, 11, 2), dt.date(2026, 11, 10))
    assert app.due_date == dt.date(2026, 11, 30)
    assert due_sources["applications"] is svc.DUE_SOURCE
    calendar_entry_save(
        actor=world.admin, day=dt.date(2026, 11, 16), kind="holiday", name="测试假日"
    )
    app.refresh_from_db()
    done.refresh_from_db()
    assert app.due_date == dt.date(2026, 12, 1)
    assert done.closed_on == dt.date(2026, 11, 10)  # closed cases are history
    notice = Notice.objects.get(user=world.officer_a, kind="application.deadline")
    assert app.number in notice.body and "2026年12月1日" in notice.body
    from gongkai.apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        action="application.deadline_recompute", object_id=str(app.pk)
    ).exists()


def test_a_deadline_into_an_unloaded_year_is_provisional_everywhere_until_the_notice_comes(
    world, client_for
):
    """2027 is not loaded: an extension pushes the answer into 2027. The date is 暂定 with its
    reason on the case page, in the queue, in the letter and for the applicant; importing the
    2027 notice recomputes it, audits the change, tells the applicant, and the case page shows
    both the notified and the binding date."""
    from gongkai.apps.applications.models import Application
    from gongkai.apps.audit.models import AuditEvent
    from gongkai.apps.workcalendar.importing import ImportRow
    from gongkai.apps.workcalendar.services import calendar_import

    late = register(
        world,
        channel="in_person",
        submitted_on=dt.date(2026, 11, 27),
        applicant_user=world.applicant,
    )
    assert (late.due_date, late.due_provisional) == (dt.date(2026, 12, 25), False)
    late = svc.application_accept(actor=world.officer_a, application=late)
    svc.application_extension_request(
        actor=world.officer_a, application=late, days=20, reason="量大"
    )
    late = svc.application_extension_approve(actor=world.head_a, application=late)
    # 12/28–31 (4), 1/1 元旦, 1/4–8 (9), 1/11–15 (14), 1/18–22 (19), 1/25 (20)
    assert (late.due_date, late.due_provisional) == (dt.date(2027, 1, 25), True)
    assert late.due_reason.startswith("暂定：2027年的国务院节假日安排尚未载入")
    assert late.due_notified_on == dt.date(2027, 1, 25)
    letter = late.letters.get(kind="extension")
    assert "本机关将于2027年1月25日（该日期按法定节假日暂定" in letter.body
    html = client_for(world.officer_a).get(f"/backoffice/applications/{late.pk}/").content.decode()
    assert "2027年1月25日" in html and "暂定：2027年的国务院节假日安排尚未载入" in html
    queue = client_for(world.officer_a).get("/backoffice/applications/").content.decode()
    assert "2027-01-25 暂定" in queue
    tracking = client_for(world.applicant).get(f"/track/{late.public_id}/").content.decode()
    assert "2027年1月25日" in tracking and "暂定" in tracking

    # the notice arrives: 1月4日 is declared a day off, the count moves one day on
    calendar_import(
        actor=world.admin,
        rows=[
            ImportRow(1, dt.date(2027, 1, 1), "holiday", "元旦"),
            ImportRow(2, dt.date(2027, 1, 4), "holiday", "元旦"),
        ],
        notice="国务院办公厅关于2027年部分节假日安排的通知",
    )
    late = Application.objects.get(pk=late.pk)
    assert (late.due_date, late.due_provisional, late.due_reason) == (
        dt.date(2027, 1, 26),
        False,
        "",
    )
    event = AuditEvent.objects.filter(
        action="application.deadline_recompute", object_id=str(late.pk)
    ).get()
    assert '"due_date":"2027-01-25"' in event.before.replace(" ", "")
    told = Notice.objects.get(user=world.applicant, kind="application.deadline")
    assert "2027年1月26日" in told.title and "2027年1月25日（暂定）" in told.body
    html = client_for(world.officer_a).get(f"/backoffice/applications/{late.pk}/").content.decode()
    assert "已书面告知申请人的暂定答复期限为2027年1月25日" in html
    assert "答复期限为2027年1月26日，以后者为准" in html
    tracking = client_for(world.applicant).get(f"/track/{late.public_id}/").content.decode()
    assert "此前告知的暂定日期为2027年1月25日" in tracking
    late = svc.application_reply_draft(
        actor=world.officer_a, application=late, decision="not_exist", text="经检索未找到。"
    )
    late = svc.application_reply_approve(actor=world.reviewer_a, application=late)
    assert late.on_time is True


def test_daily_reminder_tells_each_officer_once_a_day(world):
    soon = register(world, channel="in_person", submitted_on=dt.date(2026, 10, 30))
    soon = svc.application_accept(actor=world.officer_a, application=soon, on=dt.date(2026, 10, 30))
    later = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 26))
    svc.application_accept(actor=world.officer_a, application=later, on=dt.date(2026, 11, 26))
    unassigned = register(world, channel="in_person", submitted_on=dt.date(2026, 10, 29))
    on = dt.date(2026, 11, 25)
    assert soon.due_date == dt.date(2026, 11, 27)
    assert svc.applications_remind(on=on) == 2
    notice = Notice.objects.exclude(title__contains="未分派").get(
        user=world.officer_a, kind="application.reminder"
    )
    assert soon.number in notice.body and later.number not in notice.body
    assert Notice.objects.filter(user=world.head_a, body__contains=unassigned.number).exists()
    assert svc.applications_remind(on=on) == 0  # once a day


def test_suggestions_group_released_information_across_applicants(world):
    def released(applicant, text):
        app = register(world, applicant=applicant, description=text)
        app = svc.application_accept(actor=world.officer_a, application=app)
        svc.application_document_add(
            actor=world.officer_a,
            application=app,
            kind="released",
            files=[("明细.txt", RELEASED_TXT)],
        )
        app = svc.application_reply_draft(
            actor=world.officer_a, application=app, decision="disclosed", text="见附件"
        )
        return svc.application_reply_approve(actor=world.reviewer_a, application=app)

    a = released(person(), "2025年度城市道路养护资金使用情况")
    b = released(person(id_number=ID_OK_2, name="李雷"), "申请公开2025年城市道路养护资金的使用情况")
    groups = proactive_candidates({world.dept_a.pk})
    assert len(groups) == 1 and sorted(groups[0].ids) == sorted([a.pk, b.pk])
    assert groups[0].applicant_count == 2
    assert proactive_candidates({world.dept_b.pk}) == []
    suggestion = svc.proactive_create_draft(
        actor=world.officer_a,
        agency=world.dept_a,
        application_ids=[a.pk, b.pk],
        title="2025年度城市道路养护资金使用情况",
    )
    assert suggestion.status == "created" and suggestion.catalog_ref
    from gongkai.apps.catalog.models import Document

    draft = Document.objects.get(pk=int(suggestion.catalog_ref))
    assert draft.agency == world.dept_a and a.number in draft.source_note
    assert proactive_candidates({world.dept_a.pk}) == []  # handled once
    from gongkai.apps.applications.errors import NotAllowed

    with pytest.raises(NotAllowed):
        svc.proactive_create_draft(
            actor=world.officer_b, agency=world.dept_a, application_ids=[a.pk, b.pk], title="x"
        )


def test_the_scheduler_runs_the_reminder_once_a_day_and_page_views_do_not(
    world, client_for, django_capture_on_commit_callbacks
):
    from gongkai import clock
    from gongkai.apps.jobs.models import Job
    from gongkai.apps.jobs.periodic import periodic_run

    soon = register(world, channel="in_person", submitted_on=dt.date(2026, 10, 30))
    svc.application_accept(actor=world.officer_a, application=soon, on=dt.date(2026, 10, 30))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.officer_a).get("/backoffice/")
    assert not Job.objects.filter(kind="applications.remind").exists()
    with django_capture_on_commit_callbacks(execute=True):
        periodic_run("applications.remind", now=clock.now())
        periodic_run("applications.remind", now=clock.now())  # a second scheduler's message
    jobs = Job.objects.filter(kind="applications.remind")
    assert jobs.count() == 1 and jobs.get().status == "done"
    assert Notice.objects.filter(kind="application.reminder", body__contains=soon.number).exists()
