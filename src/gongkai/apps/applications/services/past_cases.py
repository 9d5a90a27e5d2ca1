"""Register past cases: an agency moving onto the platform brings its earlier registers.

A past case was received, handled and answered before the platform kept it. It is entered
closed (归档), with the dates its paper register records. What the platform derives it derives
the way it does for a live case, so an imported year counts in the annual report exactly like a
year handled here: the registration number continues the agency's YSQ series of that year, the
time limit is computed by the deadline engine from the working-day calendar and the register's
补正 and 延期 dates (never taken from the register), on time is judged against it, and a case
received under the 2019 条例 gets its reply letter from the live template, numbered in the
agency's reply series and hashed like any letter. Every case leaves one audit event with the
source it came from.

``check_past_case`` judges one register row and says, in Chinese, what is wrong with it;
``register_past_cases`` stores a whole batch in one transaction (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects

from gongkai.apps.applications.due import case_events
from gongkai.apps.applications.models import (
    Application,
    CaseLetter,
    CaseStep,
    RequestChannelChoices,
    StepKind,
)
from gongkai.apps.applications.services.common import take_numbers
from gongkai.apps.applications.services.intake import applicant_key, hash_query_code
from gongkai.apps.applications.services.letters import (
    fill,
    letter_digest,
    letter_number,
    letter_values,
    prefixes,
    template_for,
)
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.workcalendar.selectors import calendar_current, rulesets
from gongkai.documents.table import RowError, TableError, read_rows
from gongkai.domain.casestates import ApplicationAction
from gongkai.domain.deadlines import (
    CaseEvent,
    DeadlineInputError,
    compute_deadline,
    ruleset_for,
)
from gongkai.domain.decisions import DECISIONS_BY_CODE
from gongkai.domain.regulations import RULESET_2019, RuleSet

# earlier replies were written under the 2008 条例 and stay on paper in the archive (their
# wording cited other articles)
REGULATION_2019 = RULESET_2019.valid_from
APPLICANT_FIELDS = frozenset(
    f.name for f in Application._meta.get_fields() if f.name.startswith("applicant_")
)


class PastCaseError(ValueError):
    """A register row that cannot be taken; ``row`` counts from 1 as the register does."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(f"第{row}行：{message}")
        self.row = row
        self.message = message


@dataclass(frozen=True)
class PastCase:
    """One row of an earlier register, as the agency recorded it."""

    agency: Any
    received_on: dt.date
    channel: str
    decision: str
    closed_on: dt.date
    description: str
    applicant: Mapping[str, Any]
    submitted_on: dt.date | None = None
    letter_kind: str = ""
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    correction_sent_on: dt.date | None = None
    correction_until: dt.date | None = None
    correction_received_on: dt.date | None = None
    correction_items: str = ""
    extension_approved_on: dt.date | None = None
    extension_days: int = 0
    extension_reason: str = ""
    referred_other: str = ""
    reason_text: str = ""
    provide_form: str = "paper"
    delivery: str = "post"
    delivery_method: str = "post"
    archived_on: dt.date | None = None
    public_id: uuid.UUID | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def check_past_case(
    case: PastCase, *, row: int, today: dt.date, rules: Sequence[RuleSet]
) -> PastCase:
    """The row as it will be stored, or a PastCaseError naming what is wrong."""
    if case.decision not in DECISIONS_BY_CODE:
        raise PastCaseError(row, f"答复类型“{case.decision}”不是本平台的答复类型")
    if case.channel not in RequestChannelChoices.values:
        raise PastCaseError(row, f"申请方式“{case.channel}”无法识别")
    if case.closed_on > today:
        raise PastCaseError(row, "答复日期晚于今天，往年登记簿只能登记已办结的申请")
    if case.closed_on < case.received_on:
        raise PastCaseError(row, "答复日期早于收到申请之日")
    if case.submitted_on and case.submitted_on > case.received_on:
        raise PastCaseError(row, "提交日期晚于收到申请之日")
    if case.correction_received_on and not case.correction_sent_on:
        raise PastCaseError(row, "登记了补正收到日期，却没有补正告知日期")
    if case.correction_sent_on and case.correction_sent_on < case.received_on:
        raise PastCaseError(row, "补正告知日期早于收到申请之日")
    if case.extension_days and not case.extension_approved_on:
        raise PastCaseError(row, "登记了延长天数，却没有延期批准日期")
    try:
        ruleset = ruleset_for(case.received_on, rules)
    except DeadlineInputError as exc:
        raise PastCaseError(row, str(exc)) from None
    if not 0 <= case.extension_days <= ruleset.extension_max_days:
        raise PastCaseError(
            row, f"延长答复期限最长不超过{ruleset.extension_max_days}个工作日（{ruleset.name}）"
        )
    unknown = set(case.applicant) - APPLICANT_FIELDS
    if unknown:
        raise PastCaseError(row, "申请人信息含无法识别的栏目：" + "、".join(sorted(unknown)))
    if not str(case.applicant.get("applicant_name", "")).strip():
        raise PastCaseError(row, "缺少申请人姓名或名称")
    return case


def _events(case: PastCase) -> list[CaseEvent]:
    """The deadline's inputs: the projection of the steps the case is stored with (ADR 0190)."""
    return case_events(_steps(case, None))


def _application(case: PastCase, number: int, due: dt.date, now: dt.datetime) -> Application:
    year = case.received_on.year
    salt = secrets.token_hex(8)
    return Application(
        public_id=case.public_id or uuid.uuid4(),
        agency=case.agency,
        number=f"YSQ-{year}-{number:06d}",
        year=year,
        seq=number,
        query_code_salt=salt,
        # the applicant of a past case never had a query code: an unguessable one stands in
        query_code_hash=hash_query_code(salt, secrets.token_hex(6)),
        state="archived",
        state_changed_at=now,
        channel=case.channel,
        letter_kind=case.letter_kind,
        provide_form=case.provide_form,
        delivery=case.delivery,
        applicant_key=applicant_key(
            case.applicant.get("applicant_id_type", ""),
            case.applicant.get("applicant_id_number", ""),
        ),
        description=case.description,
        submitted_on=case.submitted_on or case.received_on,
        signed_for_on=case.signed_for_on,
        confirmed_on=case.confirmed_on,
        received_on=case.received_on,
        due_date=max(due, case.closed_on) if case.decision == "other.no_correction" else due,
        accepted_on=case.received_on,
        extension_status="approved" if case.extension_days else "none",
        decision=case.decision,
        referred_other=case.referred_other,
        closed_on=case.closed_on,
        on_time=case.closed_on <= due or case.decision == "other.no_correction",
        delivered_on=case.closed_on,
        delivery_method=case.delivery_method,
        archived_on=case.archived_on or case.closed_on,
        **dict(case.applicant),
        **dict(case.extra),
    )


def _closed_on(app: Application) -> dt.date:
    """The day a past case was answered (every imported case is closed)."""
    if app.closed_on is None:
        raise ValueError(f"往年案件 {app.number} 没有办结日期")
    return app.closed_on


def _steps(case: PastCase, app: Application | None) -> list[CaseStep]:
    """The case's 补正, 延期 and reply draft as steps (ADR 0170); without ``app`` to read the
    deadline off them before the case is stored."""
    steps = []
    if case.correction_sent_on:
        steps.append(
            CaseStep(
                application=app,
                kind=StepKind.CORRECTION,
                started_on=case.correction_sent_on,
                until=case.correction_until,
                ended_on=case.correction_received_on,
                outcome="received" if case.correction_received_on else "",
                details={"items": case.correction_items},
            )
        )
    if case.extension_days and case.extension_approved_on:
        steps.append(
            CaseStep(
                application=app,
                kind=StepKind.EXTENSION,
                started_on=case.extension_approved_on,
                ended_on=case.extension_approved_on,
                outcome="approved",
                details={"days": case.extension_days, "reason": case.extension_reason},
            )
        )
    steps.append(
        CaseStep(
            application=app,
            kind=StepKind.DRAFT,
            started_on=case.closed_on,
            ended_on=case.closed_on,
            outcome="approved",
            details={"decision": case.decision, "text": case.reason_text},
        )
    )
    return steps


def _reply_letters(apps: list[Application]) -> list[CaseLetter]:
    """The reply letter of every case answered under the 2019 条例, numbered in order of reply."""
    answered = sorted(
        (a for a in apps if a.received_on >= REGULATION_2019),
        key=lambda a: (a.closed_on, a.agency_id, a.seq),
    )
    by_series: dict[tuple[int, int], list[Application]] = defaultdict(list)
    for app in answered:
        by_series[(app.agency_id, _closed_on(app).year)].append(app)
    letters: list[CaseLetter] = []
    templates: dict[str, tuple[str, str]] = {}  # one look-up per answer type, not per case
    for (agency_id, year), cases in by_series.items():
        reply_prefix, _notice = prefixes(cases[0].agency)
        for app, n in zip(cases, take_numbers(agency_id, year, "reply", len(cases)), strict=True):
            if app.decision not in templates:
                templates[app.decision] = template_for("reply", app.decision)
            title, template = templates[app.decision]
            body = fill(template, letter_values(app))
            letters.append(
                CaseLetter(
                    application=app,
                    kind="reply",
                    number=letter_number(reply_prefix, year, n),
                    issued_on=_closed_on(app),
                    title=title,
                    addressee=app.applicant_name,
                    body=body,
                    decision=app.decision,
                    sha256=letter_digest(title, app.applicant_name, body),
                )
            )
    return letters


def register_past_cases(
    cases: Sequence[PastCase], *, actor: Actor, now: dt.datetime, source: str
) -> list[Application]:
    """Store a register's cases, closed, in one transaction; return them in register order."""
    today = now.date()
    calendar, rules = calendar_current(), rulesets()
    for row, case in enumerate(cases, 1):
        check_past_case(case, row=row, today=today, rules=rules)
    with transaction.atomic():
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, case in enumerate(cases):
            groups[(case.agency.pk, case.received_on.year)].append(index)
        numbers: dict[int, int] = {}
        for (agency_id, year), indexes in groups.items():
            indexes.sort(key=lambda i: cases[i].received_on)
            for i, n in zip(
                indexes, take_numbers(agency_id, year, "YSQ", len(indexes)), strict=True
            ):
                numbers[i] = n
        apps = []
        for index, case in enumerate(cases):
            deadline = compute_deadline(
                received=case.received_on,
                events=_events(case),
                calendar=calendar,
                rules=ruleset_for(case.received_on, rules),
            )
            apps.append(_application(case, numbers[index], deadline.due, now))
        Application.objects.bulk_create(apps, batch_size=500)
        if any(app.pk is None for app in apps):  # a database that returns no keys
            saved = Application.objects.in_bulk([a.public_id for a in apps], field_name="public_id")
            apps = [saved[a.public_id] for a in apps]
        steps = [step for app, case in zip(apps, cases, strict=True) for step in _steps(case, app)]
        CaseStep.objects.bulk_create(steps, batch_size=500)
        prefetch_related_objects(apps, "steps")  # the letters read the steps
        letters = CaseLetter.objects.bulk_create(_reply_letters(apps), batch_size=500)
        reply_of = {letter.application_id: letter.pk for letter in letters}
        drafts = [s for s in steps if s.kind == StepKind.DRAFT and s.pk is not None]
        for draft in drafts:
            draft.letter_id = reply_of.get(draft.application_id)
        CaseStep.objects.bulk_update(drafts, ["letter"], batch_size=500)
        for app in apps:
            audit_record(
                actor=actor,
                action=ApplicationAction.REGISTER_PAST,
                obj=app,
                agency_id=app.agency_id,
                after={
                    "number": app.number,
                    "channel": app.channel,
                    "received_on": app.received_on,
                    "decision": app.decision,
                    "closed_on": app.closed_on,
                    "on_time": app.on_time,
                    "source": source,
                },
                object_label=app.number,
            )
    return apps


# ── a register file (CSV or XLSX) ───────────────────────────────────────────────────────────

COLUMNS = {
    "收到日期": "received_on",
    "申请方式": "channel",
    "申请人": "applicant_name",
    "申请内容": "description",
    "答复类型": "decision",
    "答复日期": "closed_on",
    "补正告知日期": "correction_sent_on",
    "补正期限": "correction_until",
    "补正收到日期": "correction_received_on",
    "延期批准日期": "extension_approved_on",
    "延长天数": "extension_days",
    "答复意见": "reason_text",
}
REQUIRED = ("收到日期", "申请方式", "申请人", "申请内容", "答复类型", "答复日期")
_DATES = {k for k, v in COLUMNS.items() if v.endswith(("_on", "_until"))}


def _choice(text: str, choices: dict[str, str], what: str) -> str:
    """A code from the code itself or its Chinese label (网上申请 / 网上 / online)."""
    for code, label in choices.items():
        if text in (code, label) or (text and label.startswith(text)):
            return code
    raise ValueError(f"{what}“{text}”无法识别，可填：" + "、".join(choices.values()))


def _day(text: Any) -> dt.date | None:
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    text = str(text or "").strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


def past_cases_from_file(
    name: str, data: bytes, *, agency: Any, today: dt.date
) -> tuple[list[PastCase], list[RowError]]:
    """The rows of a register file as past cases of ``agency``, and the rows that cannot be
    taken (each named by its line and column, in Chinese). Raises TableError for a file that
    cannot be read or lacks a required column."""
    rows = iter(read_rows(name, data))
    header = next(rows, None)
    if header is None:
        raise TableError("文件是空的：第一行应为表头（收到日期、申请方式、申请人……）")
    index = {header.text(i): i for i in range(len(header.cells))}
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        raise TableError("缺少必填列：" + "、".join(missing))
    channels = dict(RequestChannelChoices.choices)
    decisions = {code: d.label for code, d in DECISIONS_BY_CODE.items()}
    rules = rulesets()
    cases: list[PastCase] = []
    errors: list[RowError] = []
    for row in rows:
        values: dict[str, Any] = {}
        column = ""
        try:
            for column, key in COLUMNS.items():
                if column not in index:
                    continue
                cell = row.cells[index[column]] if index[column] < len(row.cells) else None
                if column in _DATES:
                    values[key] = _day(cell)
                else:
                    values[key] = row.text(index[column])
            column = "申请方式"
            values["channel"] = _choice(values["channel"], channels, "申请方式")
            column = "答复类型"
            values["decision"] = _choice(values["decision"], decisions, "答复类型")
            column = "延长天数"
            values["extension_days"] = int(values.get("extension_days") or 0)
            column = ""
            for key in ("received_on", "closed_on"):
                if values.get(key) is None:
                    raise ValueError("收到日期和答复日期必须填写")
            name_ = values.pop("applicant_name")
            case = PastCase(agency=agency, applicant={"applicant_name": name_}, **values)
            cases.append(check_past_case(case, row=row.line, today=today, rules=rules))
        except PastCaseError as exc:
            errors.append(RowError(row.line, exc.message))
        except ValueError as exc:
            errors.append(RowError(row.line, str(exc), column))
    return cases, errors
