"""Every step of a case after registration: one atomic, audited service per transition.

Each service locks the case row, checks the actor's role and the transition table
(``gongkai.domain.casestates``), changes the case, recomputes its deadline, issues the letter
the step calls for, and writes one audit event — all in one transaction, so an error leaves
the case exactly as it was. Notices to people go out after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction

from gongkai.apps.accounts.models import Role, User, staff_user
from gongkai.apps.accounts.permissions import can_act_for_agency
from gongkai.apps.applications import due
from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import (
    CONSULT_KINDS,
    CONSULT_OUTCOMES,
    Application,
    CaseDocument,
    CaseLetter,
    CaseRules,
    CaseStep,
    DocumentKind,
    FeeTierRow,
    LetterType,
    StepKind,
)
from gongkai.apps.applications.permissions import can_act
from gongkai.apps.applications.services.common import (
    AUDIT_FIELDS,
    check_date,
    facts,
    lock,
    on_time,
    refresh_clock,
    step_add,
    step_current,
    step_save,
    today,
)
from gongkai.apps.applications.services.intake import (
    _delete_files,
    _store_document,
    application_register,
    clean_notice_contacts,
)
from gongkai.apps.applications.services.letters import cn, issue_letter, letter_values
from gongkai.apps.applications.uploads import check_upload
from gongkai.apps.audit.frame import Actor, Step, transition
from gongkai.apps.audit.services import audit_record
from gongkai.apps.notifications.delivery import Message, deliver
from gongkai.apps.notifications.services import notify
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.rendition import RenditionBlocked, privacy_render_file
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import ReviewSource, privacy_assert_publishable, privacy_review
from gongkai.apps.workcalendar.selectors import calendar_current, ruleset_for_date
from gongkai.domain.casestates import (
    CASE_STATES,
    ApplicationAction,
    CaseAction,
    CaseFacts,
    CaseState,
    ExtensionStatus,
    allowed_decisions,
    refusal,
)
from gongkai.domain.deadlines import (
    DeadlineInputError,
    ReceiptChannel,
    served_period,
    service_date,
    set_period,
)
from gongkai.domain.decisions import DECISIONS, DECISIONS_BY_CODE
from gongkai.domain.fees import (
    NATIONAL_2020_TIERS,
    FeeError,
    FeeMethod,
    FeeTier,
    quote,
    tiers_for,
)

_A = CaseAction
ALL_DECISION_CODES = tuple(d.code for d in DECISIONS)
# on the decision taxonomy (domain.decisions): reasons the reply must state, information it gives
REASONS_REQUIRED = {d.code for d in DECISIONS if d.requires_reasons}
RELEASE_DECISIONS = {d.code for d in DECISIONS if d.releases_information}


def _on(on: dt.date | None) -> dt.date:
    return on or today()


def _notify(users: Sequence[Any], title: str, application: Application, body: str = "") -> None:
    recipients = [u for u in users if u is not None]
    if recipients:
        app_id = application.pk
        transaction.on_commit(
            lambda: notify(
                recipients,
                title=title,
                body=body,
                url=f"/backoffice/applications/{app_id}/",
                kind="application",
            )
        )


def _notify_applicant(application: Application, title: str, letter: CaseLetter) -> None:
    """Tell the applicant a letter was issued: in the portal inbox (with an account), by
    e-mail and text message where they asked for it; each delivery is kept as evidence."""
    app = application
    public_id = app.public_id
    url = f"/track/{public_id}/" if app.applicant_user_id else "/track/"
    where = (
        "请登录后在“我的政府信息公开申请”中查看"
        if app.applicant_user_id
        else "请凭登记号和查询码在政府信息公开网站“查询办理进度”中查看"
    )
    body = (
        f"{app.applicant_name}：\n"
        f"{app.agency.name}已于{cn(letter.issued_on)}就您的政府信息公开申请"
        f"（登记号{app.number}）作出《{letter.title}》（{letter.number}）。"
        f"{where}并下载文书。\n"
        f"文书摘要（SHA-256）：{letter.sha256}"
    )
    sms = f"【{app.agency.name}】{title}：已作出《{letter.title}》（{letter.number}），{where}。"
    message = Message(
        title=title,
        body=body,
        url=url,
        sms=sms,
        kind="application.applicant",
        document_title=letter.title,
        document_number=letter.number,
        document_sha256=letter.sha256,
    )
    user = app.applicant_user if app.applicant_user_id else None
    deliver(
        message,
        user=user,
        email=app.notice_email,
        phone=app.notice_phone,
        subject=app,
        agency_id=app.agency_id,
    )


def _agency_staff(agency_id: int, *roles: str) -> list[User]:
    return list(
        User.objects.filter(agency_id=agency_id, is_active=True, role_grants__role__in=roles)
        .distinct()
        .order_by("id")
    )


def _check_officer(application: Application, officer: Actor) -> None:
    if officer is None or not can_act_for_agency(
        officer, application.agency_id, Role.OFFICER, Role.HEAD
    ):
        raise InvalidInput(
            "承办人须为本机关的公开专员或公开办负责人", {"officer": "请选择本机关的公开专员"}
        )


def _required(value: str | None, key: str, message: str) -> str:
    """The text stripped; the error on the form field ``key`` when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, {key: message})
    return value


def _not_before(on: dt.date, earlier: dt.date | None, message: str, on_message: str) -> None:
    """A step's date may not precede the step it answers (when that step happened)."""
    if earlier and on < earlier:
        raise InvalidInput(message, {"on": on_message})


@dataclass
class _Step:
    """One step in progress inside the shared frame: the locked case (already in the state
    the table gives), the facts it had on entry, and what the audit event adds."""

    frame: Step
    on: dt.date
    facts: CaseFacts
    saved: list[str]

    @property
    def app(self) -> Application:
        return cast(Application, self.frame.obj)

    @property
    def extra(self) -> dict[str, Any]:
        return self.frame.extra

    def store(self, kind: str, files: Sequence[tuple[str, bytes]]) -> None:
        """Keep uploaded files with the case (removed again should the step fail)."""
        for name, content in files:
            _store_document(
                self.app,
                kind=kind,
                name=name,
                content=content,
                actor=self.frame.actor,
                saved=self.saved,
            )


@contextmanager
def _transition(
    actor: Actor,
    application: Application,
    action: CaseAction,
    on: dt.date,
    *,
    date_label: str = "",
    applicant_verified: bool = False,
) -> Iterator[_Step]:
    """The shared frame (``gongkai.apps.audit.frame.transition``) for one step of a case: one
    transaction, the case row locked, the actor's role (not when the applicant acts through
    the verified public page) and the case's facts checked against the transition table, the
    date checked (``date_label`` names it in errors), the state set from ``CASE_STATES`` before
    the block runs (the deadline is computed from it), the case saved and one audit event with
    the diff, the step's extra facts and its date. Files stored through the step are deleted
    again if anything fails."""
    saved: list[str] = []
    entry: list[CaseFacts] = []

    def check(app: Application) -> None:
        entry.append(facts(app, on))
        reason = refusal(entry[0], action)
        if reason is not None:
            raise NotAllowed(reason)
        if date_label:
            check_date(app, on, date_label)

    try:
        with transition(
            actor=actor,
            obj=application,
            action=action.audit,
            fields=AUDIT_FIELDS,
            table=CASE_STATES,
            may=None if applicant_verified else (lambda who, app: can_act(who, app, action)),
            refuse=NotAllowed,
            denied=f"您没有权限{action.label}",
            label=application.number,
            check=check,
            state_first=True,
            changed_at="state_changed_at",
            lock=lock,
        ) as frame:
            step = _Step(frame=frame, on=on, facts=entry[0], saved=saved)
            yield step
            step.extra["on"] = on
    except BaseException:
        _delete_files(saved)
        raise


# ── 受理 / 分派 ─────────────────────────────────────────────────────────────────────────


def application_accept(
    *,
    actor: Actor,
    application: Application,
    officer: Actor | None = None,
    on: dt.date | None = None,
) -> Application:
    """受理: the case is accepted and assigned to a 公开专员 (the actor when none is named)."""
    on = _on(on)
    with _transition(actor, application, _A.ACCEPT, on, date_label="受理日期") as step:
        app = step.app
        officer = officer or actor
        if officer.pk != getattr(actor, "pk", None) and not can_act_for_agency(
            actor, app.agency_id, Role.HEAD
        ):
            raise NotAllowed("只有公开办负责人可以把申请分派给其他承办人")
        _check_officer(app, officer)
        app.officer = staff_user(officer)
        app.accepted_on = on
        refresh_clock(app)
        if officer.pk != getattr(actor, "pk", None):
            _notify([officer], f"您被指定承办政府信息公开申请 {app.number}", app)
    return app


def application_assign(*, actor: Actor, application: Application, officer: Actor) -> Application:
    """改派: the head gives the case to another 公开专员."""
    with _transition(actor, application, _A.ASSIGN, today()) as step:
        app = step.app
        _check_officer(app, officer)
        if app.officer_id == officer.pk:
            raise InvalidInput("该申请已由此人承办", {"officer": "请选择其他承办人"})
        app.officer = staff_user(officer)
        _notify([officer], f"您被指定承办政府信息公开申请 {app.number}", app)
    return app


# ── 补正 (条例第三十条) ─────────────────────────────────────────────────────────────────


def application_correction_request(
    *,
    actor: Actor,
    application: Application,
    items: str,
    until: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """补正告知: one notice listing every item, within 7 working days of receipt; the answer
    period restarts when the corrected request arrives."""
    on = _on(on)
    items = _required(items, "items", "请逐项列明需要补正的事项")
    with _transition(
        actor, application, _A.CORRECTION_REQUEST, on, date_label="补正告知日期"
    ) as step:
        app = step.app
        # 条例第三十条 asks for the notice within 7 working days; a late notice is still sent
        # (the applicant needs to know what to supply) and is recorded as late (ADR 0010)
        late = app.correction_notice_due is not None and on > app.correction_notice_due
        if until is None:
            until = due.add_working_days(on, CaseRules.current().correction_days).on
        if until <= on:
            raise InvalidInput("补正期限应晚于告知日期", {"until": "补正期限应晚于告知日期"})
        correction = step_add(
            app, StepKind.CORRECTION, on, actor=actor, until=until, details={"items": items}
        )
        refresh_clock(app)
        letter = issue_letter(actor=actor, application=app, kind=LetterType.CORRECTION, on=on)
        correction.letter = letter
        step_save(app, correction)
        step.extra.update(
            {"letter": letter.number, "letter_sha256": letter.sha256, "late_notice": late}
        )
        _notify_applicant(app, f"您的申请 {app.number} 需要补正", letter)
    return app


def application_correction_receive(
    *,
    actor: Actor,
    application: Application,
    on: dt.date | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    note: str = "",
    applicant_verified: bool = False,
) -> Application:
    """The corrected request arrives (uploaded by the applicant, or registered by staff): the
    case returns to 办理 and the answer period counts again from this day."""
    on = _on(on)

    for name, content in files:
        check_upload(name, content)
    if applicant_verified and not files and not note.strip():
        raise InvalidInput(
            "请上传补正材料或填写补正说明", {"files": "请上传补正材料或填写补正说明"}
        )
    with _transition(
        actor,
        application,
        _A.CORRECTION_RECEIVE,
        on,
        date_label="收到补正材料日期",
        applicant_verified=applicant_verified,
    ) as step:
        app = step.app
        _not_before(
            on, app.correction_sent_on, "收到补正材料日期不能早于补正告知日期", "日期不正确"
        )
        step.store(DocumentKind.CORRECTION, files)
        correction = step_current(app, StepKind.CORRECTION)
        correction.ended_on = on
        correction.outcome = "received"
        if note.strip():
            correction.details["items"] = (
                f"{correction.details.get('items', '')}\n\n【申请人补正说明】{note.strip()}"
            )
        step_save(app, correction)
        refresh_clock(app)
        step.extra.update(
            {
                "files": len(files),
                "late": bool(app.correction_until and on > app.correction_until),
            }
        )
        _notify([app.officer], f"申请 {app.number} 已收到补正材料", app)
    return app


# ── 征求意见 (条例第三十二条、第三十四条) ──────────────────────────────────────────────


def application_consult_start(
    *,
    actor: Actor,
    application: Application,
    kind: str,
    party: str,
    matters: str,
    on: dt.date | None = None,
) -> Application:
    """征求意见: a letter to the third party or agency; the clock stands still meanwhile."""
    on = _on(on)
    if kind not in CONSULT_KINDS:
        raise InvalidInput("请选择征求意见的对象", {"kind": "请选择第三方或其他机关"})
    party = _required(party, "party", "请填写被征求意见方")
    matters = _required(matters, "matters", "请写明征求意见的内容")
    with _transition(actor, application, _A.CONSULT_START, on, date_label="征求意见日期") as step:
        app = step.app
        consultation = step_add(
            app,
            StepKind.CONSULTATION,
            on,
            actor=actor,
            party=party[:200],
            details={"consult_kind": kind, "matters": matters[:2000]},
        )
        refresh_clock(app)
        letter = issue_letter(
            actor=actor,
            application=app,
            kind=LetterType.CONSULTATION,
            variant=kind,
            on=on,
            addressee=party,
            values=letter_values(app, 征求意见事项=matters),
            to_applicant=False,
        )
        consultation.letter = letter
        step_save(app, consultation)
        step.extra.update({"party": party, "letter": letter.number, "letter_sha256": letter.sha256})
    return app


def application_consult_end(
    *,
    actor: Actor,
    application: Application,
    outcome: str,
    note: str = "",
    on: dt.date | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> Application:
    """The opinion arrives (or the time runs out): the clock runs again."""
    on = _on(on)
    if outcome not in CONSULT_OUTCOMES:
        raise InvalidInput("请选择征求意见结果", {"outcome": "请选择征求意见结果"})
    with _transition(actor, application, _A.CONSULT_END, on, date_label="收到意见日期") as step:
        app = step.app
        _not_before(on, app.consult_started_on, "收到意见日期不能早于征求意见日期", "日期不正确")
        step.store(DocumentKind.CONSULT_REPLY, files)
        consultation = step_current(app, StepKind.CONSULTATION)
        consultation.ended_on = on
        consultation.outcome = outcome
        if note.strip():
            consultation.details["note"] = note.strip()[:2000]
        step_save(app, consultation)
        refresh_clock(app)
        step.extra.update({"outcome": CONSULT_OUTCOMES[outcome], "note": note.strip()[:500]})
    return app


# ── 延期 (条例第三十三条第二款) ──────────────────────────────────────────────────────────


def _extension_max(app: Application) -> int:
    return ruleset_for_date(app.received_on).extension_max_days


def application_extension_request(
    *, actor: Actor, application: Application, days: int, reason: str, on: dt.date | None = None
) -> Application:
    """The officer asks the office head to extend the answer period."""
    on = _on(on)
    reason = _required(reason, "reason", "请填写延期理由")
    with _transition(actor, application, _A.EXTENSION_REQUEST, on) as step:
        app = step.app
        limit = _extension_max(app)
        if not 1 <= int(days) <= limit:
            raise InvalidInput(
                f"延长期限应为1至{limit}个工作日", {"days": f"延长期限应为1至{limit}个工作日"}
            )
        if app.due_date is not None and on > app.due_date:
            raise NotAllowed(f"答复期限已于{cn(app.due_date)}届满，不能再申请延期")
        app.extension_status = ExtensionStatus.REQUESTED.value
        step_add(
            app,
            StepKind.EXTENSION,
            on,
            actor=actor,
            outcome=ExtensionStatus.REQUESTED.value,
            details={"days": int(days), "reason": reason},
        )
        _notify(
            _agency_staff(app.agency_id, Role.HEAD),
            f"延期申请待审批：{app.number}",
            app,
            f"申请延长{days}个工作日。理由：{reason}",
        )
    return app


def application_extension_approve(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Application:
    """The head approves: the deadline moves and the applicant gets the 延期答复告知书."""
    on = _on(on)
    with _transition(actor, application, _A.EXTENSION_APPROVE, on, date_label="批准日期") as step:
        app = step.app
        if app.due_date is not None and on > app.due_date:
            raise NotAllowed(f"答复期限已于{cn(app.due_date)}届满，不能批准延期")
        old_due = app.due_date
        app.extension_status = ExtensionStatus.APPROVED.value
        extension = step_current(app, StepKind.EXTENSION)
        extension.outcome = ExtensionStatus.APPROVED.value
        extension.ended_on = on
        extension.details["decided_by"] = getattr(actor, "pk", None)
        step_save(app, extension)
        refresh_clock(app)
        letter = issue_letter(
            actor=actor,
            application=app,
            kind=LetterType.EXTENSION,
            on=on,
            values=letter_values(
                app,
                原答复期限=cn(old_due) or "原答复期限",
                新答复期限=due.letter_date(app.due),
            ),
        )
        app.due_notified_on = app.due_date if app.due_provisional else None
        extension.letter = letter
        step_save(app, extension)
        step.extra.update({"letter": letter.number, "letter_sha256": letter.sha256})
        _notify([app.officer], f"延期已批准：{app.number}", app)
        _notify_applicant(app, f"您的申请 {app.number} 答复期限已延长", letter)
    return app


def application_extension_reject(
    *, actor: Actor, application: Application, comment: str, on: dt.date | None = None
) -> Application:
    on = _on(on)
    comment = _required(comment, "comment", "请填写不批准的理由")
    with _transition(actor, application, _A.EXTENSION_REJECT, on) as step:
        app = step.app
        app.extension_status = ExtensionStatus.REJECTED.value
        extension = step_current(app, StepKind.EXTENSION)
        extension.outcome = ExtensionStatus.REJECTED.value
        extension.ended_on = on
        extension.details.update(
            {
                "decided_by": getattr(actor, "pk", None),
                "requested_days": extension.details.get("days", 0),
                "days": 0,
                "comment": comment[:500],
            }
        )
        step_save(app, extension)
        step.extra.update({"comment": comment[:500]})
        _notify([app.officer], f"延期未获批准：{app.number}", app, comment)
    return app


# ── 收费 (条例第四十二条; 信息处理费管理办法) ──────────────────────────────────────────


def fee_tiers(on: dt.date) -> list[FeeTier]:
    """The tier rows administrators maintain; the 2020 national tiers when there are none."""
    rows = list(FeeTierRow.objects.all())
    if not rows:
        return list(NATIONAL_2020_TIERS)
    return [
        FeeTier(
            FeeMethod(r.method),
            r.lower,
            r.upper,
            r.unit_price,
            r.step,
            r.step_increase,
            r.valid_from,
            r.valid_to,
        )
        for r in rows
    ]


def prior_month_items(app: Application) -> int:
    """按件计收 counts 件 — the items of information requested — not applications: the 件 of the
    applicant's earlier requests to this agency in the natural month, as charged or counted
    on each (``fee_units`` of a 按件 notice; one 件 for a request that was not charged)."""
    earlier = list(
        Application.objects.filter(
            agency_id=app.agency_id,
            applicant_key=app.applicant_key,
            received_on__year=app.received_on.year,
            received_on__month=app.received_on.month,
            id__lt=app.pk,
        ).values_list("pk", flat=True)
    )
    notices: dict[int, dict[str, Any]] = {}  # each case's latest fee notice
    for app_id, details in (
        CaseStep.objects.filter(application_id__in=earlier, kind=StepKind.FEE)
        .order_by("started_on", "id")
        .values_list("application_id", "details")
    ):
        notices[app_id] = details
    total = 0
    for app_id in earlier:
        notice = notices.get(app_id, {})
        units = notice.get("units") or 0
        total += units if notice.get("method") == FeeMethod.PER_ITEM.value and units else 1
    return total


FEE_PAYMENT_BASIS = (
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）：申请人应当自收到收费通知之日起"
    "{days}个工作日内缴纳；收费通知的送达之日按条例第三十一条同样的规则确定"
)


def fee_period(app: Application) -> Any:
    """The payment period counted from the 送达 date, day by day; None until it is known."""
    if app.fee_noticed_on is None or app.fee_served_on is None:
        return None
    days = ruleset_for_date(app.received_on).fee_payment_days
    if not days:
        return None
    return served_period(
        calendar_current(),
        name="缴费期限",
        basis=FEE_PAYMENT_BASIS.format(days=days),
        sent=app.fee_noticed_on,
        served=app.fee_served_on,
        channel=app.fee_delivery or ReceiptChannel.IN_PERSON.value,
        working_days=days,
    )


def _fee_days(app: Application) -> int:
    return ruleset_for_date(app.received_on).fee_payment_days


def _served(delivery: str, sent: dt.date, served_on: dt.date | None) -> dt.date | None:
    try:
        return service_date(delivery, sent=sent, signed_for=served_on, confirmed=served_on)
    except DeadlineInputError as exc:
        raise InvalidInput(str(exc), {"served_on": str(exc)}) from exc


def fee_quote(application: Application, method: str, units: int, on: dt.date | None = None):
    on = _on(on)
    try:
        fee_method = FeeMethod(method)
        tiers = tiers_for(fee_method, fee_tiers(on), on)
        prior = prior_month_items(application) if fee_method is FeeMethod.PER_ITEM else 0
        return quote(fee_method, units=int(units), tiers=tiers, prior_units=prior)
    except (FeeError, ValueError) as exc:
        raise InvalidInput(str(exc) or "收费参数不正确", {"units": str(exc)}) from exc


def application_fee_notice(
    *,
    actor: Actor,
    application: Application,
    method: str,
    units: int,
    on: dt.date | None = None,
    delivery: str = ReceiptChannel.IN_PERSON.value,
    served_on: dt.date | None = None,
) -> Application:
    """收费通知: the fee per the tiers in force; the clock stops from the day it is sent until
    payment. The applicant pays within 20 working days of the day the notice is served
    (送达): handed over at once in person; by post the day it is signed for, online the day
    the applicant confirms — not yet known when it is sent, then recorded with
    :func:`application_fee_served`."""
    on = _on(on)
    with _transition(actor, application, _A.FEE_NOTICE, on, date_label="收费通知日期") as step:
        app = step.app
        result = fee_quote(app, method, units, on)
        if result.amount == 0:
            raise InvalidInput(
                "按现行收费标准，本申请不需收取信息处理费", {"units": "本申请不需收费"}
            )
        served = _served(delivery, on, served_on)
        if served is not None and served > today():
            raise InvalidInput("送达日期不能晚于今天", {"served_on": "送达日期不能晚于今天"})
        fee = step_add(
            app,
            StepKind.FEE,
            on,
            actor=actor,
            details={
                "method": result.method.value,
                "units": result.units,
                "amount": result.amount,
                "delivery": ReceiptChannel(delivery).value,
                "served_on": served.isoformat() if served else None,
            },
        )
        app.fee_pay_until = None
        refresh_clock(app)
        period = fee_period(app)
        pay_until = period.due if period is not None else None
        app.fee_pay_until = pay_until
        letter = issue_letter(
            actor=actor,
            application=app,
            kind=LetterType.FEE,
            on=on,
            values=letter_values(
                app,
                收费明细="\n".join(f"　　{line}" for line in result.explain()),
                缴费期限=(
                    due.letter_day(pay_until)
                    if pay_until is not None
                    else f"自送达之日起算的第{_fee_days(app)}个工作日"
                ),
            ),
        )
        fee.letter = letter
        step_save(app, fee)
        step.extra.update({"letter": letter.number, "letter_sha256": letter.sha256})
        _notify_applicant(app, f"您的申请 {app.number} 需缴纳信息处理费", letter)
    return app


def application_fee_served(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Application:
    """登记收费通知送达: the day a posted notice was signed for (or an electronic one confirmed);
    the payment period is counted from it, day by day."""
    on = _on(on)
    with _transition(actor, application, _A.FEE_SERVED, on, date_label="送达日期") as step:
        app = step.app
        _not_before(on, app.fee_noticed_on, "送达日期不能早于收费通知发出之日", "日期不正确")
        fee = step_current(app, StepKind.FEE)
        fee.details["served_on"] = on.isoformat()
        step_save(app, fee)
        period = fee_period(app)
        app.fee_pay_until = period.due if period is not None else None
        refresh_clock(app)
        step.extra.update({"pay_until": cn(app.fee_pay_until)})
    return app


def application_fee_paid(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Application:
    on = _on(on)
    with _transition(actor, application, _A.FEE_PAID, on, date_label="缴费日期") as step:
        app = step.app
        _not_before(on, app.fee_noticed_on, "缴费日期不能早于收费通知日期", "日期不正确")
        fee = step_current(app, StepKind.FEE)
        fee.ended_on = on
        fee.outcome = "paid"
        step_save(app, fee)
        refresh_clock(app)
    return app


# ── 数量、频次明显超过合理范围 (条例第三十五条) ─────────────────────────────────────────

REASONS_BASIS = (
    "《中华人民共和国政府信息公开条例》第三十五条：申请人申请公开政府信息的数量、频次明显超过"
    "合理范围，行政机关可以要求申请人说明理由"
)


def reasons_period(app: Application) -> Any:
    """The applicant's time to give reasons, from the notice to the date it set, day by day;
    None when no reasons were asked for."""
    if app.reasons_requested_on is None or app.reasons_until is None:
        return None
    return set_period(
        calendar_current(),
        name="说明理由期限",
        basis=REASONS_BASIS,
        start=app.reasons_requested_on,
        until=app.reasons_until,
    )


def application_reasons_request(
    *,
    actor: Actor,
    application: Application,
    grounds: str,
    until: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """要求说明理由: the requests are clearly beyond a reasonable number or frequency; the
    applicant is told why and by when to give reasons. The answer period runs on (the 条例
    excludes only consultation time); reasonable reasons that cannot be answered in time get
    a later date with :func:`application_reasons_accept`, none or unreasonable ones a reply
    不予处理 (``ignored.excessive``)."""
    on = _on(on)
    grounds = _required(
        grounds, "grounds", "请写明申请数量、频次明显超过合理范围的情况（如近30日内申请的件数）"
    )
    with _transition(
        actor, application, _A.REASONS_REQUEST, on, date_label="要求说明理由日期"
    ) as step:
        app = step.app
        if until is None:
            until = due.add_working_days(on, CaseRules.current().reasons_days).on
        if until <= on:
            raise InvalidInput(
                "说明理由期限应晚于告知日期", {"until": "说明理由期限应晚于告知日期"}
            )
        reasons = step_add(
            app, StepKind.REASONS, on, actor=actor, until=until, details={"grounds": grounds[:2000]}
        )
        refresh_clock(app)
        letter = issue_letter(actor=actor, application=app, kind=LetterType.REASONS, on=on)
        reasons.letter = letter
        step_save(app, reasons)
        step.extra.update(
            {"letter": letter.number, "letter_sha256": letter.sha256, "until": cn(until)}
        )
        _notify_applicant(app, f"请就您的申请 {app.number} 说明理由", letter)
    return app


def application_reasons_accept(
    *,
    actor: Actor,
    application: Application,
    note: str = "",
    until: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """The reasons are reasonable: handling goes on. When the 第三十三条 period cannot be met,
    ``until`` is the reasonable later answer date; the applicant gets the 延迟答复告知书 and the
    deadline runs on to it, day by day."""
    on = _on(on)
    with _transition(
        actor, application, _A.REASONS_ACCEPT, on, date_label="认可申请理由日期"
    ) as step:
        app = step.app
        _not_before(
            on, app.reasons_requested_on, "认可日期不能早于要求说明理由的日期", "日期不正确"
        )
        old_due = app.due_date
        if until is not None:
            if old_due is not None and until <= old_due:
                raise InvalidInput(
                    f"延迟答复期限应晚于现在的答复期限（{cn(old_due)}）；能在期限内答复的无需延迟",
                    {"until": "应晚于现在的答复期限"},
                )
            if old_due is not None and on > old_due:
                raise NotAllowed(f"答复期限已于{cn(old_due)}届满，不能再确定延迟答复期限")
            deferral = step_add(app, StepKind.DEFERRAL, on, actor=actor, until=until)
        reasons = step_current(app, StepKind.REASONS)
        reasons.ended_on = on
        reasons.outcome = "accepted"
        if note.strip():
            reasons.details["note"] = note.strip()[:2000]
        step_save(app, reasons)
        refresh_clock(app)
        extra: dict[str, Any] = {"note": note.strip()[:500]}
        if until is not None:
            letter = issue_letter(
                actor=actor,
                application=app,
                kind=LetterType.DEFERRAL,
                on=on,
                values=letter_values(
                    app, 原答复期限=cn(old_due) or "原答复期限", 新答复期限=due.letter_date(app.due)
                ),
            )
            app.due_notified_on = app.due_date if app.due_provisional else None
            deferral.letter = letter
            step_save(app, deferral)
            extra.update({"letter": letter.number, "letter_sha256": letter.sha256})
        step.extra.update(extra)
        if until is not None:
            _notify_applicant(app, f"您的申请 {app.number} 将延迟答复", letter)
    return app


# ── 答复: draft, review, issue ───────────────────────────────────────────────────────────


def application_reply_draft(
    *,
    actor: Actor,
    application: Application,
    decision: str,
    text: str,
    referred_agency: Any = None,
    referred_other: str = "",
    forward: bool = False,
    on: dt.date | None = None,
) -> Application:
    """The officer drafts the reply with its decision; it goes to 审核."""
    on = _on(on)
    text = (text or "").strip()
    with _transition(actor, application, _A.REPLY_DRAFT, on) as step:
        app = step.app
        allowed = allowed_decisions(step.facts, ALL_DECISION_CODES)
        if decision not in allowed:
            label = DECISIONS_BY_CODE[decision].label if decision in DECISIONS_BY_CODE else decision
            raise InvalidInput(
                f"该申请当前不能作出“{label}”的答复", {"decision": "请选择可用的答复类型"}
            )
        if decision in REASONS_REQUIRED and not text:
            raise InvalidInput(
                "请写明答复意见（不予公开、部分公开、不属于本机关负责公开须说明理由；"
                "已主动公开须告知获取途径）",
                {"text": "请写明答复意见"},
            )
        referred_other = (referred_other or "").strip()
        if decision == "not_this_agency":
            # 条例第三十六条第（五）项: the responsible agency is named where it can be
            # determined; when it cannot, the letter says so (the reasons are required)
            if referred_agency is not None and referred_agency.pk == app.agency_id:
                raise InvalidInput(
                    "负责公开的机关不能是本机关", {"referred_agency": "请选择其他机关"}
                )
            if forward and referred_agency is None:
                raise InvalidInput("只能转交本平台上的机关", {"forward": "请选择平台上的机关"})
        else:
            referred_agency, referred_other, forward = None, "", False
        released = app.documents.filter(kind=DocumentKind.RELEASED, withdrawn=False)
        if (
            decision in RELEASE_DECISIONS
            and app.provide_form != "inspect"
            and not released.exists()
        ):
            raise InvalidInput(
                "予以公开或部分公开的，请先上传向申请人提供的政府信息（如选择查阅，可不上传）",
                {"decision": "请先上传拟公开的政府信息"},
            )
        draft = app.current_step(StepKind.DRAFT)
        if draft is None or draft.ended_on is not None:
            draft = step_add(app, StepKind.DRAFT, on, actor=actor)
        draft.actor = staff_user(actor)
        draft.details = {"decision": decision, "text": text[:20000]}
        step_save(app, draft)
        app.referred_agency = referred_agency
        app.referred_other = referred_other[:300]
        app.forward = bool(forward)
        app.review_comment = ""
        if decision in RELEASE_DECISIONS:
            _privacy_review(actor, app, list(released))
        _notify(
            _agency_staff(app.agency_id, Role.REVIEWER, Role.HEAD),
            f"答复待审核：{app.number}",
            app,
        )
    return app


def _privacy_review(actor: Actor, app: Application, documents: list[CaseDocument]) -> None:
    """Released files pass the privacy review before the reply goes out."""
    sources = []
    for document in documents:
        with document.file.open("rb") as handle:
            sources.append(
                ReviewSource(
                    label=f"附件：{document.original_name}",
                    filename=document.original_name,
                    content=handle.read(),
                )
            )
    privacy_review(actor=actor, target=app, agency_id=app.agency_id, sources=sources)


def _privacy_check(app: Application) -> None:
    try:
        privacy_assert_publishable(app)
    except PrivacyBlocked as exc:
        raise NotAllowed(
            f"拟公开的文件尚未通过隐私审查：{exc}。请在“隐私审查”中处理后再审核通过。"
        ) from exc


def released_render(actor: Actor, app: Application) -> int:
    """Make the applicant's copy of every released file from the privacy review's decisions
    (masked in its own format); a file with no public form stops the approval with the
    reason. Returns how many files were made."""
    from django.core.files.base import ContentFile

    review = privacy_review_latest(app)
    documents = list(app.documents.filter(kind=DocumentKind.RELEASED, withdrawn=False))
    rendered = []
    for document in documents:
        with document.file.open("rb") as handle:
            content = handle.read()
        try:
            rendered.append(
                (document, privacy_render_file(document.original_name, content, review=review))
            )
        except RenditionBlocked as exc:
            raise NotAllowed(f"拟公开的文件无法生成送申请人的版本：{exc}") from exc
    for document, out in rendered:
        if document.released_file:
            document.released_file.delete(save=False)
        document.released_file.save("released", ContentFile(out.content), save=False)
        document.released_sha256 = hashlib.sha256(out.content).hexdigest()
        document.released_note = out.note[:300]
        document.save(update_fields=["released_file", "released_sha256", "released_note"])
    if rendered:
        audit_record(
            actor=actor,
            action=ApplicationAction.RELEASED_RENDER,
            obj=app,
            agency_id=app.agency_id,
            after={"files": [{"name": d.original_name, "note": o.note} for d, o in rendered]},
        )
    return len(rendered)


def released_refresh(actor: Actor, object_id: str) -> None:
    """A decision on the case's review changed after the reply: the applicant's copies follow
    (a copy that can no longer be made is taken away rather than left unmasked)."""
    app = Application.objects.select_for_update().filter(pk=object_id).first()
    if app is None or app.state not in (CaseState.REPLIED, CaseState.DELIVERED, CaseState.ARCHIVED):
        return
    try:
        released_render(actor, app)
    except NotAllowed:
        for document in app.documents.filter(kind=DocumentKind.RELEASED):
            if document.released_file:
                document.released_file.delete(save=False)
            document.released_sha256 = ""
            document.released_note = "隐私审查变更后无法生成送申请人的版本"
            document.save(update_fields=["released_file", "released_sha256", "released_note"])


def application_reply_return(
    *, actor: Actor, application: Application, comment: str
) -> Application:
    comment = _required(comment, "comment", "请填写退回意见")
    with _transition(actor, application, _A.REPLY_RETURN, today()) as step:
        app = step.app
        app.review_comment = comment[:2000]
        draft = step_current(app, StepKind.DRAFT)
        draft.ended_on = step.on
        draft.outcome = "returned"
        draft.details["review_comment"] = comment[:2000]
        step_save(app, draft)
        step.extra.update({"comment": comment[:500]})
        _notify([app.draft_by or app.officer], f"答复被退回修改：{app.number}", app, comment)
    return app


def application_reply_approve(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Application:
    """审核通过: the reply letter is numbered and issued; the case is 答复 (closed for the
    deadline). A 不属于本机关 reply may forward the request to the responsible agency."""
    on = _on(on)
    with _transition(actor, application, _A.REPLY_APPROVE, on, date_label="答复日期") as step:
        app = step.app
        if app.draft_by_id is not None and app.draft_by_id == getattr(actor, "pk", None):
            raise NotAllowed("审核人不能审核自己拟写的答复，请由其他审核人或负责人审核")
        if (
            app.draft_decision in RELEASE_DECISIONS
            and app.documents.filter(kind=DocumentKind.RELEASED, withdrawn=False).exists()
        ):
            _privacy_check(app)
            released_render(actor, app)  # what the applicant receives (ADR 0032)
        forwarded = None
        extra_values: dict[str, str] = {}
        if app.forward and app.referred_agency is not None:
            forwarded = _forward(actor, app, on)
            extra_values["转交说明"] = (
                f"本机关已将您的申请转交该机关办理，登记号为{forwarded.number}，"
                "您可以凭原查询码查询办理情况。"
            )
        app.decision = app.draft_decision
        app.reviewer = staff_user(actor)
        app.closed_on = on
        app.on_time = on_time(app, on)
        letter = issue_letter(
            actor=actor,
            application=app,
            kind=LetterType.REPLY,
            variant=app.decision,
            on=on,
            values=letter_values(app, **extra_values),
        )
        draft = step_current(app, StepKind.DRAFT)
        draft.ended_on = on
        draft.outcome = "approved"
        draft.letter = letter
        step_save(app, draft)
        step.extra.update(
            {
                "letter": letter.number,
                "letter_sha256": letter.sha256,
                "forwarded_to": forwarded.number if forwarded else None,
            }
        )
        _notify([app.officer], f"答复已审核通过：{app.number}，请及时送达", app)
        _notify_applicant(app, f"您的申请 {app.number} 已答复", letter)
    return app


def _forward(actor: Actor, app: Application, on: dt.date) -> Application:
    applicant = {
        "type": app.applicant_type,
        "name": app.applicant_name,
        "id_type": app.applicant_id_type,
        "id_number": app.applicant_id_number,
        "contact_person": app.applicant_contact_person,
        "phone": app.applicant_phone,
        "email": app.applicant_email,
        "address": app.applicant_address,
        "postcode": app.applicant_postcode,
    }
    forwarded = application_register(
        actor=actor,
        agency=app.referred_agency,
        channel=app.channel,
        applicant=applicant,
        description=app.description,
        received_on=on,
        submitted_on=on,
        form=app.provide_form,
        delivery=app.delivery,
        source_note=f"由{app.agency.name}转交（原登记号{app.number}）",
        purpose=app.purpose,
        applicant_user=app.applicant_user,
        forwarded_from=app,
    )
    # the applicant's choice of notices follows the request to the agency that now has it
    Application.objects.filter(pk=forwarded.pk).update(
        notice_phone=app.notice_phone, notice_email=app.notice_email
    )
    forwarded.notice_phone, forwarded.notice_email = app.notice_phone, app.notice_email
    return forwarded


# ── 送达, 归档, 撤回 ───────────────────────────────────────────────────────────────────────

DELIVERY_CHOICES = {
    "post": "邮寄（EMS等）",
    "email": "电子邮件",
    "pickup": "自行领取",
    "online": "网上送达",
}


def application_deliver(
    *,
    actor: Actor,
    application: Application,
    method: str,
    ref: str = "",
    on: dt.date | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> Application:
    """送达: how and when the reply reached the applicant (EMS number, e-mail receipt …)."""
    on = _on(on)
    if method not in DELIVERY_CHOICES:
        raise InvalidInput("请选择送达方式", {"method": "请选择送达方式"})
    ref = (ref or "").strip()
    if method == "post" and not ref:
        raise InvalidInput("邮寄送达请填写邮件号码", {"ref": "请填写邮件号码"})
    with _transition(actor, application, _A.DELIVER, on, date_label="送达日期") as step:
        app = step.app
        message = "送达日期不能早于答复日期"
        _not_before(on, app.closed_on, message, message)
        step.store(DocumentKind.DELIVERY_PROOF, files)
        app.delivered_on = on
        app.delivery_method = method
        app.delivery_ref = ref[:100]
        step.extra.update({"delivery_ref": app.delivery_ref, "proof_files": len(files)})
    return app


def application_archive(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Application:
    on = _on(on)
    with _transition(actor, application, _A.ARCHIVE, on) as step:
        app = step.app
        app.archived_on = on
    return app


def application_withdraw(
    *,
    actor: Actor,
    application: Application,
    reason: str = "",
    on: dt.date | None = None,
    applicant_verified: bool = False,
) -> Application:
    """The applicant withdraws (online, or in writing registered by staff)."""
    on = _on(on)
    with _transition(
        actor,
        application,
        _A.WITHDRAW,
        on,
        date_label="撤回日期",
        applicant_verified=applicant_verified,
    ) as step:
        app = step.app
        app.withdraw_reason = (reason or "").strip()[:1000]
        app.decision = "other.withdrawn"
        app.closed_on = on
        app.on_time = on_time(app, on)
        step.extra.update({"by_applicant": applicant_verified})
        _notify([app.officer], f"申请人已撤回申请 {app.number}", app)
    return app


def application_notice_contacts_set(
    *,
    actor: Actor,
    application: Application,
    phone: str = "",
    email: str = "",
) -> Application:
    """The applicant (with an account, or with the registration number and query code) leaves
    or changes the phone and e-mail that notices of this case go to; blank stops a channel."""
    channels = [c for c, value in (("sms", phone), ("email", email)) if (value or "").strip()]
    notice_phone, notice_email = clean_notice_contacts(channels, phone=phone, email=email)
    with transaction.atomic():
        app = lock(application)
        before = {"sms": bool(app.notice_phone), "email": bool(app.notice_email)}
        app.notice_phone, app.notice_email = notice_phone, notice_email
        app.save(update_fields=["notice_phone", "notice_email"])
        # the addresses are personal data: the audit chain keeps only which channels are on
        audit_record(
            actor=actor,
            action=ApplicationAction.NOTICE_CONTACTS,
            obj=app,
            agency_id=app.agency_id,
            object_label=app.number,
            before=before,
            after={"sms": bool(notice_phone), "email": bool(notice_email)},
        )
    return app
