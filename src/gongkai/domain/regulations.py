"""The law in one place: each version of the 《中华人民共和国政府信息公开条例》 and every time limit
it sets, typed once.

Everything else reads these figures: the deadline engine (``gongkai.domain.deadlines``), the
seed rows administrators then edit (workcalendar's ``DeadlineRule``, reporting's
``ReportDeadline``), the letters and pages that state a limit, the catalogue's 第二十六条
deadline and the API's descriptions. A test (``tests/domain/test_regulations.py``) fails when
one of these figures is typed anywhere else in ``src``.

A limit of 0 means that version of the 条例 sets none. The letters also state two periods from
other laws (the remedies every reply names); they are here so that a letter never types a
period of its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum


class PauseReason(StrEnum):
    """Clock stops a version of the 条例 may recognise (第三十三条第三款: consultation time is
    not counted; the fee rules: the payment period is not counted)."""

    THIRD_PARTY = "third_party"
    OTHER_AGENCY = "other_agency"
    FEE = "fee"

    @property
    def label(self) -> str:
        return PAUSE_LABELS[self]


PAUSE_LABELS: dict[PauseReason, str] = {
    PauseReason.THIRD_PARTY: "征求第三方意见",
    PauseReason.OTHER_AGENCY: "征求其他机关意见",
    PauseReason.FEE: "缴费期间",
}


@dataclass(frozen=True)
class AnnualReportDeadline:
    """By when an agency of a kind publishes last year's report (month and day of the next
    year), for report years ``first_year`` to ``last_year``."""

    agency_kind: str  # organizations.AgencyKind value
    month: int
    day: int
    first_year: int
    last_year: int | None
    basis: str


@dataclass(frozen=True)
class RuleSet:
    """The time limits of one version of the regulation (working days unless named otherwise).

    ``pause_reasons`` are the clock stops this version recognises; a pause for another reason
    is recorded but does not stop the clock.
    """

    code: str
    name: str
    valid_from: date
    valid_to: date | None
    answer_days: int  # 答复期限
    extension_max_days: int  # 延长答复期限最长
    correction_notice_days: int  # 补正告知
    third_party_days: int  # 第三方提出意见
    other_agency_days: int  # 其他机关提出意见
    fee_payment_days: int  # 缴纳信息处理费
    pause_reasons: tuple[str, ...] = (
        PauseReason.THIRD_PARTY,
        PauseReason.OTHER_AGENCY,
        PauseReason.FEE,
    )
    # 主动公开: publish within this many working days of the information being made or changed
    proactive_days: int = 0

    def applies_to(self, received: date) -> bool:
        return self.valid_from <= received and (self.valid_to is None or received <= self.valid_to)

    def pause_limit(self, reason: str) -> int:
        return {
            PauseReason.THIRD_PARTY: self.third_party_days,
            PauseReason.OTHER_AGENCY: self.other_agency_days,
            PauseReason.FEE: self.fee_payment_days,
        }.get(PauseReason(reason), 0)

    def summary(self) -> str:
        text = f"答复期限{self.answer_days}个工作日，可延长最多{self.extension_max_days}个工作日"
        if self.correction_notice_days:
            text += f"；补正告知{self.correction_notice_days}个工作日内发出"
        return text

    def as_row(self) -> dict[str, object]:
        """The fields of workcalendar's ``DeadlineRule`` row seeded from this version."""
        row = asdict(self)
        row.pop("proactive_days")
        row["pause_reasons"] = ",".join(str(r) for r in self.pause_reasons)
        return row


# 国务院令第492号, 2008-05-01 to 2019-05-14: 第二十四条 15 + 15 working days; 第二十三条 third
# parties consulted, their time not counted; 第十八条 publish within 20 working days; no
# statutory limits for 补正 notices or fees.
RULESET_2008 = RuleSet(
    code="2008",
    name="《中华人民共和国政府信息公开条例》（国务院令第492号，2008年5月1日施行）",
    valid_from=date(2008, 5, 1),
    valid_to=date(2019, 5, 14),
    answer_days=15,
    extension_max_days=15,
    correction_notice_days=0,
    third_party_days=0,
    other_agency_days=0,
    fee_payment_days=0,
    pause_reasons=(PauseReason.THIRD_PARTY,),
    proactive_days=20,
)

# 国务院令第711号, in force 2019-05-15: 第二十六条 publish within 20; 第三十条 补正 notice
# within 7; 第三十二条 third party answers within 15; 第三十三条 20 + at most 20; 第三十四条
# other agency answers within 15; 《政府信息公开信息处理费管理办法》 payment within 20.
RULESET_2019 = RuleSet(
    code="2019",
    name="《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日施行）",
    valid_from=date(2019, 5, 15),
    valid_to=None,
    answer_days=20,
    extension_max_days=20,
    correction_notice_days=7,
    third_party_days=15,
    other_agency_days=15,
    fee_payment_days=20,
    proactive_days=20,
)

DEFAULT_RULESETS: tuple[RuleSet, ...] = (RULESET_2008, RULESET_2019)
# the version every new request, letter and page is handled under
CURRENT = RULESET_2019

_ART_49 = "《政府信息公开条例》（2019年修订）第四十九条"
_ART_31_2008 = "《政府信息公开条例》（2008年）第三十一条"
# 第四十九条 (2019): departments by 31 January, governments by 31 March of the next year; the
# 2008 条例 (第三十一条) set 31 March for every agency. Townships follow the departments' date in
# most provinces' rules (administrators change the row where theirs differs).
ANNUAL_REPORT_DEADLINES: tuple[AnnualReportDeadline, ...] = (
    AnnualReportDeadline("department", 1, 31, 2019, None, _ART_49),
    AnnualReportDeadline("government", 3, 31, 2019, None, _ART_49),
    AnnualReportDeadline(
        "township", 1, 31, 2019, None, "地方规定（参照县级以上人民政府部门的期限）"
    ),
    AnnualReportDeadline("other", 1, 31, 2019, None, "参照县级以上人民政府部门的期限"),
    AnnualReportDeadline("department", 3, 31, 2008, 2018, _ART_31_2008),
    AnnualReportDeadline("government", 3, 31, 2008, 2018, _ART_31_2008),
    AnnualReportDeadline("township", 3, 31, 2008, 2018, _ART_31_2008),
    AnnualReportDeadline("other", 3, 31, 2008, 2018, _ART_31_2008),
)

# the remedies every reply states (not the 条例's own periods): 行政复议法第二十条 (60 days from
# knowing of the act), 行政诉讼法第四十六条 (6 months)
RECONSIDERATION_PERIOD = "六十日"
LITIGATION_PERIOD = "六个月"
