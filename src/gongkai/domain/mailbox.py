"""Pure rules of the government mailbox (政府信箱) and the 12345 hotline hand-over.

No Django, no clock, no randomness: callers pass dates, texts and rows in.

- letter numbers: ``XX`` + received date + a 5-digit daily sequence, e.g. ``XX2026112700012``;
- the figures the mailbox reports (reply rate 23,311 / 23,608 = 98.74%);
- 12345 work orders as rows of a file or an API call, parsed with a Chinese reason per bad row;
- the category a hotline order most likely belongs to when the file does not say;
- the website-check rule that valid messages must not wait more than 3 months for an answer
  (国办秘函〔2019〕19号, 互动回应差).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from gongkai.domain.actions import Action, State, StateTable

LETTER_NUMBER_PREFIX = "XX"
_NUMBER_RE = re.compile(r"^XX(\d{8})(\d{5,6})$")


class Category(StrEnum):
    """Letter categories offered on the form (咨询、建议、投诉、求助、其他)."""

    CONSULT = "consult"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    HELP = "help"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.CONSULT: "咨询",
    Category.SUGGESTION: "建议",
    Category.COMPLAINT: "投诉",
    Category.HELP: "求助",
    Category.OTHER: "其他",
}
CATEGORY_BY_LABEL: dict[str, Category] = {label: cat for cat, label in CATEGORY_LABELS.items()}


def cn_day(day: dt.date) -> str:
    """2019年1月17日, as letters and replies write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_letter_number(day: dt.date, sequence: int) -> str:
    if not 1 <= sequence <= 999_999:
        raise ValueError("信件日序号应在 1 至 999999 之间")
    return f"{LETTER_NUMBER_PREFIX}{day:%Y%m%d}{sequence:05d}"


def parse_letter_number(value: str) -> tuple[dt.date, int] | None:
    """(received date, daily sequence) of a letter number, or None when it is not one."""
    match = _NUMBER_RE.match(value.strip().upper())
    if match is None:
        return None
    try:
        day = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None
    sequence = int(match.group(2))
    return (day, sequence) if sequence >= 1 else None


# figures ---------------------------------------------------------------------------------------


def rate(part: int, whole: int) -> Decimal | None:
    """A share rounded half-up to 4 places (0.9874 shows as 98.74%); None when nothing to count."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Figures:
    """What the statistics pages, exports and the annual report show for one group of letters."""

    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    handling_days_total: int = 0
    handling_days_counted: int = 0
    rated: int = 0
    satisfied: int = 0  # 满意 + 基本满意

    @property
    def reply_rate(self) -> Decimal | None:
        return rate(self.answered, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.answered_on_time, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    @property
    def average_handling_days(self) -> Decimal | None:
        if self.handling_days_counted <= 0:
            return None
        return (Decimal(self.handling_days_total) / Decimal(self.handling_days_counted)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            received=self.received + other.received,
            answered=self.answered + other.answered,
            answered_on_time=self.answered_on_time + other.answered_on_time,
            handling_days_total=self.handling_days_total + other.handling_days_total,
            handling_days_counted=self.handling_days_counted + other.handling_days_counted,
            rated=self.rated + other.rated,
            satisfied=self.satisfied + other.satisfied,
        )


# deadlines and the website-check rule -------------------------------------------------------


class DueState(StrEnum):
    NONE = ""  # closed, or no due date yet
    OK = "ok"
    DUE_SOON = "due_soon"  # due within 2 calendar days
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


def due_state(due_on: dt.date | None, today: dt.date, *, closed: bool) -> DueState:
    if closed or due_on is None:
        return DueState.NONE
    if due_on < today:
        return DueState.OVERDUE
    if due_on == today:
        return DueState.DUE_TODAY
    if (due_on - today).days <= 2:
        return DueState.DUE_SOON
    return DueState.OK


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's end (1月31日 + 1 = 2月28/29日)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def unanswered_too_long(received_on: dt.date, today: dt.date, months: int = 3) -> bool:
    """True when a valid letter received on ``received_on`` has waited more than ``months``."""
    return today > add_months(received_on, months)


# the writer's own details -----------------------------------------------------------------------


def mask_value(value: str) -> str:
    """138****5678 for a phone number, 王** for a name, first character kept otherwise."""
    digits = sum(ch.isdigit() for ch in value)
    if digits >= 7:
        head, tail = (3, 4) if len(value) >= 11 else (2, 2)
        return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
    if "@" in value:
        local, _, domain = value.partition("@")
        return local[:1] + "*" * max(1, len(local) - 1) + "@" + domain
    return value[:1] + "*" * (len(value) - 1)


def mask_known_values(text: str, values: Iterable[str]) -> str:
    """Mask the writer's own name, phone, e-mail, address and ID number wherever they occur.

    The mailbox knows these values, so it masks them even where a detector would not recognise
    them (a reply that opens with the writer's name, an address without a house number). A
    value another masker already masked in part (王*明 for 王小明) is still found: after its
    first character, each character may already be ``*``."""
    known = sorted({v.strip() for v in values if len(v.strip()) >= 2}, key=len, reverse=True)
    for value in known:
        pattern = re.escape(value[0]) + "".join(f"[{re.escape(ch)}*]" for ch in value[1:])
        text = re.sub(pattern, mask_value(value), text)
    return text


# category guess for hotline orders -------------------------------------------------------------

_CATEGORY_HINTS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.COMPLAINT, ("投诉", "举报", "反映", "不作为", "乱收费", "扰民", "拖欠")),
    (Category.HELP, ("求助", "救助", "帮助", "帮忙", "困难", "无法")),
    (Category.SUGGESTION, ("建议", "希望", "呼吁", "能否增设", "增设", "改进")),
    (Category.CONSULT, ("咨询", "请问", "如何办理", "怎么办理", "是否", "？", "?")),
)


def guess_category(text: str) -> Category:
    """The first category whose hint words appear most often; 其他 when none appears."""
    best, best_hits = Category.OTHER, 0
    for category, words in _CATEGORY_HINTS:
        hits = sum(text.count(word) for word in words)
        if hits > best_hits:
            best, best_hits = category, hits
    return best


# 12345 work orders -----------------------------------------------------------------------------

# header in a file -> field; the 12345 platform and hand-made spreadsheets name columns differently
HOTLINE_HEADERS: dict[str, str] = {
    "工单编号": "order_no",
    "工单号": "order_no",
    "order_no": "order_no",
    "来电时间": "called_at",
    "受理时间": "called_at",
    "called_at": "called_at",
    "来电人": "caller_name",
    "来电人姓名": "caller_name",
    "姓名": "caller_name",
    "caller_name": "caller_name",
    "联系方式": "caller_phone",
    "联系电话": "caller_phone",
    "来电号码": "caller_phone",
    "caller_phone": "caller_phone",
    "来电人/联系方式": "caller",
    "来电人及联系方式": "caller",
    "caller": "caller",
    "内容": "content",
    "诉求内容": "content",
    "工单内容": "content",
    "content": "content",
    "承办单位": "agency",
    "承办部门": "agency",
    "agency": "agency",
    "类别": "category",
    "诉求类型": "category",
    "category": "category",
    "标题": "subject",
    "诉求标题": "subject",
    "subject": "subject",
}
HOTLINE_REQUIRED = ("order_no", "called_at", "content")
ORDER_NO_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_]{3,39}$")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日",
)
MAX_CONTENT = 20_000


@dataclass(frozen=True)
class HotlineOrder:
    line: int
    order_no: str
    called_at: dt.datetime  # naive local time, or aware when the source gave an offset
    caller_name: str
    caller_phone: str
    content: str
    agency: str  # 承办单位 as written (code, full or short name); "" = to be dispatched
    category: Category | None
    subject: str


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    order_no: str = ""


def normalize_headers(headers: list[str]) -> dict[int, str]:
    """Column index -> field for the headers we know (others are ignored)."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = str(header or "").strip().replace(" ", "").replace("\ufeff", "")
        field = HOTLINE_HEADERS.get(key) or HOTLINE_HEADERS.get(key.lower())
        if field and field not in mapping.values():
            mapping[index] = field
    return mapping


def missing_columns(fields: set[str]) -> list[str]:
    names = {"order_no": "工单编号", "called_at": "来电时间", "content": "内容"}
    return [names[f] for f in HOTLINE_REQUIRED if f not in fields]


def parse_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def split_caller(value: str) -> tuple[str, str]:
    """“王先生 13800138000” -> (“王先生”, “13800138000”)."""
    match = _PHONE_RE.search(value)
    if match is None:
        return value.strip(" ，,;；/"), ""
    name = (value[: match.start()] + value[match.end() :]).strip(" ，,;；/:：")
    return name, match.group(1)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_hotline_record(
    line: int,
    record: Mapping[str, object],
    *,
    earliest: dt.date,
    latest: dt.datetime,
) -> HotlineOrder | RowError:
    """One work order from a record keyed by field names; a RowError says why it is refused.

    ``latest`` is the current local time: an order cannot be called in the future (a small
    clock skew of one hour is tolerated); ``earliest`` catches mistyped years.
    """
    order_no = _text(record.get("order_no"))
    if not order_no:
        return RowError(line, "缺少工单编号")
    if not ORDER_NO_RE.match(order_no):
        return RowError(
            line, f"工单编号“{order_no[:40]}”格式不对（应为4至40位字母、数字或连字符）", order_no
        )
    raw_time = record.get("called_at")
    called_at = parse_datetime(raw_time)
    if called_at is None:
        shown = _text(raw_time)
        return RowError(
            line,
            f"来电时间“{shown}”无法识别（示例：2026-11-27 09:30）" if shown else "缺少来电时间",
            order_no,
        )
    naive = called_at.replace(tzinfo=None) if called_at.tzinfo is None else None
    if naive is not None:
        if naive.date() < earliest:
            return RowError(line, f"来电时间 {naive:%Y-%m-%d} 早于 {earliest:%Y-%m-%d}", order_no)
        if naive > latest + dt.timedelta(hours=1):
            return RowError(line, f"来电时间 {naive:%Y-%m-%d %H:%M} 晚于当前时间", order_no)
    content = _text(record.get("content"))
    if not content:
        return RowError(line, "缺少内容", order_no)
    if len(content) > MAX_CONTENT:
        return RowError(line, f"内容超过 {MAX_CONTENT} 字", order_no)
    name = _text(record.get("caller_name"))
    phone = _text(record.get("caller_phone"))
    combined = _text(record.get("caller"))
    if combined and not (name or phone):
        name, phone = split_caller(combined)
    phone = phone.replace(" ", "")
    if phone and not re.fullmatch(r"[0-9+\-]{5,20}", phone):
        return RowError(line, f"联系方式“{phone[:30]}”不是电话号码", order_no)
    category: Category | None = None
    raw_category = _text(record.get("category"))
    if raw_category:
        category = CATEGORY_BY_LABEL.get(raw_category)
        if category is None:
            try:
                category = Category(raw_category)
            except ValueError:
                labels = "、".join(CATEGORY_LABELS.values())
                return RowError(line, f"类别“{raw_category}”应为{labels}之一", order_no)
    subject = _text(record.get("subject"))[:200]
    return HotlineOrder(
        line=line,
        order_no=order_no,
        called_at=called_at,
        caller_name=name[:50],
        caller_phone=phone,
        content=content,
        agency=_text(record.get("agency")),
        category=category,
        subject=subject,
    )


def subject_from_content(content: str, limit: int = 30) -> str:
    """A title for letters that came without one: the first sentence, shortened."""
    first = re.split(r"[。！？!?\n]", content.strip(), maxsplit=1)[0].strip()
    if not first:
        first = content.strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


# a letter's states and the acts that move it (the shared transition frame applies them) ------


class LetterState(State):
    RECEIVED = "received", "待分办"
    HANDLING = "handling", "办理中"
    REVIEW = "review", "待审核"
    ANSWERED = "answered", "已答复"
    REDIRECTED = "redirected", "已告知其他渠道"
    CONVERTED = "converted", "已转依申请公开"
    INVALID = "invalid", "无效信件"


class LetterAction(Action):
    """Every act the audit log records of the mailbox (the state changes of a letter are the
    rows of :data:`LETTER_STATES`); the value is the audit action code."""

    ASSIGN = "letter.assign", "分办"
    TRANSFER = "letter.transfer", "转办"
    RETURN = "letter.return", "退回分办"
    SUBMIT_REVIEW = "letter.submit_review", "提交答复审核"
    SEND_BACK = "letter.send_back", "退回"
    ANSWER = "letter.answer", "答复"
    REDIRECT = "letter.redirect", "告知其他渠道"
    CONVERT = "letter.convert", "转为依申请公开"
    MARK_INVALID = "letter.mark_invalid", "标为无效信件"
    # recorded acts that change no state
    RECEIVE = "letter.submit", "收到来信"
    HOTLINE_TAKE_IN = "letter.hotline_take_in", "接收12345工单"
    DRAFT_SAVE = "letter.draft_save", "保存答复草稿"
    RATE = "letter.rate", "写信人评价"
    CONSENT_WITHDRAW = "letter.consent_withdraw", "撤回公开同意"
    PUBLICATION_PREPARE = "letter.publication_prepare", "准备公开稿"
    PUBLICATION_REFUSE = "letter.publication_refuse", "不予公开"
    PUBLISH = "letter.publish", "公开信件"
    UNPUBLISH = "letter.unpublish", "撤下公开信件"
    PUBLIC_REFRESH = "letter.public_refresh", "按隐私审查决定更新公开信件"
    DUE_RECOMPUTE = "letter.due_recompute", "重新计算答复期限"
    TIME_LIMITS_DEFAULT = "mailbox.time_limits_default", "设置默认答复时限"
    CLASSIFIER_TRAIN = "classifier.train", "训练分办模型"
    JOB_CLASSIFIER_TRAIN = "mailbox.classifier_train", "训练分办模型"
    HOTLINE_IMPORT = "mailbox.hotline_import", "导入12345工单"
    HOTLINE_IMPORT_CREATE = "hotline_import.create", "新建工单导入"
    HOTLINE_IMPORT_FINISH = "hotline_import.finish", "完成工单导入"
    HOTLINE_IMPORT_FAIL = "hotline_import.fail", "工单导入失败"
    DEMO_HISTORY = "mailbox.demo_history", "载入示例信件"
    DEMO_SETTINGS = "mailbox.demo_settings", "载入示例信箱设置"


_OPEN = (LetterState.RECEIVED, LetterState.HANDLING, LetterState.REVIEW)
_S, _A = LetterState, LetterAction
LETTER_STATES: StateTable[LetterState, LetterAction] = StateTable.of(
    [
        (_S.RECEIVED, _A.ASSIGN, _S.HANDLING),
        ((_S.HANDLING, _S.REVIEW), _A.TRANSFER, _S.HANDLING),
        (_S.HANDLING, _A.RETURN, _S.RECEIVED),
        (_S.HANDLING, _A.SUBMIT_REVIEW, _S.REVIEW),
        (_S.REVIEW, _A.SEND_BACK, _S.HANDLING),
        ((_S.HANDLING, _S.REVIEW), _A.ANSWER, _S.ANSWERED),
        (_OPEN, _A.REDIRECT, _S.REDIRECTED),
        (_OPEN, _A.CONVERT, _S.CONVERTED),
        (_OPEN, _A.MARK_INVALID, _S.INVALID),
    ]
)
