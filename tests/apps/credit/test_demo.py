"""The demo's credit data: 2018 counted but not shown; 2025 live, masked, some late; drafts for
the work queue. Run at a reduced scale here (the demo itself loads the seed's scale)."""

from __future__ import annotations

import pytest

from gongkai.apps.credit.models import CreditRecord, ListEntry
from gongkai.demo import credit_data as demodata
from gongkai.demo.world import World
from gongkai.domain.credit import CreditState
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_counted_history_and_live_records(monkeypatch):
    monkeypatch.setattr(demodata, "RECORDS_2018", 600)
    monkeypatch.setattr(demodata, "LIST_ENTRIES_2018", 50)
    monkeypatch.setattr(demodata, "RECORDS_2025", 300)
    for code in ("xzspj", "gsj", "sypj"):
        AgencyFactory(code=code)
    demodata.load(World())
    old = CreditRecord.objects.filter(decided_on__year=2018)
    assert old.count() == 600 and not old.exclude(state=CreditState.EXPIRED).exists()
    assert ListEntry.objects.count() == 50
    live = CreditRecord.objects.filter(decided_on__year=2025)
    assert 250 <= live.count() <= 300
    assert live.filter(state=CreditState.PUBLISHED).exists()
    people = live.filter(party_kind="person")
    assert people.exists()
    assert all("*" in p.public_name and "*" in p.public_id_number for p in people)
    assert CreditRecord.objects.filter(state=CreditState.DRAFT).count() == 9


def test_demo_records_are_found_by_a_name_fragment(monkeypatch):
    from django.test import Client

    monkeypatch.setattr(demodata, "RECORDS_2018", 100)
    monkeypatch.setattr(demodata, "LIST_ENTRIES_2018", 10)
    monkeypatch.setattr(demodata, "RECORDS_2025", 100)
    AgencyFactory(code="gsj")
    demodata.load(World())
    shown = CreditRecord.objects.filter(state=CreditState.PUBLISHED, party_kind="org").first()
    assert shown is not None
    fragment = shown.public_name[3:7]
    page = Client().get("/credit/", {"q": fragment}).content.decode()
    assert shown.doc_number in page
