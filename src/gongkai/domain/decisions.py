"""The answer taxonomy of a disclosure request, shared by case handling and the annual report.

Every decision a case can end with has one code. Each code names the article of the 条例
(2019) it rests on, the row of annual-report table 三 it counts in (2021 format; the 2019
format folds the three 其他处理 rows into one), and the seed-era (2008-regulation) answer
category, so every report format is computed from the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class ApplicantType(StrEnum):
    """申请人情况 columns of table 三."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICE = "legal_service"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return APPLICANT_TYPE_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantType.NATURAL_PERSON


APPLICANT_TYPE_LABELS: dict[ApplicantType, str] = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.COMMERCIAL: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICE: "法律服务机构",
    ApplicantType.OTHER_ORG: "其他",
}


class LegacyCategory(StrEnum):
    """Answer categories of the 2008-regulation reports (as in the seed city's 2018 report)."""

    ALREADY_PUBLIC = "属于已主动公开"
    AGREED = "同意公开"
    AGREED_PARTIAL = "同意部分公开"
    REFUSED = "不同意公开"
    NOT_THIS_AGENCY = "不属于本行政机关公开"
    NOT_EXIST = "申请信息不存在"
    ASKED_TO_AMEND = "告知作出更改补充"
    OTHER_CHANNEL = "告知通过其他途径办理"
    OTHER = "其他"


@dataclass(frozen=True)
class Decision:
    code: str
    label: str  # as the answer letter and the back office call it
    basis: str  # 条例 article(s)
    table3_row: str  # key of the 2021 table-三 leaf row
    legacy: LegacyCategory
    # the reply gives reasons the applicant can contest: its text must state them
    requires_reasons: bool = False
    # information is provided with the reply (the released documents must be uploaded)
    releases_information: bool = False


# table-三 leaf row keys (2021 format), in the official order
TABLE3_LEAF_ROWS: tuple[tuple[str, str], ...] = (
    ("disclosed", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld.state_secret", "（三）不予公开 1.属于国家秘密"),
    ("withheld.law_forbids", "（三）不予公开 2.其他法律行政法规禁止公开"),
    ("withheld.security", "（三）不予公开 3.危及“三安全一稳定”"),
    ("withheld.third_party", "（三）不予公开 4.保护第三方合法权益"),
    ("withheld.internal", "（三）不予公开 5.属于三类内部事务信息"),
    ("withheld.process", "（三）不予公开 6.属于四类过程性信息"),
    ("withheld.enforcement_file", "（三）不予公开 7.属于行政执法案卷"),
    ("withheld.query", "（三）不予公开 8.属于行政查询事项"),
    ("unavailable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "（四）无法提供 2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "（四）无法提供 3.补正后申请内容仍不明确"),
    ("ignored.petition", "（五）不予处理 1.信访举报投诉类申请"),
    ("ignored.repeat", "（五）不予处理 2.重复申请"),
    ("ignored.publication", "（五）不予处理 3.要求提供公开出版物"),
    ("ignored.excessive", "（五）不予处理 4.无正当理由大量反复申请"),
    ("ignored.confirmation", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"),
    (
        "other.no_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other.fee_unpaid",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other.other", "（六）其他处理 3.其他"),
)

_L = LegacyCategory

DECISIONS: tuple[Decision, ...] = (
    Decision(
        "already_public",
        "属于已主动公开的信息，告知获取方式和途径",
        "第三十六条第（一）项",
        "disclosed",
        _L.ALREADY_PUBLIC,
    ),
    Decision("disclosed", "予以公开", "第三十六条第（二）项", "disclosed", _L.AGREED),
    Decision("partial", "部分公开（区分处理）", "第三十七条", "partial", _L.AGREED_PARTIAL),
    Decision(
        "withheld.state_secret",
        "不予公开：属于国家秘密",
        "第十四条、第三十六条第（三）项",
        "withheld.state_secret",
        _L.REFUSED,
    ),
    Decision(
        "withheld.law_forbids",
        "不予公开：法律、行政法规禁止公开",
        "第十四条、第三十六条第（三）项",
        "withheld.law_forbids",
        _L.REFUSED,
    ),
    Decision(
        "withheld.security",
        "不予公开：危及国家安全、公共安全、经济安全、社会稳定",
        "第十四条、第三十六条第（三）项",
        "withheld.security",
        _L.REFUSED,
    ),
    Decision(
        "withheld.third_party",
        "不予公开：涉及商业秘密、个人隐私等，损害第三方合法权益",
        "第十五条、第三十二条、第三十六条第（三）项",
        "withheld.third_party",
        _L.REFUSED,
    ),
    Decision(
        "withheld.internal",
        "不予公开：属于人事管理、后勤管理、内部工作流程等内部事务信息",
        "第十六条第一款、第三十六条第（三）项",
        "withheld.internal",
        _L.REFUSED,
    ),
    Decision(
        "withheld.process",
        "不予公开：属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
        "第十六条第二款、第三十六条第（三）项",
        "withheld.process",
        _L.REFUSED,
    ),
    Decision(
        "withheld.enforcement_file",
        "不予公开：属于行政执法案卷信息",
        "第十六条第二款、第三十六条第（三）项",
        "withheld.enforcement_file",
        _L.REFUSED,
    ),
    Decision(
        "withheld.query",
        "属于行政查询事项，告知按有关规定办理",
        "第三十六条第（七）项",
        "withheld.query",
        _L.OTHER_CHANNEL,
    ),
    Decision(
        "not_exist",
        "经检索没有所申请公开信息，告知该政府信息不存在",
        "第三十六条第（四）项",
        "unavailable.not_held",
        _L.NOT_EXIST,
    ),
    Decision(
        "not_this_agency",
        "不属于本机关负责公开，告知负责公开的机关名称和联系方式",
        "第三十六条第（五）项",
        "unavailable.not_held",
        _L.NOT_THIS_AGENCY,
    ),
    Decision(
        "needs_creation",
        "需要对现有政府信息进行加工、分析，不予提供",
        "第三十八条",
        "unavailable.needs_creation",
        _L.NOT_EXIST,
    ),
    Decision(
        "unclear", "经补正后申请内容仍不明确", "第三十条", "unavailable.unclear", _L.ASKED_TO_AMEND
    ),
    Decision(
        "ignored.petition",
        "属于信访、投诉、举报等诉求，告知通过相应渠道提出",
        "第三十九条第一款",
        "ignored.petition",
        _L.OTHER_CHANNEL,
    ),
    Decision(
        "ignored.repeat",
        "重复申请，告知不予重复处理",
        "第三十六条第（六）项",
        "ignored.repeat",
        _L.OTHER_CHANNEL,
    ),
    Decision(
        "ignored.publication",
        "要求提供政府公报、报刊、书籍等公开出版物，告知获取途径",
        "第三十九条第二款",
        "ignored.publication",
        _L.OTHER_CHANNEL,
    ),
    Decision(
        "ignored.excessive",
        "无正当理由大量、频繁申请，告知不予处理",
        "第三十五条",
        "ignored.excessive",
        _L.OTHER_CHANNEL,
    ),
    # 第三十九条 is about petitions (第一款) and publications (第二款), not this; the 条例 has no
    # article of its own for it: a request to confirm or re-issue is not a request for
    # existing recorded information as 第二条 defines 政府信息 (ADR 0090)
    Decision(
        "ignored.confirmation",
        "要求确认或重新出具已获取的信息，告知不予处理",
        "第二条",
        "ignored.confirmation",
        _L.OTHER_CHANNEL,
    ),
    Decision(
        "other.no_correction",
        "申请人无正当理由逾期不补正，视为放弃申请",
        "第三十条",
        "other.no_correction",
        _L.ASKED_TO_AMEND,
    ),
    Decision(
        "other.fee_unpaid",
        "申请人逾期未缴纳信息处理费，视为放弃申请",
        "第四十二条；《政府信息公开信息处理费管理办法》",
        "other.fee_unpaid",
        _L.OTHER,
    ),
    Decision("other.withdrawn", "申请人撤回申请", "—", "other.other", _L.OTHER),
    Decision("other.other", "其他处理", "—", "other.other", _L.OTHER),
)

_REASONS = {
    "partial",
    "withheld.state_secret",
    "withheld.law_forbids",
    "withheld.security",
    "withheld.third_party",
    "withheld.internal",
    "withheld.process",
    "withheld.enforcement_file",
    "already_public",
    "not_this_agency",  # 第三十六条第（五）项: 告知申请人并说明理由
    "ignored.publication",
    "withheld.query",
    "other.other",
}
_RELEASES = {"disclosed", "partial"}
DECISIONS = tuple(
    replace(d, requires_reasons=d.code in _REASONS, releases_information=d.code in _RELEASES)
    for d in DECISIONS
)
DECISIONS_BY_CODE: dict[str, Decision] = {d.code: d for d in DECISIONS}
TABLE3_ROW_LABELS: dict[str, str] = dict(TABLE3_LEAF_ROWS)

# the 2019 format has a single 其他处理 row
TABLE3_2019_ROW: dict[str, str] = {
    key: ("other" if key.startswith("other.") else key) for key, _label in TABLE3_LEAF_ROWS
}


def decision(code: str) -> Decision:
    try:
        return DECISIONS_BY_CODE[code]
    except KeyError as exc:
        raise ValueError(f"未知的答复类型：{code}") from exc
