"""Facts the annual report is computed from, as each context hands them over.

Case handling, the catalogue and the mailbox each expose a selector returning these plain
records for a set of agencies and a year; the reporting context aggregates them with the
format declarations. Keeping the hand-over in plain dataclasses lets every report be
recomputed and tested without the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from gongkai.domain.decisions import ApplicantType


class RequestChannel(StrEnum):
    """How a request arrived. The seed-era report counts 当面 / 传真 / 网络 / 信函."""

    IN_PERSON = "in_person"  # 当面
    FAX = "fax"  # 传真
    ONLINE = "online"  # 网络 (portal form)
    EMAIL = "email"  # 电子邮件 (counted with 网络 in the 2008 format)
    LETTER = "letter"  # 信函 (registered or ordinary post)


class AppealKind(StrEnum):
    RECONSIDERATION = "reconsideration"  # 行政复议
    LITIGATION_DIRECT = "litigation_direct"  # 行政诉讼：未经复议直接起诉
    LITIGATION_AFTER = "litigation_after"  # 行政诉讼：复议后起诉


class AppealResult(StrEnum):
    UPHELD = "upheld"  # 结果维持 / 维持具体行政行为 (诉讼: 或驳回原告诉讼请求)
    CORRECTED = "corrected"  # 结果纠正 / 被依法纠错
    OTHER = "other"  # 其他结果 / 其他情形
    PENDING = "pending"  # 尚未审结


@dataclass(frozen=True)
class RequestFact:
    """One 依申请公开 case."""

    agency_id: int
    applicant_type: ApplicantType
    channel: RequestChannel
    received: dt.date
    closed: dt.date | None  # the day the answer (or the ending) was given; None while open
    decision: str | None  # a code of gongkai.domain.decisions.DECISIONS
    extended: bool = False  # closed inside an approved extension (延期办结)
    on_time: bool | None = None  # closed by its deadline; None while open
    fee_yuan: int = 0  # 信息处理费 collected
    ref: str = ""  # the case's registration number, so a report cell can list its cases


@dataclass(frozen=True)
class AppealFact:
    agency_id: int
    kind: AppealKind
    filed: dt.date
    result: AppealResult
    decided: dt.date | None = None
    ref: str = ""  # the appeal's own reference (复议决定书/判决书 number or case number)


class PublicationChannel(StrEnum):
    """Where proactively disclosed information went (seed: 门户网站, 政府公报, 政务微博, 政务微信, 报刊/电视/电子显示屏)."""

    WEBSITE = "website"
    GAZETTE = "gazette"
    WEIBO = "weibo"
    WECHAT = "wechat"
    NEWSPAPER = "newspaper"
    TV = "tv"
    SCREEN = "screen"
    OTHER = "other"


@dataclass(frozen=True)
class CatalogFacts:
    """Proactive disclosure by one agency in one year."""

    agency_id: int
    year: int
    published: dict[PublicationChannel, int] = field(default_factory=dict)
    # 第二十条第（一）项: (made this year, repealed this year, in force at year end)
    rules: tuple[int, int, int] = (0, 0, 0)  # 规章
    normative: tuple[int, int, int] = (0, 0, 0)  # 行政规范性文件
    # published (公开) in the year, whenever made: the 2019 format's 本年新公开数量
    rules_published: int = 0
    normative_published: int = 0
    interpretations: int = 0  # 政策解读
    press_conferences: int = 0  # 新闻发布会


@dataclass(frozen=True)
class MailboxFacts:
    agency_id: int
    year: int
    received: int
    answered: int
    answered_on_time: int = 0
