"""Every step of a case: who may take it, what it changes, the deadline, the letter, the audit.

Dates are counted by hand on the 2026 calendar (no holidays between 2 November and 28
December 2026): a request received on Monday 2 November is due on Monday 30 November
(20 working days, the day of receipt not counted).
"""

import datetime as dt

import pytest

from gongkai.apps.applications import due
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import Application, CaseLetter, CaseStep
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import audit_verify
from tests.apps.applications.factories import PDF, RELEASED_TXT, RELEASED_WITH_ID, person, register

pytestmark = pytest.mark.django_db

NOV2 = dt.date(2026, 11, 2)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


@pytest.fixture
def case(world):
    """A request handed in on Monday 2 November 2026, accepted by officer_a on the 3rd."""
    app = register(world, channel="in_person", submitted_on=NOV2)
    return svc.application_accept(actor=world.officer_a, application=app, on=d(11, 3))


def reload(app):
    return Application.objects.get(pk=app.pk)


def unchanged(app, before):
    """The case row is exactly as it was."""
    after = Application.objects.filter(pk=app.pk).values().get()
    assert after == before


def row(app):
    return Application.objects.filter(pk=app.pk).values().get()


def test_due_date_counts_20_working_days_from_receipt(case):
    assert case.received_on == NOV2
    assert case.due_date == d(11, 30)
    assert case.correction_notice_due == d(11, 11)
    assert case.state == "processing" and case.officer.username == "officer_a"


# ── 受理 / 分派 ──────────────────────────────────────────────────────────────────────


def test_head_assigns_an_officer_at_acceptance(world):
    app = register(world)
    app = svc.application_accept(actor=world.head_a, application=app, officer=world.officer_a)
    assert app.officer == world.officer_a


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("reviewer_a", "没有权限"),
        ("norole_a", "没有权限"),
        ("officer_b", "没有权限"),
        ("supervisor", "没有权限"),
        ("applicant", "没有权限"),
    ],
)
def test_acceptance_is_refused_without_the_role_and_nothing_changes(world, who, message):
    app = register(world)
    before = row(app)
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed, match=message):
        svc.application_accept(actor=getattr(world, who), application=app)
    unchanged(app, before)
    assert AuditEvent.objects.count() == events


def test_only_the_head_assigns_someone_else(world):
    app = register(world)
    before = row(app)
    other = world.head_a
    with pytest.raises(NotAllowed, match="负责人"):
        svc.application_accept(actor=world.officer_a, application=app, officer=other)
    unchanged(app, before)


def test_reassignment_by_the_head(world, case):
    from tests.factories import make_staff

    second = make_staff(world.dept_a, "officer", username="officer_a2")
    app = svc.application_assign(actor=world.head_a, application=case, officer=second)
    assert app.officer == second
    with pytest.raises(InvalidInput, match="本机关"):
        svc.application_assign(actor=world.head_a, application=case, officer=world.officer_b)
    with pytest.raises(NotAllowed):
        svc.application_assign(actor=world.officer_a, application=case, officer=world.officer_a)


# ── 补正 ─────────────────────────────────────────────────────────────────────────────────


def test_correction_notice_then_material_restarts_the_clock(world, case):
    app = svc.application_correction_request(
        actor=world.officer_a,
        application=case,
        items="1. 请写明所需文件的文号\n2. 请写明文件的大致形成时间",
        until=d(11, 20),
        on=d(11, 4),
    )
    assert app.state == "correction"
    letter = CaseLetter.objects.get(application=app, kind="correction")
    assert letter.number == "市交通局信息公开告〔2026〕1号"
    assert "第三十条" in letter.body and "1. 请写明所需文件的文号" in letter.body
    assert "2026年11月20日" in letter.body and letter.addressee == "王小明"
    app = svc.application_correction_receive(
        actor=world.officer_a, application=app, on=d(11, 10), files=[("补正.pdf", PDF)]
    )
    assert app.state == "processing"
    assert app.due_date == d(12, 8)  # 20 working days from 10 November
    assert [e.kind for e in due.case_events(app.steps.all())] == [
        "correction_notice",
        "correction_received",
    ]
    assert app.documents.filter(kind="correction").count() == 1


def test_correction_is_a_one_time_notice(world, case):
    svc.application_correction_request(
        actor=world.officer_a, application=case, items="文号", until=d(11, 20), on=d(11, 4)
    )
    app = svc.application_correction_receive(actor=world.officer_a, application=case, on=d(11, 6))
    before = row(app)
    with pytest.raises(NotAllowed, match="一次性告知"):
        svc.application_correction_request(
            actor=world.officer_a, application=app, items="还要一项", until=d(11, 25), on=d(11, 9)
        )
    unchanged(app, before)


def test_a_late_correction_notice_is_sent_and_recorded_as_late(world, case):
    """条例第三十条: due within 7 working days (by 11 November); a late one still goes out."""
    app = svc.application_correction_request(
        actor=world.officer_a, application=case, items="文号", until=d(11, 25), on=d(11, 12)
    )
    assert app.state == "correction"
    event = AuditEvent.objects.get(action="application.correction_request", object_id=str(app.pk))
    assert '"late_notice":true' in event.after.replace(" ", "")
    assert app.letters.filter(kind="correction").count() == 1


def test_lapsed_correction_ends_with_a_no_correction_reply(world, case):
    app = svc.application_correction_request(
        actor=world.officer_a, application=case, items="文号", until=d(11, 13), on=d(11, 4)
    )
    with pytest.raises(InvalidInput, match="不能作出"):
        svc.application_reply_draft(
            actor=world.officer_a, application=app, decision="not_exist", text=""
        )
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="other.no_correction", text=""
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app, on=d(11, 20))
    letter = app.letters.get(kind="reply")
    assert app.decision == "other.no_correction"
    assert "视为您放弃申请" in letter.body and "2026年11月13日" in letter.body


# ── 征求意见 ───────────────────────────────────────────────────────────────────────────────


def test_consultation_stops_the_clock(world, case):
    app = svc.application_consult_start(
        actor=world.officer_a,
        application=case,
        kind="third_party",
        party="某某建设有限公司",
        matters="该公司的投标文件中的报价明细",
        on=d(11, 5),
    )
    assert app.state == "consulting"
    letter = app.letters.get(kind="consultation")
    assert not letter.to_applicant and letter.addressee == "某某建设有限公司"
    assert "第三十二条" in letter.body and "15个工作日" in letter.body
    app = svc.application_consult_end(
        actor=world.officer_a, application=app, outcome="object", note="涉及商业秘密", on=d(11, 12)
    )
    assert app.state == "processing"
    assert app.due_date == d(12, 7)  # 30 November + the 5 working days of 6–12 November


# ── 延期 ─────────────────────────────────────────────────────────────────────────────────


def test_extension_needs_the_heads_approval_and_tells_the_applicant(world, case):
    app = svc.application_extension_request(
        actor=world.officer_a, application=case, days=20, reason="需要调取档案并逐件核对"
    )
    assert app.extension_status == "requested" and app.due_date == d(11, 30)
    before = row(app)
    with pytest.raises(NotAllowed, match="没有权限"):
        svc.application_extension_approve(actor=world.officer_a, application=app)
    with pytest.raises(NotAllowed, match="没有权限"):
        svc.application_extension_approve(actor=world.reviewer_a, application=app)
    unchanged(app, before)
    app = svc.application_extension_approve(actor=world.head_a, application=app, on=d(11, 27))
    assert app.due_date == d(12, 28) and app.extension_status == "approved"
    letter = app.letters.get(kind="extension")
    assert "延长20个工作日" in letter.body and "2026年12月28日" in letter.body
    assert "2026年11月30日" in letter.body and "第三十三条第二款" in letter.body
    with pytest.raises(NotAllowed, match="只能申请一次"):
        svc.application_extension_request(
            actor=world.officer_a, application=app, days=5, reason="再延"
        )


def test_extension_beyond_the_maximum_is_refused(world, case):
    with pytest.raises(InvalidInput, match="1至20个工作日"):
        svc.application_extension_request(
            actor=world.officer_a, application=case, days=21, reason="x"
        )


def test_rejected_extension_leaves_the_due_date(world, case):
    svc.application_extension_request(
        actor=world.officer_a, application=case, days=10, reason="量大"
    )
    with pytest.raises(InvalidInput, match="理由"):
        svc.application_extension_reject(actor=world.head_a, application=case, comment="")
    app = svc.application_extension_reject(
        actor=world.head_a, application=case, comment="可按期答复"
    )
    assert app.extension_status == "rejected" and app.due_date == d(11, 30)


# ── 收费 ─────────────────────────────────────────────────────────────────────────────────


def test_fee_notice_computes_the_fee_and_stops_the_clock(world, case):
    app = svc.application_fee_notice(
        actor=world.officer_a, application=case, method="per_page", units=150, on=d(11, 5)
    )
    assert (app.state, app.fee_amount, app.fee_units) == ("fee", 1700, 150)
    assert app.fee_pay_until == d(12, 3)  # 20 working days after 5 November
    letter = app.letters.get(kind="fee")
    assert "1700元" in letter.body and "第31—100页：70页×10元＝700元" in letter.body
    app = svc.application_fee_paid(actor=world.officer_a, application=app, on=d(11, 9))
    assert app.state == "processing"
    assert app.due_date == d(12, 2)  # 30 November + 6, 9 November paused


def test_a_fee_that_would_be_zero_is_not_charged(world, case):
    before = row(case)
    with pytest.raises(InvalidInput, match="不需收取"):
        svc.application_fee_notice(
            actor=world.officer_a, application=case, method="per_item", units=1
        )
    unchanged(case, before)


def test_per_item_fee_counts_the_applicants_month(world):
    for i in range(10):
        register(
            world, channel="in_person", submitted_on=NOV2, description=f"第{i}号文件全文及附件"
        )
    app = register(world, channel="in_person", submitted_on=NOV2)
    app = svc.application_accept(actor=world.officer_a, application=app, on=d(11, 3))
    app = svc.application_fee_notice(
        actor=world.officer_a, application=app, method="per_item", units=1, on=d(11, 4)
    )
    assert app.fee_amount == 100  # the 11th request of the month


# ── 答复 ─────────────────────────────────────────────────────────────────────────────────


def _release(world, app, content=RELEASED_TXT):
    return svc.application_document_add(
        actor=world.officer_a,
        application=app,
        kind="released",
        files=[("养护资金明细.txt", content)],
    )


def test_draft_review_reply_delivery_archive(world, case):
    _release(world, case)
    app = svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="disclosed", text="请查收附件。"
    )
    assert app.state == "review"
    with pytest.raises(NotAllowed, match="没有权限"):
        svc.application_reply_approve(actor=world.officer_a, application=app)
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app, on=d(11, 27))
    assert (app.state, app.decision, app.closed_on, app.on_time) == (
        "replied",
        "disclosed",
        d(11, 27),
        True,
    )
    letter = app.letters.get(kind="reply")
    assert letter.number == "市交通局信息公开答〔2026〕1号"
    assert letter.title == "政府信息公开申请答复书"
    assert "第三十六条第（二）项" in letter.body and "请查收附件。" in letter.body
    assert "测试市人民政府申请行政复议" in letter.body  # the department's own government
    with pytest.raises(InvalidInput, match="邮件号码"):
        svc.application_deliver(actor=world.officer_a, application=app, method="post")
    app = svc.application_deliver(
        actor=world.officer_a, application=app, method="post", ref="EA123456789CN", on=d(11, 27)
    )
    assert app.state == "delivered" and app.delivery_ref == "EA123456789CN"
    app = svc.application_archive(actor=world.officer_a, application=app)
    assert app.state == "archived"
    assert audit_verify().ok


def test_disclosure_needs_the_released_information(world, case):
    with pytest.raises(InvalidInput, match="上传"):
        svc.application_reply_draft(
            actor=world.officer_a, application=case, decision="disclosed", text=""
        )


def test_refusals_must_give_reasons(world, case):
    with pytest.raises(InvalidInput, match="答复意见"):
        svc.application_reply_draft(
            actor=world.officer_a, application=case, decision="withheld.process", text=""
        )


def test_reviewer_cannot_approve_their_own_draft(world, case):
    app = svc.application_reply_draft(
        actor=world.head_a, application=case, decision="not_exist", text="经检索未找到。"
    )
    before = row(app)
    with pytest.raises(NotAllowed, match="自己拟写"):
        svc.application_reply_approve(actor=world.head_a, application=app)
    unchanged(app, before)


def test_return_for_changes(world, case):
    app = svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="not_exist", text="经检索未找到。"
    )
    app = svc.application_reply_return(
        actor=world.reviewer_a, application=app, comment="请写明检索的范围"
    )
    assert app.state == "processing" and app.review_comment == "请写明检索的范围"


def test_late_reply_is_recorded_as_late(world):
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 9, 1))
    app = svc.application_accept(actor=world.officer_a, application=app, on=dt.date(2026, 9, 2))
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="not_exist", text="经检索未找到。"
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app, on=d(11, 2))
    assert app.on_time is False


def test_an_error_while_issuing_the_reply_leaves_the_case_as_it_was(world, case, monkeypatch):
    from gongkai.apps.applications.services import workflow

    app = svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="not_exist", text="经检索未找到。"
    )
    before = row(app)
    events = AuditEvent.objects.count()

    def broken(**kwargs):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(workflow, "issue_letter", broken)
    with pytest.raises(RuntimeError):
        svc.application_reply_approve(actor=world.reviewer_a, application=app)
    unchanged(app, before)
    assert AuditEvent.objects.count() == events
    assert not CaseLetter.objects.filter(application=app).exists()


def test_not_this_agency_names_the_responsible_agency_and_forwards(world, case):
    app = svc.application_reply_draft(
        actor=world.officer_a,
        application=case,
        decision="not_this_agency",
        text="所申请信息由教育部门制作并保存。",
        referred_agency=world.dept_b,
        forward=True,
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    letter = app.letters.get(kind="reply")
    assert "测试市教育局" in letter.body and "0399-8000000" in letter.body
    forwarded = Application.objects.get(forwarded_from=app)
    assert forwarded.agency == world.dept_b and forwarded.state == "registered"
    assert forwarded.number in letter.body
    assert forwarded.query_code_hash == app.query_code_hash  # the same query code follows it
    assert forwarded.applicant_name == app.applicant_name
    assert "原登记号" in forwarded.source_note


def test_not_this_agency_needs_reasons_but_not_always_an_agency(world, case):
    # 条例第三十六条第（五）项: 说明理由 always; the agency's name and contact where determinable
    with pytest.raises(InvalidInput, match="说明理由"):
        svc.application_reply_draft(
            actor=world.officer_a, application=case, decision="not_this_agency", text=""
        )
    app = svc.application_reply_draft(
        actor=world.officer_a,
        application=case,
        decision="not_this_agency",
        text="所申请信息不属于本机关职责范围。",
    )
    with pytest.raises(InvalidInput, match="只能转交本平台上的机关"):
        svc.application_reply_return(actor=world.reviewer_a, application=app, comment="改")
        svc.application_reply_draft(
            actor=world.officer_a,
            application=app,
            decision="not_this_agency",
            text="理由",
            referred_other="某机关",
            forward=True,
        )


# ── 撤回 ─────────────────────────────────────────────────────────────────────────────────


def test_applicant_withdraws_at_any_open_stage(world, case):
    app = svc.application_withdraw(
        actor=None, application=case, reason="已通过其他途径获得", applicant_verified=True
    )
    assert (app.state, app.decision, app.on_time) == ("withdrawn", "other.withdrawn", True)
    with pytest.raises(NotAllowed, match="已撤回"):
        svc.application_withdraw(actor=None, application=app, applicant_verified=True)
    app = svc.application_archive(actor=world.officer_a, application=app)
    assert app.state == "archived"


def test_staff_register_a_written_withdrawal(world, case):
    app = svc.application_withdraw(actor=world.officer_a, application=case, reason="书面撤回")
    assert app.state == "withdrawn"


# ── 复议 / 诉讼 ───────────────────────────────────────────────────────────────────────────


def test_appeals_are_recorded_and_decided(world, case):
    app = svc.application_reply_draft(
        actor=world.officer_a,
        application=case,
        decision="withheld.process",
        text="属于内部讨论记录",
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app, on=d(11, 10))
    with pytest.raises(InvalidInput, match="早于答复日期"):
        svc.appeal_record(
            actor=world.officer_a,
            application=app,
            kind="reconsideration",
            filed_on=d(11, 9),
            body="测试市人民政府",
        )
    appeal = svc.appeal_record(
        actor=world.officer_a,
        application=app,
        kind="reconsideration",
        filed_on=d(11, 20),
        body="测试市人民政府",
        case_number="测政复〔2026〕12号",
    )
    assert appeal.result == "pending" and appeal.agency == world.dept_a
    appeal = svc.appeal_decide(
        actor=world.officer_a, appeal=appeal, result="upheld", decided_on=d(11, 26)
    )
    assert appeal.result == "upheld"
    with pytest.raises(NotAllowed, match="已登记审结"):
        svc.appeal_decide(
            actor=world.officer_a, appeal=appeal, result="other", decided_on=d(11, 26)
        )


def test_appeals_only_on_answered_cases(world, case):
    with pytest.raises(NotAllowed):
        svc.appeal_record(
            actor=world.officer_a,
            application=case,
            kind="reconsideration",
            filed_on=d(11, 20),
            body="测试市人民政府",
        )


# ── documents ─────────────────────────────────────────────────────────────────────────────


def test_documents_by_staff_only_and_withdrawal_keeps_the_record(world, case):
    with pytest.raises(NotAllowed):
        svc.application_document_add(
            actor=world.officer_b, application=case, kind="other", files=[("x.pdf", PDF)]
        )
    (doc,) = svc.application_document_add(
        actor=world.officer_a, application=case, kind="other", files=[("x.pdf", PDF)]
    )
    svc.application_document_withdraw(actor=world.officer_a, document=doc, reason="上传错误")
    doc.refresh_from_db()
    assert doc.withdrawn and doc.file.storage.exists(doc.file.name)
    assert AuditEvent.objects.filter(action="application.document_withdraw").exists()


def test_every_step_is_one_audit_event_in_the_agencys_chain(world, case):
    actions = list(
        AuditEvent.objects.filter(object_id=str(case.pk), object_type="applications.application")
        .order_by("id")
        .values_list("action", "chain")
    )
    assert actions == [
        ("application.register", f"agency:{world.dept_a.pk}"),
        ("application.accept", f"agency:{world.dept_a.pk}"),
    ]


def test_personal_data_never_enters_the_audit_log(world, case):
    _release(world, case)
    app = svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="partial", text="第三方信息已遮盖"
    )
    svc.application_reply_approve(actor=world.reviewer_a, application=app)
    blob = "".join(
        e.before + e.after + e.object_label + e.context
        for e in AuditEvent.objects.filter(object_id=str(case.pk))
    )
    for secret in (person()["id_number"], "王小明", "13800000000", "wxm@example.com"):
        assert secret not in blob


def test_released_files_pass_the_privacy_review_before_the_reply(world, case):
    from gongkai.apps.privacy.selectors import privacy_findings_open
    from gongkai.apps.privacy.services import privacy_finding_mask

    _release(world, case, RELEASED_WITH_ID)
    app = svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="disclosed", text="见附件"
    )
    findings = list(privacy_findings_open(app))
    assert findings, "the ID number must be found"
    before = row(app)
    with pytest.raises(NotAllowed, match="隐私审查"):
        svc.application_reply_approve(actor=world.reviewer_a, application=app)
    unchanged(app, before)
    for finding in findings:
        privacy_finding_mask(actor=world.reviewer_a, finding=finding)
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    assert app.state == "replied"


def test_released_files_are_added_before_the_draft_goes_to_review(world, case):
    svc.application_reply_draft(
        actor=world.officer_a, application=case, decision="not_exist", text="经检索未找到。"
    )
    with pytest.raises(NotAllowed, match="提交审核前"):
        _release(world, case)


def test_a_calendar_that_ends_early_never_blocks_the_case(world, case):
    """Without the year's holiday notice every date is 暂定 (the 放假办法's holidays, no 调休),
    never blank, and says so; work goes on."""
    from gongkai.apps.workcalendar.models import CalendarVersion, CalendarYear

    CalendarYear.objects.filter(year=2026).delete()
    CalendarVersion.objects.filter(pk=1).update(token="test-without-2026")
    app = svc.application_fee_notice(
        actor=world.officer_a, application=case, method="per_page", units=100, on=d(11, 5)
    )
    # 11/6, 11/9–13, 16–20, 23–27, 11/30, 12/1–3: the 20th working day
    assert (app.state, app.fee_amount, app.fee_pay_until) == ("fee", 700, d(12, 3))
    assert app.due_date is not None and app.due_provisional
    assert "2026年的国务院节假日安排尚未载入" in app.due_reason
    assert "2026年12月3日（该日期按法定节假日暂定" in app.letters.get(kind="fee").body
    app = svc.application_fee_paid(actor=world.officer_a, application=app, on=d(11, 9))
    assert app.state == "processing" and app.due_provisional


# ── 收费通知的送达 ──────────────────────────────────────────────────────────────────────


def test_a_posted_fee_notice_counts_from_the_day_it_is_signed_for(world):
    """Sent by post on Friday 25 September 2026, before the 国庆 holiday (1–7 October, with
    Saturday 10 October worked), signed for on Wednesday 30 September: the 20 working days run
    from the 30th — 8, 9, 10 (调休), 12–16, 19–23, 26–30 October, 2 and 3 November — not from the
    day it was sent (which would end on 29 October, five days early)."""
    app = register(world, channel="in_person", submitted_on=d(9, 21))
    app = svc.application_accept(actor=world.officer_a, application=app, on=d(9, 22))
    app = svc.application_fee_notice(
        actor=world.officer_a,
        application=app,
        method="per_page",
        units=150,
        on=d(9, 25),
        delivery="registered_post",
    )
    # not yet signed for: no payment deadline yet, and the letter does not invent one
    assert app.state == "fee" and app.fee_served_on is None and app.fee_pay_until is None
    assert "自送达之日起算的第20个工作日" in app.letters.get(kind="fee").body
    with pytest.raises(InvalidInput, match="早于收费通知发出之日"):
        svc.application_fee_served(actor=world.officer_a, application=app, on=d(9, 24))
    app = svc.application_fee_served(actor=world.officer_a, application=app, on=d(9, 30))
    assert app.fee_served_on == d(9, 30)
    assert app.fee_pay_until == d(11, 3)
    period = svc.fee_period(app)
    assert period.due == d(11, 3) and period.sent == d(9, 25)
    lines = "\n".join(period.explain())
    assert "发出：2026年9月25日（邮寄（需签收））；送达：2026年9月30日" in lines
    assert "以申请人签收之日为送达之日" in lines
    assert "不计入：2026年10月1日至10月7日，国庆节（7天）。" in lines
    assert "调休上班：2026年10月10日计为第3个工作日。" in lines
    counted = [n for n in period.days if n.ordinal]
    assert [n.day for n in counted][:3] == [d(10, 8), d(10, 9), d(10, 10)]
    assert len(counted) == 20 and counted[-1].day == d(11, 3)
    # the engine agrees: the application lapses after 3 November, not 29 October
    from gongkai.apps.applications import selectors as sel

    deadline = sel.application_deadline(app)
    assert (deadline.lapses_on, deadline.lapse_reason) == (d(11, 3), "缴费期限")
    event = AuditEvent.objects.get(action="application.fee_served", object_id=str(app.pk))
    assert "2026-09-30" in str(event.after) and "fee_served_on" in str(event.after)
    with pytest.raises(NotAllowed, match="已登记"):
        svc.application_fee_served(actor=world.officer_a, application=app, on=d(10, 8))


def test_a_fee_notice_handed_over_counts_from_the_same_day(world, case):
    app = svc.application_fee_notice(
        actor=world.officer_a, application=case, method="per_page", units=150, on=d(11, 5)
    )
    assert app.fee_delivery == "in_person" and app.fee_served_on == d(11, 5)
    assert app.fee_pay_until == d(12, 3)


def test_per_item_fee_counts_items_not_applications(world):
    """按件计收 counts 件: an earlier request charged for 9 件 and one more request make 10 件,
    so a single 件 asked now is the 11th of the month and costs 100 元."""
    first = register(world, channel="in_person", submitted_on=NOV2)
    first = svc.application_accept(actor=world.officer_a, application=first, on=d(11, 3))
    CaseStep.objects.create(
        application=first,
        kind="fee",
        started_on=d(11, 3),
        details={"method": "per_item", "units": 9, "amount": 900},
    )
    register(world, channel="in_person", submitted_on=NOV2, description="另一份文件全文")
    app = register(world, channel="in_person", submitted_on=NOV2, description="第三份文件")
    app = svc.application_accept(actor=world.officer_a, application=app, on=d(11, 3))
    from gongkai.apps.applications.services.workflow import prior_month_items

    assert prior_month_items(app) == 10  # 9 件 + 1 件, not 2 applications
    app = svc.application_fee_notice(
        actor=world.officer_a, application=app, method="per_item", units=1, on=d(11, 4)
    )
    assert app.fee_amount == 100
