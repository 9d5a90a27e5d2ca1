"""A letter from receipt to reply through the services: routing, answering, diverting, rating."""

import datetime as dt

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import audit_verify
from gongkai.apps.mailbox.errors import LetterStateError, MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.models import (
    Letter,
    LetterEventKind,
    LetterStatus,
    PublishStatus,
    RedirectChannel,
    Satisfaction,
)
from gongkai.apps.mailbox.services import (
    letter_answer,
    letter_assign,
    letter_convert,
    letter_draft_save,
    letter_mark_invalid,
    letter_rate,
    letter_redirect,
    letter_return,
    letter_send_back,
    letter_submit_for_review,
)
from gongkai.apps.notifications.models import Notice
from gongkai.domain.codes import id_check_char
from tests.apps.mailbox.helpers import order, take_in, write

pytestmark = pytest.mark.django_db

REPLY = "您好！12路公交车首班6:00，末班21:30。感谢来信。"


def state(letter):
    """Everything a denied action must leave untouched."""
    letter = Letter.objects.get(pk=letter.pk)
    return (
        letter.status,
        letter.agency_id,
        letter.draft_reply,
        letter.reply,
        letter.events.count(),
        AuditEvent.objects.count(),
    )


def test_a_letter_to_the_mayor_waits_for_the_dispatcher_and_one_to_a_department_goes_there(mbw):
    to_mayor = write().letter
    to_dept = write(mbw.dept_a).letter
    assert (to_mayor.status, to_mayor.agency_id, to_mayor.addressee_label) == (
        LetterStatus.RECEIVED,
        mbw.city.pk,
        "市长信箱",
    )
    assert (to_dept.status, to_dept.agency_id) == (LetterStatus.HANDLING, mbw.dept_a.pk)
    assert Notice.objects.filter(user=mbw.dispatcher, title__contains="待分办").exists()
    assert Notice.objects.filter(user=mbw.officer_a, title__contains=to_dept.number).exists()
    assert not Notice.objects.filter(user=mbw.officer_b).exists()


def test_due_date_counts_working_days_from_receipt(mbw, frozen_now):
    # 2026-09-30 (Wed): 10月1日—7日 国庆节, 10月10日 (Sat) 调休上班.
    # 咨询, 5 working days: 10/8 (1), 10/9 (2), 10/10 (3), 10/12 (4), 10/13 (5).
    frozen_now(dt.datetime(2026, 9, 30, 10, 0))
    consult = write(mbw.dept_a).letter
    assert (consult.received_on, consult.time_limit_days, consult.due_date) == (
        dt.date(2026, 9, 30),
        5,
        dt.date(2026, 10, 13),
    )
    # 投诉, 15 working days: … 10/13 (5), 10/14–10/16 (8), 10/19–10/23 (13), 10/26 (14), 10/27 (15)
    complaint = write(mbw.dept_a, category="complaint").letter
    assert (complaint.time_limit_days, complaint.due_date) == (15, dt.date(2026, 10, 27))


def test_a_due_date_into_a_year_not_loaded_is_provisional(mbw, frozen_now, client):
    frozen_now(dt.datetime(2026, 12, 28, 10, 0))  # 15 working days run into 2027, not yet loaded
    written = write(mbw.dept_a, category="complaint")
    letter = written.letter
    # 12/29–31 (3), 1/1 元旦, 1/4–8 (8), 1/11–15 (13), 1/18–19 (15)
    assert (letter.due_date, letter.due_provisional) == (dt.date(2027, 1, 19), True)
    assert letter.due_reason.startswith("暂定：2027年") and letter.status == LetterStatus.HANDLING


def test_dispatch_then_transfer_keeps_the_history(mbw):
    letter = write().letter
    letter_assign(actor=mbw.dispatcher, letter=letter, agency=mbw.dept_a)
    with pytest.raises(MailboxError, match="转办须说明理由"):
        letter_assign(actor=mbw.dispatcher, letter=letter, agency=mbw.dept_b)
    letter_assign(actor=mbw.dispatcher, letter=letter, agency=mbw.dept_b, note="属教育事项")
    letter.refresh_from_db()
    assert (letter.status, letter.agency_id) == (LetterStatus.HANDLING, mbw.dept_b.pk)
    history = [
        (e.kind, e.from_agency_id, e.to_agency_id, e.note) for e in letter.events.order_by("id")
    ]
    assert history == [
        (LetterEventKind.ASSIGN, mbw.city.pk, mbw.dept_a.pk, ""),
        (LetterEventKind.TRANSFER, mbw.dept_a.pk, mbw.dept_b.pk, "属教育事项"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(letter.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["letter.assign", "letter.transfer"]
    assert audit_verify().ok


def test_the_handling_agency_returns_a_letter_to_the_dispatcher(mbw):
    letter = write(mbw.dept_a).letter
    letter_return(actor=mbw.officer_a, letter=letter, reason="不属于本局职责")
    letter.refresh_from_db()
    assert (letter.status, letter.agency_id) == (LetterStatus.RECEIVED, mbw.city.pk)
    assert letter.events.get().kind == LetterEventKind.RETURN


def test_draft_review_send_back_and_answer(mbw, frozen_now):
    frozen_now(dt.datetime(2026, 9, 30, 10, 0))
    letter = write(mbw.dept_a, consent_publish=True).letter
    letter_draft_save(actor=mbw.officer_a, letter=letter, text="草稿")
    letter_submit_for_review(actor=mbw.officer_a, letter=letter, text=REPLY)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.REVIEW
    assert Notice.objects.filter(user=mbw.reviewer_a, title__contains="待审核").exists()
    letter_send_back(actor=mbw.reviewer_a, letter=letter, note="请补充站点")
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.HANDLING
    letter_submit_for_review(actor=mbw.officer_a, letter=letter, text=REPLY)
    frozen_now(dt.datetime(2026, 10, 9, 16, 0))
    letter_answer(actor=mbw.reviewer_a, letter=letter, text=REPLY)
    letter.refresh_from_db()
    assert (letter.status, letter.reply, letter.replied_on, letter.replied_by_id) == (
        LetterStatus.ANSWERED,
        REPLY,
        dt.date(2026, 10, 9),
        mbw.reviewer_a.pk,
    )
    # 9/30 -> 10/9: 10/8 and 10/9 are the two working days in between
    assert (letter.handling_days, letter.on_time) == (2, True)
    assert letter.publish_status == PublishStatus.PENDING  # the writer agreed to publication
    kinds = list(letter.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["draft", "submit", "send_back", "submit", "answer"]


def test_a_late_answer_is_recorded_as_not_on_time(mbw, frozen_now):
    frozen_now(dt.datetime(2026, 9, 30, 10, 0))
    letter = write(mbw.dept_a).letter  # due 10/13
    frozen_now(dt.datetime(2026, 10, 14, 9, 0))
    letter_answer(actor=mbw.head_a, letter=letter, text=REPLY)
    letter.refresh_from_db()
    assert (letter.on_time, letter.handling_days) == (False, 6)


@pytest.mark.parametrize(
    ("who", "action"),
    [
        pytest.param("officer_b", "answer", id="another agency's reviewer cannot answer"),
        pytest.param("officer_a", "answer", id="an officer cannot sign the reply"),
        pytest.param("norole_a", "draft", id="staff without a role cannot draft"),
        pytest.param("applicant", "draft", id="a member of the public cannot draft"),
        pytest.param("officer_a", "assign", id="only the dispatcher routes"),
        pytest.param("officer_b", "return", id="another agency cannot return the letter"),
        pytest.param("officer_a", "redirect", id="an officer cannot divert without review"),
        pytest.param("officer_b", "invalid", id="another agency cannot mark it invalid"),
    ],
)
def test_denied_actions_change_nothing(mbw, who, action):
    letter = write(mbw.dept_a).letter
    before = state(letter)
    actor = getattr(mbw, who)
    calls = {
        "answer": lambda: letter_answer(actor=actor, letter=letter, text=REPLY),
        "draft": lambda: letter_draft_save(actor=actor, letter=letter, text="草稿"),
        "assign": lambda: letter_assign(actor=actor, letter=letter, agency=mbw.dept_b, note="转"),
        "return": lambda: letter_return(actor=actor, letter=letter, reason="不归我们管"),
        "redirect": lambda: letter_redirect(
            actor=actor,
            letter=letter,
            channel=RedirectChannel.PETITION,
            reply="请通过信访渠道反映问题。",
        ),
        "invalid": lambda: letter_mark_invalid(actor=actor, letter=letter, reason="重复"),
    }
    with pytest.raises(MailboxPermissionDenied):
        calls[action]()
    assert state(letter) == before


def test_too_short_reply_is_refused_and_nothing_changes(mbw):
    letter = write(mbw.dept_a).letter
    before = state(letter)
    with pytest.raises(MailboxError, match="不能少于 10 个字"):
        letter_answer(actor=mbw.reviewer_a, letter=letter, text="好的")
    assert state(letter) == before


def test_redirect_a_petition_with_a_reasoned_reply(mbw):
    letter = write(mbw.dept_a, category="complaint").letter
    text = "您反映的事项属于信访事项，请向市信访局反映，地址人民路8号。"
    letter_redirect(
        actor=mbw.reviewer_a, letter=letter, channel=RedirectChannel.PETITION, reply=text
    )
    letter.refresh_from_db()
    assert (letter.status, letter.redirect_channel, letter.reply) == (
        LetterStatus.REDIRECTED,
        RedirectChannel.PETITION,
        text,
    )
    assert letter.replied_on is not None  # counts as answered: the writer got a reasoned reply


def test_convert_to_a_disclosure_request_registers_the_case(mbw):
    from gongkai.apps.applications.models import Application

    letter = write(mbw.dept_a, content="请公开2025年公交票价调整听证会的会议纪要。").letter
    with pytest.raises(MailboxError, match="身份证件号码"):
        letter_convert(actor=mbw.reviewer_a, letter=letter)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.HANDLING
    assert not Application.objects.exists()
    id_number = "11010519491231002" + id_check_char("11010519491231002")
    letter_convert(actor=mbw.reviewer_a, letter=letter, id_number=id_number)
    letter.refresh_from_db()
    application = Application.objects.get()
    assert letter.status == LetterStatus.CONVERTED
    assert letter.application_number == application.number
    assert application.received_on == letter.received_on
    assert application.agency_id == mbw.dept_a.pk
    assert application.applicant_name == "王小明"
    assert letter.number in application.source_note
    assert application.number in letter.reply


def test_mark_invalid_and_it_is_no_longer_open(mbw):
    letter = write().letter
    letter_mark_invalid(actor=mbw.dispatcher, letter=letter, reason="重复来信")
    letter.refresh_from_db()
    assert (letter.status, letter.invalid_reason) == (LetterStatus.INVALID, "重复来信")
    with pytest.raises(MailboxPermissionDenied):
        letter_assign(actor=mbw.dispatcher, letter=letter, agency=mbw.dept_a)


def test_the_writer_rates_once_after_the_answer(mbw):
    letter = write(mbw.dept_a).letter
    with pytest.raises(LetterStateError, match="答复后才能评价"):
        letter_rate(letter=letter, satisfaction=Satisfaction.SATISFIED)
    letter_answer(actor=mbw.reviewer_a, letter=letter, text=REPLY)
    letter_rate(letter=letter, satisfaction=Satisfaction.BASIC, comment="还可以")
    with pytest.raises(LetterStateError, match="不能重复评价"):
        letter_rate(letter=letter, satisfaction=Satisfaction.UNSATISFIED)
    letter.refresh_from_db()
    assert (letter.satisfaction, letter.satisfaction_comment) == (Satisfaction.BASIC, "还可以")


def test_calendar_change_recomputes_open_letters_and_tells_their_handlers(mbw):
    from gongkai.apps.workcalendar.services import calendar_entry_save

    called = dt.datetime(2026, 10, 9, 10, 0)
    result = take_in(
        mbw.dispatcher, order("GD-0001", called, agency="depta", content="请问公交卡怎么办理？")
    )
    letter = result.letters()[0]
    # 咨询 (guessed from the question), 5 working days: 10/10 (调休上班), 10/12, 10/13, 10/14, 10/15
    assert letter.due_date == dt.date(2026, 10, 15)
    closed = take_in(
        mbw.dispatcher, order("GD-0002", called, agency="depta", content="请问公交卡怎么办理？")
    ).letters()[0]
    letter_answer(actor=mbw.reviewer_a, letter=closed, text=REPLY)
    calendar_entry_save(actor=mbw.admin, day=dt.date(2026, 10, 13), kind="holiday", name="测试假日")
    letter.refresh_from_db()
    closed.refresh_from_db()
    # 10/13 is now a day off: 10/10, 10/12, 10/14, 10/15, 10/16
    assert letter.due_date == dt.date(2026, 10, 16)
    assert closed.due_date == dt.date(2026, 10, 15)  # answered letters keep their recorded limit
    assert letter.events.filter(kind=LetterEventKind.DUE_RECOMPUTE).count() == 1
    assert Notice.objects.filter(user=mbw.officer_a, title__contains="答复期限已重新计算").exists()


def test_a_category_without_a_time_limit_is_refused_until_one_is_set(mbw):
    from gongkai.apps.mailbox.models import TimeLimit
    from gongkai.apps.mailbox.services import time_limits_ensure_defaults

    TimeLimit.objects.filter(category="consult").delete()
    with pytest.raises(MailboxError, match="没有有效的答复时限"):
        write(mbw.dept_a)
    assert not Letter.objects.exists()
    assert time_limits_ensure_defaults(actor=mbw.admin) == 1
    assert time_limits_ensure_defaults(actor=mbw.admin) == 0
    assert write(mbw.dept_a).letter.time_limit_days == 5


def test_an_administrator_changes_a_limit_from_a_date_on(mbw, frozen_now):
    from gongkai.apps.mailbox.models import TimeLimit

    TimeLimit.objects.create(category="consult", working_days=3, valid_from=dt.date(2026, 10, 1))
    frozen_now(dt.datetime(2026, 9, 30, 10, 0))
    before = write(mbw.dept_a).letter
    frozen_now(dt.datetime(2026, 10, 9, 10, 0))
    after = write(mbw.dept_a).letter
    assert (before.time_limit_days, after.time_limit_days) == (5, 3)
    assert after.due_date == dt.date(2026, 10, 13)  # 10/10 (调休), 10/12, 10/13
