"""Reporting tests run on facts they construct: the other contexts' selectors are replaced by
a fake source (the contract is the selector signature, not their models)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.reporting import selectors, services
from gongkai.apps.reporting.models import ReportStatus
from gongkai.domain.decisions import ApplicantType
from gongkai.domain.reportfacts import (
    AppealFact,
    AppealKind,
    AppealResult,
    CatalogFacts,
    MailboxFacts,
    PublicationChannel,
    RequestChannel,
    RequestFact,
)


class FakeSources:
    """Facts per selector name; each call returns those of the asked agencies and year."""

    def __init__(self) -> None:
        self.requests: list[RequestFact] = []
        self.appeals: list[AppealFact] = []
        self.catalog: list[CatalogFacts] = []
        self.mailbox: list[MailboxFacts] = []
        self.calls: list[tuple[str, tuple[int, ...], int]] = []

    def function(self, name: str):
        def facts(*, agency_ids, year):
            self.calls.append((name, tuple(agency_ids), year))
            ids = set(agency_ids)
            if name == "application_report_facts":
                return [f for f in self.requests if f.agency_id in ids]
            if name == "appeal_report_facts":
                return [f for f in self.appeals if f.agency_id in ids]
            if name == "catalog_report_facts":
                return [f for f in self.catalog if f.agency_id in ids and f.year == year]
            return [f for f in self.mailbox if f.agency_id in ids and f.year == year]

        return facts

    def case(self, agency, received, closed=None, decision="disclosed", **kw):
        fact = RequestFact(
            agency_id=agency.pk,
            applicant_type=kw.pop("applicant", ApplicantType.NATURAL_PERSON),
            channel=kw.pop("channel", RequestChannel.ONLINE),
            received=received,
            closed=closed,
            decision=decision if closed else None,
            on_time=True if closed else None,
            ref=kw.pop("ref", f"YSQ-{received.year}-{len(self.requests) + 1:06d}"),
            **kw,
        )
        self.requests.append(fact)
        return fact


@pytest.fixture
def sources(monkeypatch):
    fake = FakeSources()
    monkeypatch.setattr(
        selectors,
        "SOURCES",
        tuple((target, fake.function(function.__name__)) for target, function in selectors.SOURCES),
    )
    return fake


@pytest.fixture
def year_2025(world, sources):
    """A year of records in the test city: the transport bureau's cases and appeal, the
    education bureau's cases, catalogue and mailbox figures."""
    d = dt.date
    for i in range(6):
        sources.case(world.dept_a, d(2025, 3, 1 + i), d(2025, 3, 20 + i))
    sources.case(
        world.dept_a,
        d(2025, 4, 2),
        d(2025, 4, 20),
        decision="partial",
        applicant=ApplicantType.COMMERCIAL,
        channel=RequestChannel.LETTER,
    )
    sources.case(world.dept_a, d(2025, 12, 29), None)  # carried into 2026
    sources.case(world.dept_a, d(2024, 12, 30), d(2025, 1, 15), decision="not_exist")
    sources.case(world.dept_b, d(2025, 6, 1), d(2025, 6, 10), decision="withheld.third_party")
    sources.appeals.append(
        AppealFact(
            world.dept_a.pk,
            AppealKind.RECONSIDERATION,
            d(2025, 5, 1),
            AppealResult.UPHELD,
            d(2025, 7, 1),
        )
    )
    sources.catalog.append(
        CatalogFacts(
            world.dept_a.pk,
            2025,
            {PublicationChannel.WEBSITE: 300, PublicationChannel.WECHAT: 40},
            normative=(2, 0, 15),
        )
    )
    sources.mailbox.append(MailboxFacts(world.dept_a.pk, 2025, received=120, answered=118))
    return sources


FILLED = {
    "overview": "2025年，本机关认真贯彻落实政府信息公开条例，各项工作有序开展。",
    "problems": "一是公开内容的时效性有待提高；二是政策解读形式较为单一。下一步将加强培训。",
    "other": "本年度未收取信息处理费。",
}


@pytest.fixture
def draft(world, year_2025):
    return services.report_create(actor=world.officer_a, agency=world.dept_a, year=2025)


@pytest.fixture
def published(world, draft, django_capture_on_commit_callbacks):
    services.report_narrative_save(actor=world.officer_a, report=draft, narrative=FILLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish_request(actor=world.head_a, report=draft)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED
    return draft
