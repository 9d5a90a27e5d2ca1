"""What the privacy review looks for, and what a detector reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of personal information (个人信息) the detectors find."""

    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    PASSPORT = "passport"
    TRAVEL_PERMIT = "travel_permit"
    LICENCE_PLATE = "licence_plate"
    ADDRESS = "address"
    NAME = "name"
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.ID_NUMBER: "身份证号",
    Kind.MOBILE: "手机号码",
    Kind.LANDLINE: "固定电话",
    Kind.BANK_CARD: "银行卡号",
    Kind.EMAIL: "电子邮箱",
    Kind.PASSPORT: "护照号码",
    Kind.TRAVEL_PERMIT: "通行证号码",
    Kind.LICENCE_PLATE: "车牌号码",
    Kind.ADDRESS: "详细住址",
    Kind.NAME: "姓名",
    Kind.UNREADABLE: "无法读取的内容",
}


class PublicKind(StrEnum):
    """Codes that look like personal data but are published on purpose; never flagged."""

    USCC = "uscc"
    ORG_CODE = "org_code"
    DOC_NUMBER = "doc_number"
    INDEX_NUMBER = "index_number"
    DATE = "date"
    AMOUNT = "amount"
    SERIAL = "serial"

    @property
    def label(self) -> str:
        return PUBLIC_KIND_LABELS[self]


PUBLIC_KIND_LABELS: dict[PublicKind, str] = {
    PublicKind.USCC: "统一社会信用代码",
    PublicKind.ORG_CODE: "组织机构代码",
    PublicKind.DOC_NUMBER: "发文字号",
    PublicKind.INDEX_NUMBER: "索引号",
    PublicKind.DATE: "日期",
    PublicKind.AMOUNT: "金额",
    PublicKind.SERIAL: "编号",
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal information: kind, span in the scanned text, score 0–1, reason."""

    kind: Kind
    start: int
    end: int
    text: str
    score: float
    reason: str

    def with_score(self, score: float, extra_reason: str) -> Finding:
        reason = f"{self.reason}；{extra_reason}" if extra_reason else self.reason
        return Finding(self.kind, self.start, self.end, self.text, _clamp(score), reason)


@dataclass(frozen=True)
class PublicSpan:
    """A recognised public code (统一社会信用代码, 文号, 日期 …) that must not be flagged."""

    kind: PublicKind
    start: int
    end: int
    text: str


def _clamp(score: float) -> float:
    return round(min(0.99, max(0.0, score)), 2)


def clamp_score(score: float) -> float:
    """Scores are kept in [0, 0.99] with two decimals; 1.0 is reserved for unreadable content."""
    return _clamp(score)
