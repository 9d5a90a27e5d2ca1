"""双公示 and 行政执法公示: the rules of one record, as data.

- Every field of a 行政许可 / 行政处罚 / 行政强制 record, its national name (the column header
  of the exchange files), whether it is required, and how it is checked, is one row of
  :data:`FIELDS`; :func:`validate_record` applies them (forms, API and import alike).
- The publication deadline (7 working days for 许可 and 处罚, 20 for other 执法决定, 5 to take
  down a revoked decision) is :data:`PUBLICATION_RULES`, counted on the working-day calendar.
- How long a decision stays public is :data:`REGIMES` (cn-rules §6.3): three successive
  regimes by decision date, with a period per severity and, where the rules say so, per field.
- Natural persons are shown through the privacy review's own maskers; minors never.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.domain.actions import Action, State, StateTable
from gongkai.domain.codes import CodeError, normalize_org_code, normalize_uscc, parse_id_number
from gongkai.domain.privacy.kinds import Kind
from gongkai.domain.privacy.masking import mask_value
from gongkai.domain.workdays import DayKind, Due, cn_day

# ── vocabularies ─────────────────────────────────────────────────────────────────────────


class RecordKind(State):
    LICENCE = "licence", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"


class PartyKind(State):
    ORGANISATION = "org", "法人及非法人组织"
    PERSON = "person", "自然人"
    INDIVIDUAL_BUSINESS = "individual", "个体工商户"


class IdType(State):
    RESIDENT_ID = "id", "身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hkmo", "港澳居民来往内地通行证"
    TAIWAN = "tw", "台湾居民来往大陆通行证"
    FOREIGN = "foreign", "外国人永久居留身份证"


class Severity(State):
    MINOR = "minor", "轻微（简易程序）"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"
    SPECIAL = "special", "特定严重"


class Field(State):
    """Enforcement fields some regimes treat apart."""

    GENERAL = "general", "其他领域"
    SPECIAL_EQUIPMENT = "equipment", "特种设备"
    WORK_SAFETY = "safety", "安全生产"
    FIRE = "fire", "消防"
    FOOD = "food", "食品药品"
    ENVIRONMENT = "environment", "生态环境"


class CreditState(State):
    DRAFT = "draft", "待公示"
    PUBLISHED = "published", "公示中"
    WITHHELD = "withheld", "不予公示"
    EXPIRED = "expired", "公示期满已撤下"
    REPAIRED = "repaired", "信用修复已撤下"
    REVOKED = "revoked", "决定撤销已撤下"
    SUPERSEDED = "superseded", "已被更正记录替换"


PUBLIC_STATES = (CreditState.PUBLISHED,)


class CreditAction(Action):
    RECORD = "credit.record", "登记双公示信息"
    UPDATE = "credit.update", "修改待公示的双公示信息"
    PUBLISH = "credit.publish", "公示双公示信息"
    WITHHOLD = "credit.withhold", "不予公示双公示信息"
    EXPIRE = "credit.expire", "公示期满撤下双公示信息"
    REPAIR = "credit.repair", "信用修复提前撤下双公示信息"
    REVOKE = "credit.revoke", "决定撤销撤下双公示信息"
    SUPERSEDE = "credit.supersede", "以更正记录替换双公示信息"
    DEADLINE = "credit.deadline_recompute", "重新计算双公示期限"
    IMPORT = "credit.import", "导入双公示信息"
    EXCHANGE = "credit.exchange", "生成信用信息交换批次"
    LIST_ENTRY = "credit.list_entry", "登记红黑名单"
    LIST_EXPIRE = "credit.list_expire", "红黑名单期满移出"


_LIVE = (CreditState.DRAFT, CreditState.PUBLISHED)
CREDIT_STATES: StateTable[CreditState, CreditAction] = StateTable.of(
    [
        (CreditState.DRAFT, CreditAction.PUBLISH, CreditState.PUBLISHED),
        (CreditState.DRAFT, CreditAction.WITHHOLD, CreditState.WITHHELD),
        (CreditState.DRAFT, CreditAction.UPDATE, CreditState.DRAFT),
        (CreditState.PUBLISHED, CreditAction.EXPIRE, CreditState.EXPIRED),
        (CreditState.PUBLISHED, CreditAction.REPAIR, CreditState.REPAIRED),
        ((*_LIVE, CreditState.WITHHELD), CreditAction.REVOKE, CreditState.REVOKED),
        ((*_LIVE, CreditState.WITHHELD), CreditAction.SUPERSEDE, CreditState.SUPERSEDED),
    ]
)


# ── fields: every rule in one place ──────────────────────────────────────────────────────

REQUIRED = "required"
CONDITIONAL = "conditional"
OPTIONAL = "optional"

ALL_KINDS = (RecordKind.LICENCE, RecordKind.PENALTY, RecordKind.COERCION)
SANCTIONS = (RecordKind.PENALTY, RecordKind.COERCION)


@dataclass(frozen=True)
class FieldRule:
    key: str  # the model attribute
    label: str  # the national Chinese name (column header in exchange files and imports)
    code: str  # the national field code (JSON/XML element name)
    kinds: tuple[RecordKind, ...]
    need: str = OPTIONAL
    check: str = "text"  # text / date / amount / uscc / org / choice:<Enum>
    max_length: int = 200
    aliases: tuple[str, ...] = ()


FIELDS: tuple[FieldRule, ...] = (
    FieldRule(
        "party_name", "行政相对人名称", "XDR_MC", ALL_KINDS, REQUIRED, aliases=("相对人名称",)
    ),
    FieldRule("party_kind", "行政相对人类别", "XDR_LB", ALL_KINDS, REQUIRED, "choice:party"),
    FieldRule(
        "uscc",
        "统一社会信用代码",
        "XDR_SHXYM",
        ALL_KINDS,
        CONDITIONAL,
        "uscc",
        18,
        ("行政相对人代码_1", "行政相对人代码_1(统一社会信用代码)"),
    ),
    FieldRule(
        "reg_number",
        "工商注册号",
        "XDR_GSZC",
        ALL_KINDS,
        OPTIONAL,
        "text",
        30,
        ("行政相对人代码_2",),
    ),
    FieldRule(
        "org_code",
        "组织机构代码",
        "XDR_ZZJG",
        ALL_KINDS,
        OPTIONAL,
        "org",
        10,
        ("行政相对人代码_3",),
    ),
    FieldRule(
        "tax_number",
        "税务登记号",
        "XDR_SWDJ",
        ALL_KINDS,
        OPTIONAL,
        "text",
        30,
        ("行政相对人代码_4",),
    ),
    FieldRule(
        "institution_number",
        "事业单位证书号",
        "XDR_SYDW",
        ALL_KINDS,
        OPTIONAL,
        "text",
        30,
        ("行政相对人代码_5",),
    ),
    FieldRule(
        "social_org_number",
        "社会组织登记证号",
        "XDR_SHZZ",
        ALL_KINDS,
        OPTIONAL,
        "text",
        30,
        ("行政相对人代码_6",),
    ),
    FieldRule("legal_rep", "法定代表人", "FDDBR", ALL_KINDS, CONDITIONAL, max_length=50),
    FieldRule(
        "legal_rep_id_type", "法定代表人证件类型", "FDDBR_ZJLX", ALL_KINDS, OPTIONAL, "choice:id"
    ),
    FieldRule(
        "legal_rep_id_number", "法定代表人证件号码", "FDDBR_ZJHM", ALL_KINDS, OPTIONAL, "text", 30
    ),
    FieldRule("id_type", "证件类型", "ZJLX", ALL_KINDS, CONDITIONAL, "choice:id"),
    FieldRule("id_number", "证件号码", "ZJHM", ALL_KINDS, CONDITIONAL, "text", 30),
    FieldRule(
        "doc_name",
        "决定文书名称",
        "JDWS_MC",
        ALL_KINDS,
        REQUIRED,
        aliases=("行政许可决定文书名称",),
    ),
    FieldRule(
        "doc_number",
        "决定文书号",
        "JDWS_H",
        ALL_KINDS,
        REQUIRED,
        max_length=100,
        aliases=("行政处罚决定书文号", "行政许可决定文书号", "文号"),
    ),
    FieldRule(
        "category",
        "类别",
        "LB",
        ALL_KINDS,
        REQUIRED,
        max_length=100,
        aliases=("许可类别", "处罚类别", "强制类别"),
    ),
    FieldRule("licence_name", "许可证书名称", "XKZS", (RecordKind.LICENCE,)),
    FieldRule("licence_number", "许可编号", "XKBH", (RecordKind.LICENCE,), max_length=100),
    FieldRule("violation_type", "违法行为类型", "WFXWLX", SANCTIONS, REQUIRED),
    FieldRule("facts", "违法事实", "WFSS", SANCTIONS, REQUIRED, max_length=2000),
    FieldRule("basis", "依据", "YJ", SANCTIONS, REQUIRED, max_length=2000, aliases=("处罚依据",)),
    FieldRule(
        "content",
        "内容",
        "NR",
        ALL_KINDS,
        REQUIRED,
        max_length=4000,
        aliases=("许可内容", "处罚内容"),
    ),
    FieldRule(
        "fine_wan",
        "罚款金额（万元）",
        "FKJE",
        (RecordKind.PENALTY,),
        OPTIONAL,
        "amount",
        aliases=("罚款金额",),
    ),
    FieldRule(
        "confiscated_wan",
        "没收违法所得、没收非法财物的金额（万元）",
        "MSJE",
        (RecordKind.PENALTY,),
        OPTIONAL,
        "amount",
        aliases=("没收金额（万元）", "没收金额"),
    ),
    FieldRule("suspended_licence", "暂扣或吊销证照名称及编号", "ZKDX", (RecordKind.PENALTY,)),
    FieldRule(
        "decided_on",
        "决定日期",
        "JDRQ",
        ALL_KINDS,
        REQUIRED,
        "date",
        aliases=("处罚决定日期", "许可决定日期"),
    ),
    FieldRule("valid_from", "有效期自", "YXQZ", (RecordKind.LICENCE,), REQUIRED, "date"),
    FieldRule(
        "valid_to", "有效期至", "YXQZI", ALL_KINDS, OPTIONAL, "date", aliases=("处罚有效期",)
    ),
    FieldRule(
        "authority_name", "决定机关", "JDJG", ALL_KINDS, REQUIRED, aliases=("处罚机关", "许可机关")
    ),
    FieldRule(
        "authority_uscc",
        "决定机关统一社会信用代码",
        "JDJG_DM",
        ALL_KINDS,
        REQUIRED,
        "uscc",
        18,
        ("处罚机关统一社会信用代码", "许可机关统一社会信用代码"),
    ),
    FieldRule("source_name", "数据来源单位", "SJLY", ALL_KINDS, REQUIRED),
    FieldRule(
        "source_uscc", "数据来源单位统一社会信用代码", "SJLY_DM", ALL_KINDS, REQUIRED, "uscc", 18
    ),
    FieldRule(
        "severity",
        "情节",
        "QJ",
        SANCTIONS,
        REQUIRED,
        "choice:severity",
        aliases=("失信程度", "严重程度"),
    ),
    FieldRule("field", "领域", "LY", SANCTIONS, OPTIONAL, "choice:field"),
    FieldRule("remarks", "备注", "BZ", ALL_KINDS, OPTIONAL, max_length=1000),
)
FIELD_BY_KEY: dict[str, FieldRule] = {f.key: f for f in FIELDS}

_CHOICES: dict[str, type[State]] = {
    "party": PartyKind,
    "id": IdType,
    "severity": Severity,
    "field": Field,
}


def _choice(enum: type[State], text: str) -> State | None:
    text = text.strip()
    for member in enum:
        if text in (member.value, member.label) or (member.label.split("（")[0] == text and text):
            return member
    return None


@dataclass(frozen=True)
class Problem:
    field: str  # the field's Chinese name
    message: str


@dataclass
class Checked:
    """A record's clean values (typed) and its problems; ``minor`` when the party is a
    natural person under 18 on the decision date (never published)."""

    values: dict[str, object]
    problems: list[Problem]
    minor: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_date(text: str) -> dt.date:
    text = text.strip().replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    text = text.split(" ")[0].split("T")[0]
    return dt.date.fromisoformat(text)


def validate_record(kind: RecordKind, raw: Mapping[str, object], *, today: dt.date) -> Checked:
    """Check one record's values against :data:`FIELDS` (and the rules between fields)."""
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for rule in FIELDS:
        if kind not in rule.kinds:
            continue
        value = raw.get(rule.key)
        text = "" if value is None else str(value).strip()
        if isinstance(value, dt.date):
            text = value.isoformat()
        if not text:
            if rule.need == REQUIRED:
                problems.append(Problem(rule.label, "必须填写"))
            values[rule.key] = None if rule.check in ("date", "amount") else ""
            continue
        if len(text) > rule.max_length:
            problems.append(Problem(rule.label, f"不能超过{rule.max_length}个字"))
            continue
        try:
            values[rule.key] = _convert(rule, text)
        except (CodeError, ValueError) as exc:
            problems.append(Problem(rule.label, _message(rule, text, exc)))
    minor = _cross_checks(kind, values, problems, today)
    return Checked(values, problems, minor)


def _convert(rule: FieldRule, text: str) -> object:
    return _converted(rule.check, text)


@functools.lru_cache(maxsize=8192)  # dates, choices and the deciding agency's code repeat
def _converted(check: str, text: str) -> object:
    """The value of ``text`` under the check ``check`` (pure: kept for repeated cells)."""
    if check == "date":
        return _parse_date(text)
    if check == "amount":
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("amount") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.000001")):
            raise ValueError("amount")
        return amount
    if check == "uscc":
        return normalize_uscc(text)
    if check == "org":
        return normalize_org_code(text)
    if check.startswith("choice:"):
        member = _choice(_CHOICES[check[7:]], text)
        if member is None:
            raise ValueError("choice")
        return member.value
    return text


def _message(rule: FieldRule, text: str, exc: Exception) -> str:
    if isinstance(exc, CodeError):
        return str(exc)
    if rule.check == "date":
        return f"“{text}”不是有效日期，应为YYYY-MM-DD"
    if rule.check == "amount":
        return f"“{text}”不是有效金额（万元，不为负，最多6位小数）"
    if rule.check.startswith("choice:"):
        allowed = "、".join(m.label for m in _CHOICES[rule.check[7:]])
        return f"无法识别“{text}”，应为：{allowed}"
    return "格式不对"


_LABELS = {f.key: f.label for f in FIELDS}


def _cross_checks(
    kind: RecordKind, values: dict[str, object], problems: list[Problem], today: dt.date
) -> bool:
    label = _LABELS
    party = values.get("party_kind")
    decided = values.get("decided_on")
    if isinstance(decided, dt.date) and decided > today:
        problems.append(Problem(label["decided_on"], f"决定日期{cn_day(decided)}晚于今天"))
    if party in (PartyKind.ORGANISATION, PartyKind.INDIVIDUAL_BUSINESS):
        codes = (
            "uscc",
            "reg_number",
            "org_code",
            "tax_number",
            "institution_number",
            "social_org_number",
        )
        if party == PartyKind.ORGANISATION and not any(values.get(c) for c in codes):
            problems.append(
                Problem(label["uscc"], "法人及非法人组织须填写统一社会信用代码（或其他登记代码）")
            )
        if party == PartyKind.ORGANISATION and not values.get("legal_rep"):
            problems.append(Problem(label["legal_rep"], "法人及非法人组织须填写法定代表人"))
    minor = False
    if party == PartyKind.PERSON:
        if not values.get("id_type"):
            problems.append(Problem(label["id_type"], "自然人须填写证件类型"))
        if not values.get("id_number"):
            problems.append(Problem(label["id_number"], "自然人须填写证件号码"))
        if values.get("uscc"):
            problems.append(Problem(label["uscc"], "自然人不填写统一社会信用代码"))
    for type_key, number_key in (
        ("id_type", "id_number"),
        ("legal_rep_id_type", "legal_rep_id_number"),
    ):
        if values.get(type_key) == IdType.RESIDENT_ID and values.get(number_key):
            try:
                parsed = parse_id_number(str(values[number_key]))
            except CodeError as exc:
                problems.append(Problem(label[number_key], str(exc)))
                continue
            values[number_key] = parsed.number
            on = decided if isinstance(decided, dt.date) else today
            if (
                type_key == "id_type"
                and party == PartyKind.PERSON
                and is_minor(parsed.birth_date, on)
            ):
                minor = True
    start, end = values.get("valid_from"), values.get("valid_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(Problem(label["valid_to"], "有效期至不能早于有效期自"))
    return minor


def is_minor(birth: dt.date, on: dt.date) -> bool:
    """Under 18 on ``on`` (the day of the 18th birthday counts as adult)."""
    try:
        adult = birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February
        adult = dt.date(birth.year + 18, 3, 1)
    return on < adult


# ── publication deadline: the rule as data ───────────────────────────────────────────────


@dataclass(frozen=True)
class PublicationRule:
    kind: RecordKind
    working_days: int
    basis: str


PUBLICATION_RULES: dict[RecordKind, PublicationRule] = {
    RecordKind.LICENCE: PublicationRule(
        RecordKind.LICENCE, 7, "行政许可决定自作出之日起7个工作日内公示（国办发〔2018〕118号）"
    ),
    RecordKind.PENALTY: PublicationRule(
        RecordKind.PENALTY, 7, "行政处罚决定自作出之日起7个工作日内公示（国办发〔2018〕118号）"
    ),
    RecordKind.COERCION: PublicationRule(
        RecordKind.COERCION,
        20,
        "其他行政执法决定自作出之日起20个工作日内公示（国办发〔2018〕118号）",
    ),
}
REVOCATION_WORKING_DAYS = 5  # a revoked or annulled decision is taken down within 5 working days


class Calendar:
    """What the deadline needs of a WorkCalendar (typing only)."""

    def due(self, start: dt.date, n: int) -> Due:  # pragma: no cover - protocol
        raise NotImplementedError

    def day_kind(self, d: dt.date) -> tuple[DayKind, str]:  # pragma: no cover - protocol
        raise NotImplementedError


def publication_due(calendar: Calendar, kind: RecordKind | str, decided_on: dt.date) -> Due:
    rule = PUBLICATION_RULES[RecordKind(kind)]
    due = calendar.due(decided_on, rule.working_days)
    return Due(due.on, due.provisional, due.reason or rule.basis)


def explain_publication(
    calendar: Calendar, kind: RecordKind | str, decided_on: dt.date
) -> list[str]:
    """The deadline counted day by day: which days count, which are weekends or holidays."""
    rule = PUBLICATION_RULES[RecordKind(kind)]
    due = calendar.due(decided_on, rule.working_days)
    lines = [f"适用规定：{rule.basis}。", f"决定日期：{cn_day(decided_on)}（当日不计入）。"]
    counted = 0
    day = decided_on
    while day < due.on:
        day += dt.timedelta(days=1)
        kind_of, name = calendar.day_kind(day)
        if kind_of.is_working:
            counted += 1
            extra = f"（{name}）" if name else ""
            lines.append(f"{cn_day(day)}{_weekday(day)}：第{counted}个工作日{extra}")
        else:
            lines.append(f"{cn_day(day)}{_weekday(day)}：{name or kind_of.label}，不计入")
    lines.append(f"公示期限：{due.label}（第{rule.working_days}个工作日）。")
    if due.provisional:
        lines.append(due.reason)
    return lines


def _weekday(day: dt.date) -> str:
    return "（星期" + "一二三四五六日"[day.weekday()] + "）"


# ── publicity periods (cn-rules §6.3), as data ───────────────────────────────────────────


@dataclass(frozen=True)
class Period:
    """``publish`` False: not published at all. Months from the decision date; ``min`` is
    when 信用修复 becomes possible (None: never repairable), ``max`` the removal."""

    publish: bool
    min_months: int | None
    max_months: int | None
    max_days: int | None = None  # a period counted in days (简易程序 7 days)


@dataclass(frozen=True)
class Regime:
    key: str
    name: str
    start: dt.date  # decisions on or after this date
    periods: Mapping[Severity, Period]
    field_minimum: Mapping[Field, int]  # months: a longer minimum for these fields
    special_fields_full: bool = False  # 特定严重 shown the whole max and not repairable


REGIMES: tuple[Regime, ...] = (
    Regime(
        "2019",
        "发改办财金〔2019〕527号",
        dt.date(2019, 7, 1),
        {
            Severity.MINOR: Period(True, None, None, max_days=7),
            Severity.GENERAL: Period(True, 3, 12),
            Severity.SERIOUS: Period(True, 6, 36),
            Severity.SPECIAL: Period(True, None, 36),
        },
        {},
        special_fields_full=True,
    ),
    Regime(
        "2023",
        "《失信行为纠正后的信用信息修复管理办法（试行）》（2023）",
        dt.date(2023, 5, 1),
        {
            Severity.MINOR: Period(True, None, None, max_days=7),
            Severity.GENERAL: Period(True, 3, 36),
            Severity.SERIOUS: Period(True, 3, 36),
            Severity.SPECIAL: Period(True, None, 36),
        },
        {Field.SPECIAL_EQUIPMENT: 12, Field.WORK_SAFETY: 12, Field.FIRE: 12},
    ),
    Regime(
        "2026",
        "《信用修复管理办法》（2026年4月1日起施行）",
        dt.date(2026, 4, 1),
        {
            Severity.MINOR: Period(False, None, None),
            Severity.GENERAL: Period(True, 3, 12),
            Severity.SERIOUS: Period(True, 12, 36),
            Severity.SPECIAL: Period(True, None, 36),
        },
        {},
    ),
)


def regime_for(decided_on: dt.date) -> Regime:
    chosen = REGIMES[0]
    for regime in REGIMES:
        if decided_on >= regime.start:
            chosen = regime
    return chosen


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Publicity:
    publish: bool
    until: dt.date | None  # last day shown; None: no end (licences)
    repair_from: dt.date | None  # 信用修复 possible from this day; None: not repairable
    explanation: str


def publicity_for(
    kind: RecordKind | str,
    decided_on: dt.date,
    severity: Severity | str | None = None,
    field: Field | str | None = None,
    *,
    minor: bool = False,
    valid_to: dt.date | None = None,
) -> Publicity:
    """Whether and until when a decision is shown (publicity counted from the decision date)."""
    kind = RecordKind(kind)
    if minor:
        return Publicity(False, None, None, "行政相对人为未成年人，不予公示")
    if kind is RecordKind.LICENCE:
        return Publicity(
            True,
            valid_to,
            None,
            "行政许可信息在有效期内公示" if valid_to else "行政许可信息长期公示",
        )
    regime = regime_for(decided_on)
    sev = Severity(severity or Severity.GENERAL)
    fld = Field(field or Field.GENERAL)
    period = regime.periods[sev]
    if not period.publish:
        return Publicity(False, None, None, f"依{regime.name}，{sev.label}失信信息原则上不予公示")
    if period.max_days is not None:
        until = decided_on + dt.timedelta(days=period.max_days - 1)
        return Publicity(
            True, until, None, f"依{regime.name}，{sev.label}信息公示{period.max_days}日"
        )
    assert period.max_months is not None
    until = add_months(decided_on, period.max_months) - dt.timedelta(days=1)
    min_months = period.min_months
    special_full = regime.special_fields_full and fld in (
        Field.FOOD,
        Field.ENVIRONMENT,
        Field.WORK_SAFETY,
    )
    if sev is Severity.SERIOUS and special_full:
        min_months = None
    if min_months is not None and fld in regime.field_minimum:
        min_months = max(min_months, regime.field_minimum[fld])
    repair = add_months(decided_on, min_months) if min_months is not None else None
    text = f"依{regime.name}，{sev.label}信息最长公示{period.max_months}个月"
    text += f"，{min_months}个月后可申请信用修复" if repair else "，不可提前修复"
    return Publicity(True, until, repair, text)


# ── masking ──────────────────────────────────────────────────────────────────────────────


def public_party_name(party_kind: str, name: str) -> str:
    """A natural person's name as the public sees it (the privacy review's name masker)."""
    if party_kind == PartyKind.PERSON:
        return mask_value(Kind.NAME, name)
    return name


def public_id_number(id_type: str, number: str) -> str:
    """Certificate numbers shown masked (6 + stars + 4 for 身份证; the passport rule else)."""
    if not number:
        return ""
    kind = Kind.ID_NUMBER if id_type == IdType.RESIDENT_ID else Kind.PASSPORT
    return mask_value(kind, number)


# ── 行政执法公示 (国办发〔2018〕118号): 执法主体 and 执法人员 ─────────────────────────────────
#
# The officers are the 执法检查人员名录库 of 双随机 (one list of people). What of an officer the
# public may see is this list and nothing else: 姓名, 执法证号 (so a person can check the
# certificate shown to them), 执法机关 and 执法区域. Never published: the place of residence
# (kept for recusal), declared conflicts of interest and their reasons, officers no longer in
# post (a certificate look-up only says it is not a valid one).


@dataclass(frozen=True)
class OfficerField:
    key: str
    label: str


OFFICER_PUBLIC_FIELDS: tuple[OfficerField, ...] = (
    OfficerField("name", "姓名"),
    OfficerField("certificate_no", "执法证号"),
    OfficerField("agency", "执法机关"),
    OfficerField("districts", "执法区域"),
)
OFFICER_PRIVATE_FIELDS: tuple[OfficerField, ...] = (
    OfficerField("residence_district", "居住地"),
    OfficerField("extra_recusal_districts", "其他回避区域"),
    OfficerField("conflicts", "回避申报及理由"),
)
WHOLE_AREA = "全市范围"


def officer_districts(districts: object) -> str:
    """执法区域 as shown: the districts in charge, or the whole area when none is set."""
    if isinstance(districts, list | tuple) and districts:
        return "、".join(str(d) for d in districts)
    return WHOLE_AREA


def normalize_certificate(text: str) -> str:
    """A certificate number as typed by a visitor: spaces and full-width forms removed."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).upper()[:30]
