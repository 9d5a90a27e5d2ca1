"""From the facts each context hands over to named counts ("measures") per agency.

Which records count in which year (ADR 0071):

- 依申请公开: a case belongs to year Y's report when it was received in Y (本年新收) or received
  earlier and still open on 1 January of Y (上年结转). Of those, the ones closed by 31 December
  count under their decision (本年度办理结果); the rest are 结转下年度继续办理. The seed-era
  format counts the same cases as "handled" (办理) and splits them by channel, timeliness and
  answer category, with the still-open ones as 尚未办结.
- 行政复议 / 行政诉讼: cases filed in Y, with the result known on 31 December (later results
  count as 尚未审结 in Y's report).
- Proactive disclosure and mailbox figures come per agency and year from their contexts.

Measures are plain strings so that formats can name them in their declarations:
``req.<period or table-三 row>.<applicant type>``, ``req8.<split>.<value>``,
``appeal.<kind>.<result>``, ``pub.<channel>``, ``info.<interpretations|press_conferences>``, ``doc.<rules|normative>.<made|repealed|in_force|published>``,
``mail.<received|answered|on_time>``, ``entered.<figure>``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.domain.decisions import DECISIONS_BY_CODE, ApplicantType, LegacyCategory
from gongkai.domain.reportfacts import (
    AppealFact,
    AppealResult,
    CatalogFacts,
    MailboxFacts,
    RequestChannel,
    RequestFact,
)
from gongkai.domain.reports.model import ENTERED_PREFIX, Number

# the seed-era format knows four channels; e-mail counts with 网络
CHANNEL_2008: dict[RequestChannel, str] = {
    RequestChannel.IN_PERSON: "in_person",
    RequestChannel.FAX: "fax",
    RequestChannel.ONLINE: "online",
    RequestChannel.EMAIL: "online",
    RequestChannel.LETTER: "letter",
}

OTHER_ROW = "other.other"


@dataclass
class MeasureSet:
    """Measures per agency for one year, and what could not be counted cleanly."""

    year: int
    by_agency: dict[int, dict[str, Number]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def for_agency(self, agency_id: int) -> dict[str, Number]:
        return self.by_agency.setdefault(agency_id, {})

    def add(self, agency_id: int, key: str, value: Number) -> None:
        bucket = self.for_agency(agency_id)
        bucket[key] = bucket.get(key, 0) + value

    def total(self) -> dict[str, Number]:
        out: dict[str, Number] = {}
        for measures in self.by_agency.values():
            for key, value in measures.items():
                out[key] = out.get(key, 0) + value
        return out


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# (agency, period, applicant type, seed-era channel, decision code or None when open, timing)
_Signature = tuple[int, str, ApplicantType, str, str | None, str]


def _timing(fact: RequestFact, closed_in_year: bool) -> str:
    if not closed_in_year:
        return "open"
    if fact.on_time is False:
        return "late"
    return "extended" if fact.extended else "on_time"


def request_signature(fact: RequestFact, year: int) -> _Signature | None:
    """What about this case matters to the year's report; None when it does not count."""
    start, end = year_bounds(year)
    if fact.received > end:
        return None
    if fact.received < start:
        if fact.closed is not None and fact.closed < start:
            return None
        period = "carried"
    else:
        period = "new"
    closed_in_year = fact.closed is not None and fact.closed <= end
    return (
        fact.agency_id,
        period,
        fact.applicant_type,
        CHANNEL_2008[fact.channel],
        (fact.decision or "") if closed_in_year else None,
        _timing(fact, closed_in_year),
    )


def _legacy_key(category: LegacyCategory) -> str:
    return category.name.lower()


def signature_measures(signature: _Signature, warnings: list[str] | None = None) -> list[str]:
    """The measure names one case with this signature adds 1 to."""
    _agency, period, applicant, channel, code, timing = signature
    at = applicant.value
    keys = [
        f"req.{period}.{at}",
        "req8.handled",
        f"req8.channel.{channel}",
        f"req8.timing.{timing}",
    ]
    if code is None:
        keys += [f"req.carry_next.{at}", "req8.outcome.open"]
        return keys
    found = DECISIONS_BY_CODE.get(code)
    if found is None:
        if warnings is not None:
            what = f"答复类型“{code}”未知" if code else "已办结但未记录答复类型"
            warnings.append(f"{what}，已计入“其他处理”")
        keys += [f"req.{OTHER_ROW}.{at}", "req8.outcome.other"]
        return keys
    keys += [f"req.{found.table3_row}.{at}", f"req8.outcome.{_legacy_key(found.legacy)}"]
    return keys


def request_fact_measures(fact: RequestFact, year: int) -> list[str]:
    """Measures one case contributes to (used to drill down from a cell to its records)."""
    signature = request_signature(fact, year)
    return [] if signature is None else signature_measures(signature)


def _appeal_result(fact: AppealFact, year: int) -> AppealResult | None:
    start, end = year_bounds(year)
    if not (start <= fact.filed <= end):
        return None
    if fact.result is AppealResult.PENDING:
        return AppealResult.PENDING
    if fact.decided is not None and fact.decided > end:
        return AppealResult.PENDING
    return fact.result


def appeal_fact_measures(fact: AppealFact, year: int) -> list[str]:
    result = _appeal_result(fact, year)
    if result is None:
        return []
    return [f"appeal.{fact.kind.value}.{result.value}"]


def compute_measures(
    *,
    year: int,
    requests: Iterable[RequestFact] = (),
    appeals: Iterable[AppealFact] = (),
    catalog: Iterable[CatalogFacts] = (),
    mailbox: Iterable[MailboxFacts] = (),
    entered: Mapping[int, Mapping[str, Number]] | None = None,
) -> MeasureSet:
    """Count the facts of one year into measures per agency."""
    result = MeasureSet(year=year)
    signatures: Counter[_Signature] = Counter()
    fees: Counter[int] = Counter()
    _start, end = year_bounds(year)
    for fact in requests:
        signature = request_signature(fact, year)
        if signature is None:
            continue
        signatures[signature] += 1
        if fact.fee_yuan and fact.closed is not None and fact.closed <= end:
            fees[fact.agency_id] += fact.fee_yuan
    for signature, count in signatures.items():
        for key in signature_measures(signature, result.warnings):
            result.add(signature[0], key, count)
    for agency_id, amount in fees.items():
        result.add(agency_id, "req.fee_yuan", amount)
    for appeal in appeals:
        for key in appeal_fact_measures(appeal, year):
            result.add(appeal.agency_id, key, 1)
    for facts in catalog:
        if facts.year != year:
            continue
        for channel, count in facts.published.items():
            result.add(facts.agency_id, f"pub.{channel.value}", count)
        for name, triple in (("rules", facts.rules), ("normative", facts.normative)):
            for part, value in zip(("made", "repealed", "in_force"), triple, strict=True):
                result.add(facts.agency_id, f"doc.{name}.{part}", value)
        result.add(facts.agency_id, "doc.rules.published", facts.rules_published)
        result.add(facts.agency_id, "doc.normative.published", facts.normative_published)
        result.add(facts.agency_id, "info.interpretations", facts.interpretations)
        result.add(facts.agency_id, "info.press_conferences", facts.press_conferences)
    for box in mailbox:
        if box.year != year:
            continue
        result.add(box.agency_id, "mail.received", box.received)
        result.add(box.agency_id, "mail.answered", box.answered)
        result.add(box.agency_id, "mail.on_time", box.answered_on_time)
    for agency_id, figures in (entered or {}).items():
        for key, figure in figures.items():
            name = key if key.startswith(ENTERED_PREFIX) else ENTERED_PREFIX + key
            result.add(agency_id, name, figure if isinstance(figure, int) else Decimal(figure))
    # duplicates in the merge of messages are noise: keep each warning once, in order
    result.warnings = list(dict.fromkeys(result.warnings))
    return result
