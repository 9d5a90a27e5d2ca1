"""Every read of the 依申请公开 context: work queues, case pages, reports, applicant views.

``application_report_facts`` and ``appeal_report_facts`` are what the reporting context reads;
it never touches these models directly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.applications import due
from gongkai.apps.applications.casefacts import facts, query_code_matches, suggestion_key, today
from gongkai.apps.applications.errors import NotFound
from gongkai.apps.applications.models import (
    APPLICANT_VISIBLE_KINDS,
    CONSULT_OUTCOMES,
    Appeal,
    Application,
    CaseDocument,
    CaseLetter,
    CaseRules,
    CaseStep,
    ProactiveSuggestion,
    StepKind,
)
from gongkai.apps.applications.permissions import CASE_ROLES, can_act, can_view_case
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.organizations.models import Agency
from gongkai.domain.casestates import (
    OPEN_STATES,
    WAITING_STATES,
    ApplicationAction,
    CaseAction,
    CaseState,
    ExtensionStatus,
    available_actions,
)
from gongkai.domain.deadlines import Deadline
from gongkai.domain.decisions import DECISIONS_BY_CODE, ApplicantType
from gongkai.domain.duplicates import groups_of_same_information
from gongkai.domain.reportfacts import (
    AppealFact,
    AppealKind,
    AppealResult,
    RequestChannel,
    RequestFact,
)

OPEN = [s.value for s in OPEN_STATES]
NUMBER_RE = re.compile(r"^YSQ-\d{4}-\d{6}$")


# ── report facts (the reporting context calls these) ─────────────────────────────────────


def application_report_facts(*, agency_ids: Sequence[int], year: int) -> list[RequestFact]:
    """Every case that matters to ``year``'s report: received in the year, or received earlier
    and still open at its start, or closed in it."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    fee = CaseStep.objects.filter(application=OuterRef("pk"), kind=StepKind.FEE).order_by(
        "-started_on", "-id"
    )
    rows = (
        Application.objects.filter(agency_id__in=list(agency_ids), received_on__lte=end)
        .filter(Q(received_on__gte=start) | Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .annotate(
            deferred=Exists(
                CaseStep.objects.filter(application=OuterRef("pk"), kind=StepKind.DEFERRAL)
            ),
            fee_yuan=Subquery(
                fee.annotate(amount=Cast(KT("details__amount"), IntegerField())).values("amount")[
                    :1
                ]
            ),
            fee_paid=Subquery(fee.values("ended_on")[:1]),
        )
        .order_by("id")
        .values_list(
            "agency_id",
            "applicant_type",
            "channel",
            "received_on",
            "closed_on",
            "decision",
            "extension_status",
            "deferred",
            "on_time",
            "fee_yuan",
            "fee_paid",
            "number",
        )
    )
    return [
        RequestFact(
            agency_id=agency_id,
            applicant_type=ApplicantType(applicant_type),
            channel=RequestChannel(channel),
            received=received,
            closed=closed,
            decision=decision or None,
            # 延期办结: an approved extension (第三十三条) or a later answer date (第三十五条)
            extended=extension == ExtensionStatus.APPROVED or deferred,
            on_time=on_time if closed else None,
            fee_yuan=(fee or 0) if paid_on else 0,
            ref=number,
        )
        for (
            agency_id,
            applicant_type,
            channel,
            received,
            closed,
            decision,
            extension,
            deferred,
            on_time,
            fee,
            paid_on,
            number,
        ) in rows.iterator(chunk_size=2000)
    ]


def appeal_report_facts(*, agency_ids: Sequence[int], year: int) -> list[AppealFact]:
    """Appeals filed in ``year``, and earlier ones not decided before it began."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        Appeal.objects.filter(agency_id__in=list(agency_ids), filed_on__lte=end)
        .filter(Q(filed_on__gte=start) | Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .order_by("id")
        .values_list(
            "agency_id",
            "kind",
            "filed_on",
            "result",
            "decided_on",
            "case_number",
            "application__number",
        )
    )
    return [
        AppealFact(
            agency_id=agency_id,
            kind=AppealKind(kind),
            filed=filed,
            result=AppealResult(result),
            decided=decided,
            ref=case_number or number,
        )
        for agency_id, kind, filed, result, decided, case_number, number in rows
    ]


# ── staff reads ──────────────────────────────────────────────────────────────────────────


def staff_cases(user: Any) -> QuerySet[Application]:
    """The cases a staff member may read (none for staff without a disclosure role)."""
    qs = Application.objects.all()
    ids = visible_agency_ids(user)
    if ids is None:
        return qs
    if not ids or not any(role in user.role_set for role in CASE_ROLES):
        return qs.none()
    return qs.filter(agency_id__in=ids)


def mask_id(value: str) -> str:
    """An ID number as staff pages show it: 110105********002X."""
    if len(value) <= 8:
        return value[:2] + "*" * max(0, len(value) - 2)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def application_get_for_staff(user: Any, pk: int) -> Application:
    app = (
        Application.objects.select_related(
            "agency", "agency__parent", "officer", "reviewer", "referred_agency", "repeat_of"
        )
        .prefetch_related(Prefetch("steps", CaseStep.objects.select_related("actor", "letter")))
        .filter(pk=pk)
        .first()
    )
    if app is None or not can_view_case(user, app):
        raise NotFound("没有找到该申请")
    return app


@dataclass(frozen=True)
class StepRow:
    """One step as the case page lists it."""

    kind: str
    started_on: dt.date
    until: dt.date | None
    ended_on: dt.date | None
    party: str
    outcome: str
    letter: str
    actor: str


STEP_OUTCOMES = {
    "received": "已收到补正材料",
    "requested": "待审批",
    "approved": "已批准",
    "rejected": "未批准",
    "paid": "已缴费",
    "accepted": "理由合理，继续办理",
    "returned": "退回修改",
    **CONSULT_OUTCOMES,
}


def application_steps(app: Application) -> list[StepRow]:
    """The case's steps in order (补正, 延期, each 征求意见, 收费 …) for the case page."""
    rows = []
    for step in app.steps.all():
        if step.kind == StepKind.DRAFT and step.outcome == "approved":
            outcome = "审核通过"
        else:
            outcome = STEP_OUTCOMES.get(step.outcome, step.outcome)
        rows.append(
            StepRow(
                kind=step.get_kind_display(),
                started_on=step.started_on,
                until=step.until,
                ended_on=step.ended_on,
                party=step.party,
                outcome=outcome,
                letter=step.letter.number if step.letter_id and step.letter else "",
                actor=str(step.actor) if step.actor_id and step.actor else "",
            )
        )
    return rows


@dataclass
class QueueFilters:
    state: str = ""
    due: str = ""  # today | soon | overdue | provisional
    mine: bool = False
    agency_id: int | None = None
    q: str = ""
    year: int | None = None


DUE_FILTERS = {
    "today": "今日到期",
    "soon": "3个工作日内到期",
    "overdue": "已逾期",
    "provisional": "期限暂定",
    "approval": "待审批",
    "waiting": "待补正、缴费或说明理由",
}


def soon_horizon(on: dt.date) -> dt.date:
    days = CaseRules.current().reminder_working_days
    return due.add_working_days(on, days).on


def application_queue(user: Any, filters: QueueFilters, on: dt.date | None = None) -> QuerySet:
    """The work-queue list: open cases first by due date; filters narrow it."""
    on = on or today()
    qs = staff_cases(user).select_related("agency", "officer")
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.state in ("", "open"):
        qs = qs.filter(state__in=OPEN)
    elif filters.state != "all":
        qs = qs.filter(state=filters.state)
    if filters.mine:
        qs = qs.filter(officer_id=user.pk)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.due == "today":
        qs = qs.filter(state__in=OPEN, due_date=on)
    elif filters.due == "soon":
        qs = qs.filter(state__in=OPEN, due_date__gt=on, due_date__lte=soon_horizon(on))
    elif filters.due == "overdue":
        qs = qs.filter(state__in=OPEN, due_date__lt=on)
    elif filters.due == "provisional":
        qs = qs.filter(state__in=OPEN, due_provisional=True)
    elif filters.due == "approval":
        qs = qs.filter(
            Q(state=CaseState.REVIEW) | Q(extension_status=ExtensionStatus.REQUESTED),
            state__in=OPEN,
        )
    elif filters.due == "waiting":
        qs = qs.filter(state__in=WAITING_STATES)
    if filters.q:
        term = filters.q.strip()
        if NUMBER_RE.match(term.upper()):
            qs = qs.filter(number=term.upper())  # a registration number: the index finds it
        else:
            qs = qs.filter(Q(number__icontains=term) | Q(description__icontains=term))
    if filters.state in ("", "open") or filters.due:
        return qs.order_by(F("due_date").asc(nulls_last=True), "-id")
    return qs.order_by("-received_on", "-id")


STATE_LABELS = {s.value: s.label for s in CaseState}
QUEUE_FIELDS = (
    "id",
    "number",
    "agency__short_name",
    "agency__name",
    "description",
    "received_on",
    "state",
    "extension_status",
    "officer__display_name",
    "officer__username",
    "due_date",
    "due_provisional",
    "closed_on",
    "repeat_of_id",
    "flagged_mass",
)


@dataclass(frozen=True)
class QueueRow:
    """One line of the work queue, ready to print (the list renders thousands a minute)."""

    id: int
    number: str
    agency: str
    description: str
    received: str
    state: str
    extension_requested: bool
    officer: str
    due: str
    due_class: str
    repeat: bool
    mass: bool


def queue_rows(cases: Any, on: dt.date) -> list[QueueRow]:
    rows = []
    for c in cases.values(*QUEUE_FIELDS) if hasattr(cases, "values") else cases:
        desc = c["description"]
        if c["state"] in OPEN:
            due_date = c["due_date"]
            if due_date is None:
                due, due_class = "—", ""
            else:
                overdue = due_date < on
                due = (
                    due_date.isoformat()
                    + (" 暂定" if c["due_provisional"] else "")
                    + (" 已逾期" if overdue else "")
                )
                due_class = "danger" if overdue else "warn" if due_date == on else ""
        else:
            closed = c["closed_on"]
            due, due_class = (f"{closed.isoformat()} 办结" if closed else "—"), "done"
        rows.append(
            QueueRow(
                id=c["id"],
                number=c["number"],
                agency=c["agency__short_name"] or c["agency__name"],
                description=desc if len(desc) <= 40 else desc[:39] + "…",
                received=c["received_on"].isoformat(),
                state=STATE_LABELS[c["state"]],
                extension_requested=c["extension_status"] == ExtensionStatus.REQUESTED,
                officer=c["officer__display_name"] or c["officer__username"] or "未分派",
                due=due,
                due_class=due_class,
                repeat=c["repeat_of_id"] is not None,
                mass=c["flagged_mass"],
            )
        )
    return rows


@dataclass
class QueueCounts:
    today: int = 0
    soon: int = 0
    overdue: int = 0
    provisional: int = 0
    review: int = 0
    extension: int = 0
    waiting: int = 0
    registered: int = 0
    open: int = 0


def application_queue_counts(
    user: Any, on: dt.date | None = None, horizon: dt.date | None = None
) -> QueueCounts:
    """The work-queue section counts in one query."""
    on = on or today()
    horizon = horizon or soon_horizon(on)
    open_q = Q(state__in=OPEN)
    row = (
        staff_cases(user)
        .filter(state__in=OPEN)
        .aggregate(
            today=Count("id", filter=open_q & Q(due_date=on)),
            soon=Count("id", filter=open_q & Q(due_date__gt=on, due_date__lte=horizon)),
            overdue=Count("id", filter=open_q & Q(due_date__lt=on)),
            provisional=Count("id", filter=open_q & Q(due_provisional=True)),
            review=Count("id", filter=Q(state=CaseState.REVIEW)),
            extension=Count("id", filter=open_q & Q(extension_status=ExtensionStatus.REQUESTED)),
            waiting=Count("id", filter=Q(state__in=WAITING_STATES)),
            registered=Count("id", filter=Q(state=CaseState.REGISTERED)),
            open=Count("id", filter=open_q),
        )
    )
    return QueueCounts(**{k: v or 0 for k, v in row.items()})


@dataclass
class AgencyRow:
    agency_id: int
    name: str
    open: int
    overdue: int
    closed: int
    on_time: int
    received: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.closed if self.closed else None


def application_overview(*, year: int, on: dt.date | None = None) -> list[AgencyRow]:
    """Every agency's open, overdue and on-time figures (for supervisors)."""
    on = on or today()
    open_q = Q(state__in=OPEN)
    closed_q = Q(closed_on__year=year)
    rows = (
        Application.objects.values("agency_id")
        .annotate(
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=open_q & Q(due_date__lt=on)),
            closed=Count("id", filter=closed_q),
            on_time=Count("id", filter=closed_q & Q(on_time=True)),
            received=Count("id", filter=Q(received_on__year=year)),
        )
        .order_by()
    )
    names = dict(Agency.objects.values_list("id", "name"))
    out = [
        AgencyRow(
            agency_id=r["agency_id"],
            name=names.get(r["agency_id"], ""),
            open=r["open"],
            overdue=r["overdue"],
            closed=r["closed"],
            on_time=r["on_time"],
            received=r["received"],
        )
        for r in rows
        if r["open"] or r["closed"] or r["received"]
    ]
    out.sort(key=lambda r: (-r.overdue, -r.open, r.name))
    return out


def overdue_cases(user: Any, *, limit: int = 50, on: dt.date | None = None) -> list[Application]:
    on = on or today()
    return list(
        staff_cases(user)
        .filter(state__in=OPEN, due_date__lt=on)
        .select_related("agency", "officer")
        .order_by("due_date", "id")[:limit]
    )


def application_actions(
    user: Any, application: Application, on: dt.date | None = None
) -> list[CaseAction]:
    """The next steps this user may take on this case."""
    return [
        action
        for action in available_actions(facts(application, on))
        if can_act(user, application, action)
    ]


# ── timeline ─────────────────────────────────────────────────────────────────────────────

# the staff history shows the audit actions of a case with their labels
EVENT_LABELS = {action.value: action.label for action in ApplicationAction}
# what the applicant's own view shows of the history (no internal steps or names)
PUBLIC_EVENTS = {
    "application.register": "申请已登记",
    "application.register_past": "申请已登记（往年登记簿导入）",
    "application.accept": "已受理",
    "application.correction_request": "发出补正告知",
    "application.correction_receive": "收到补正材料",
    "application.extension_approve": "答复期限延长",
    "application.fee_notice": "发出收费通知",
    "application.fee_paid": "已缴费",
    "application.reasons_request": "要求说明申请理由",
    "application.reasons_accept": "申请理由已认可",
    "application.reply_approve": "已作出答复",
    "application.deliver": "已送达",
    "application.withdraw": "申请已撤回",
    "application.deadline_recompute": "答复期限重新计算",
}


@dataclass
class TimelineEntry:
    at: dt.datetime
    label: str
    actor: str
    details: list[str] = field(default_factory=list)
    on: dt.date | None = None  # the date the step took effect, when it differs from ``at``


_DETAIL_KEYS = {
    "letter": "文书",
    "comment": "意见",
    "reason": "理由",
    "outcome": "结果",
    "party": "被征求意见方",
    "delivery_ref": "送达凭证",
    "forwarded_to": "转交后登记号",
    "repeat_of": "疑似重复",
    "source_note": "来源",
    "note": "说明",
    "until": "期限",
    "deferred_until": "延迟答复期限",
}


def application_timeline(application: Application, *, public: bool = False) -> list[TimelineEntry]:
    events = AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(application.pk)
    ).order_by("id")
    out: list[TimelineEntry] = []
    for event in events.only("created_at", "action", "actor_label", "after"):
        labels = PUBLIC_EVENTS if public else EVENT_LABELS
        label = labels.get(event.action)
        if label is None:
            continue
        details: list[str] = []
        try:
            after = json.loads(event.after) if event.after else {}
        except ValueError:
            after = {}
        on = None
        if isinstance(after.get("on"), str):
            try:
                on = dt.date.fromisoformat(after["on"])
            except ValueError:
                on = None
        if not public:
            for key, title in _DETAIL_KEYS.items():
                if after.get(key):
                    details.append(f"{title}：{after[key]}")
            if "files" in after and isinstance(after["files"], list):
                details.append("文件：" + "、".join(f["name"] for f in after["files"]))
        out.append(
            TimelineEntry(event.created_at, label, "" if public else event.actor_label, details, on)
        )
    return out


def application_deadline(application: Application) -> Deadline:
    """The deadline with its day-by-day explanation (computed from the case's steps)."""
    return due.compute(application.received_on, list(application.steps.all()))


def application_documents(
    application: Application, *, applicant: bool = False
) -> list[CaseDocument]:
    qs = application.documents.filter(withdrawn=False)
    if applicant:
        qs = qs.filter(kind__in=APPLICANT_VISIBLE_KINDS)
        if application.state not in (CaseState.REPLIED, CaseState.DELIVERED, CaseState.ARCHIVED):
            qs = qs.exclude(kind="released")
    return list(qs.order_by("uploaded_at", "id"))


def application_letters(application: Application, *, applicant: bool = False) -> list[CaseLetter]:
    qs = application.letters.all()
    if applicant:
        qs = qs.filter(to_applicant=True)
    return list(qs.order_by("issued_on", "id"))


# ── applicant reads ──────────────────────────────────────────────────────────────────────


def application_find_by_code(number: str, code: str) -> Application | None:
    """The case with this registration number whose query code matches (numbers repeat across
    agencies; the code tells them apart)."""
    number = (number or "").strip().upper()
    if not number or not code:
        return None
    candidates = (
        Application.objects.filter(number=number)
        .only("id", "query_code_salt", "query_code_hash")
        .order_by("id")
    )
    for app in candidates:  # one per agency at most: a few hundred hashes, microseconds each
        if query_code_matches(app, code):
            return Application.objects.select_related("agency").get(pk=app.pk)
    return None


def applications_of_user(user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_user=user)
        .select_related("agency")
        .order_by("-received_on", "-id")
    )


# ── 条例第四十四条 suggestions ───────────────────────────────────────────────────────────────


@dataclass
class ProactiveGroup:
    agency_id: int
    cases: list[Application]
    shared_files: int

    @property
    def applicant_count(self) -> int:
        return len({c.applicant_key for c in self.cases})

    @property
    def ids(self) -> list[int]:
        return [c.pk for c in self.cases]


def proactive_candidates(agency_ids: set[int] | None, *, limit: int = 500) -> list[ProactiveGroup]:
    """Groups of released cases asking for the same information from different applicants."""
    rules = CaseRules.current()
    qs = Application.objects.filter(decision__in=["disclosed", "partial"])
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    by_agency: dict[int, list[Application]] = {}
    for app in qs.order_by("-closed_on", "-id")[: limit * 4]:
        by_agency.setdefault(app.agency_id, []).append(app)
    handled = set(ProactiveSuggestion.objects.values_list("agency_id", "key"))
    groups: list[ProactiveGroup] = []
    for agency_id, cases in by_agency.items():
        cases = cases[:limit]
        index = {c.pk: c for c in cases}
        # same released file content
        sha_groups: dict[str, set[int]] = {}
        for app_id, sha in CaseDocument.objects.filter(
            application_id__in=index, kind="released", withdrawn=False
        ).values_list("application_id", "sha256"):
            sha_groups.setdefault(sha, set()).add(app_id)
        clusters = [sorted(ids) for ids in sha_groups.values() if len(ids) > 1]
        clusters += groups_of_same_information(
            [(c.pk, c.applicant_key, c.description) for c in cases],
            threshold=rules.proactive_similarity,
            min_applicants=rules.proactive_min_applicants,
        )
        seen: set[tuple[int, ...]] = set()
        for ids in clusters:
            key_ids = tuple(sorted(ids))
            if key_ids in seen:
                continue
            seen.add(key_ids)
            members = [index[i] for i in key_ids]
            if len({m.applicant_key for m in members}) < rules.proactive_min_applicants:
                continue
            if (agency_id, suggestion_key(list(key_ids))) in handled:
                continue
            shared = sum(1 for ids2 in sha_groups.values() if set(key_ids) & ids2 and len(ids2) > 1)
            groups.append(ProactiveGroup(agency_id, members, shared))
    groups.sort(key=lambda g: (-g.applicant_count, -g.cases[0].pk))
    return groups


# ── public statistics (per agency, by year) ──────────────────────────────────────────────

OUTCOME_GROUPS = (
    ("disclosed", "予以公开"),
    ("partial", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("ignored", "不予处理"),
    ("other", "其他处理"),
)


def outcome_group(decision: str) -> str:
    """The top-level table-三 group (予以公开 … 其他处理) a decision code counts in."""
    found = DECISIONS_BY_CODE.get(decision)
    row = found.table3_row if found else "other"
    return row.split(".")[0]


@dataclass
class PublicStats:
    years: list[int]
    by_year: list[dict[str, int]]  # received, closed, on_time per year (oldest first)
    outcomes: list[tuple[str, int]]  # the selected year's closed cases per outcome group
    agencies: list[AgencyRow]  # the selected year per agency (received, closed, on time)


def application_public_stats(*, year: int, agency_id: int | None = None) -> PublicStats:
    """Figures anyone may see: requests received, answered, answered on time and the
    outcomes, by year and by agency (counts only; no case is identified)."""
    cases = Application.objects.all()
    if agency_id is not None:
        cases = cases.filter(agency_id=agency_id)
    received = dict(
        cases.values_list("year").annotate(n=Count("id")).order_by().values_list("year", "n")
    )
    closed = {
        row["closed_on__year"]: row
        for row in cases.filter(closed_on__isnull=False)
        .values("closed_on__year")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
        .order_by()
    }
    years = sorted(set(received) | {y for y in closed if y})
    by_year = [
        {
            "year": y,
            "received": received.get(y, 0),
            "closed": closed[y]["n"] if y in closed else 0,
            "on_time": closed[y]["on_time"] if y in closed else 0,
        }
        for y in years
    ]
    counts: dict[str, int] = {key: 0 for key, _label in OUTCOME_GROUPS}
    for decision, n in (
        cases.filter(closed_on__year=year)
        .values_list("decision")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("decision", "n")
    ):
        counts[outcome_group(decision)] = counts.get(outcome_group(decision), 0) + n
    outcomes = [(label, counts[key]) for key, label in OUTCOME_GROUPS]
    per_agency = (
        Application.objects.values("agency_id")
        .annotate(
            received=Count("id", filter=Q(year=year)),
            closed=Count("id", filter=Q(closed_on__year=year)),
            on_time=Count("id", filter=Q(closed_on__year=year, on_time=True)),
        )
        .order_by()
    )
    names = dict(Agency.objects.values_list("id", "name"))
    agencies = [
        AgencyRow(
            agency_id=r["agency_id"],
            name=names.get(r["agency_id"], ""),
            open=0,
            overdue=0,
            closed=r["closed"],
            on_time=r["on_time"],
            received=r["received"],
        )
        for r in per_agency
        if r["received"] or r["closed"]
    ]
    agencies.sort(key=lambda r: (-r.received, r.name))
    return PublicStats(years=years, by_year=by_year, outcomes=outcomes, agencies=agencies)
