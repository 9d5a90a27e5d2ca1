"""catalog_report_facts: what the annual report reads about proactive disclosure."""

import datetime as dt

import pytest

from gongkai.apps.catalog.models import (
    ChannelRecord,
    ChannelTally,
    Column,
    DocumentState,
    PublicationChannelChoices,
)
from gongkai.apps.catalog.selectors import catalog_report_facts
from gongkai.apps.catalog.services import channel_tally_set, document_withdraw
from gongkai.domain.reportfacts import CatalogFacts, PublicationChannel
from tests.apps.catalog.factories import aware, published

pytestmark = pytest.mark.django_db


def test_portal_count_is_documents_published_that_year_plus_website_tallies(world):
    for month in (1, 6, 12):
        published(world.dept_a, when=aware(2018, month, 10))
    published(world.dept_a, when=aware(2017, 12, 31, 23))  # previous year
    published(world.dept_a, when=aware(2019, 1, 1, 0))  # next year (local midnight)
    published(world.dept_b, when=aware(2018, 3, 3))
    ChannelTally.objects.create(
        agency=world.dept_a,
        year=2018,
        month=2,
        channel=PublicationChannelChoices.WEBSITE,
        count=100,
    )
    ChannelTally.objects.create(
        agency=world.dept_a, year=2018, month=3, channel=PublicationChannelChoices.WEBSITE, count=20
    )
    ChannelTally.objects.create(
        agency=world.dept_a,
        year=2017,
        month=3,
        channel=PublicationChannelChoices.WEBSITE,
        count=999,
    )

    facts = {
        f.agency_id: f
        for f in catalog_report_facts(agency_ids=[world.dept_a.pk, world.dept_b.pk], year=2018)
    }

    assert facts[world.dept_a.pk].published == {PublicationChannel.WEBSITE: 123}
    assert facts[world.dept_b.pk].published == {PublicationChannel.WEBSITE: 1}


def test_other_channels_count_records_and_tallies_and_skip_withdrawn(world):
    a = published(world.dept_a, when=aware(2018, 5, 1))
    b = published(world.dept_a, when=aware(2018, 5, 2))
    ChannelRecord.objects.create(
        document=a, channel=PublicationChannelChoices.WEIBO, published_on=dt.date(2018, 5, 1)
    )
    ChannelRecord.objects.create(
        document=a, channel=PublicationChannelChoices.GAZETTE, published_on=dt.date(2018, 6, 1)
    )
    ChannelRecord.objects.create(
        document=b, channel=PublicationChannelChoices.WEIBO, published_on=dt.date(2019, 1, 2)
    )  # counted in 2019
    ChannelTally.objects.create(
        agency=world.dept_a, year=2018, month=7, channel=PublicationChannelChoices.WEIBO, count=40
    )
    ChannelTally.objects.create(
        agency=world.dept_a, year=2018, month=7, channel=PublicationChannelChoices.TV, count=5
    )
    withdrawn = published(world.dept_a, when=aware(2018, 5, 3))
    ChannelRecord.objects.create(
        document=withdrawn,
        channel=PublicationChannelChoices.WECHAT,
        published_on=dt.date(2018, 5, 3),
    )
    document_withdraw(actor=world.reviewer_a, document=withdrawn, reason="标题有误，重新发布")

    [facts] = catalog_report_facts(agency_ids=[world.dept_a.pk], year=2018)

    assert facts.published == {
        PublicationChannel.WEBSITE: 2,
        PublicationChannel.WEIBO: 41,
        PublicationChannel.GAZETTE: 1,
        PublicationChannel.TV: 5,
    }


def test_rules_and_normative_documents_made_repealed_and_in_force(world):
    agency = world.city
    published(agency, legal_kind="rule", written_on=dt.date(2016, 3, 1), when=aware(2016, 3, 5))
    published(agency, legal_kind="rule", written_on=dt.date(2018, 2, 1), when=aware(2018, 2, 5))
    published(
        agency,
        legal_kind="rule",
        written_on=dt.date(2015, 1, 1),
        when=aware(2015, 1, 5),
        validity="repealed",
        validity_on=dt.date(2018, 9, 1),
    )
    published(
        agency,
        legal_kind="normative",
        written_on=dt.date(2018, 12, 31),
        when=aware(2019, 1, 3),  # made in 2018, published in 2019: made and in force in 2018
    )
    published(
        agency,
        legal_kind="normative",
        written_on=dt.date(2017, 4, 1),
        when=aware(2017, 4, 2),
        validity="expired",
        validity_on=dt.date(2019, 4, 1),  # still in force at the end of 2018
    )
    published(
        agency, legal_kind="normative", written_on=dt.date(2019, 2, 1), when=aware(2019, 2, 2)
    )
    published(agency, legal_kind="other", written_on=dt.date(2018, 2, 1), when=aware(2018, 2, 2))

    [facts] = catalog_report_facts(agency_ids=[agency.pk], year=2018)

    assert facts.rules == (1, 1, 2)
    assert facts.normative == (1, 0, 2)
    # 本年新公开数量 (2019 format) is its own measure: published in the year, whenever made
    assert (facts.rules_published, facts.normative_published) == (1, 0)
    [facts_2019] = catalog_report_facts(agency_ids=[agency.pk], year=2019)
    assert facts_2019.normative[0] == 1  # made in 2019: the 2 February one
    assert facts_2019.normative_published == 2  # and the one made on 31 December 2018


def test_interpretations_and_press_conferences_published_in_the_year(world):
    interp = Column.objects.get(kind="interpretation")
    press = Column.objects.get(kind="press")
    policy = published(world.dept_a, when=aware(2018, 1, 5))
    published(world.dept_a, column=interp, interprets=policy, when=aware(2018, 1, 6))
    published(world.dept_a, column=interp, when=aware(2017, 1, 6))
    published(world.dept_a, column=press, when=aware(2018, 4, 6))
    published(world.dept_a, column=press, when=aware(2018, 8, 6))

    [facts] = catalog_report_facts(agency_ids=[world.dept_a.pk], year=2018)

    assert (facts.interpretations, facts.press_conferences) == (1, 2)


def test_one_fact_per_requested_agency_even_without_records(world):
    facts = catalog_report_facts(
        agency_ids=[world.dept_b.pk, world.dept_a.pk, world.dept_a.pk], year=2018
    )
    assert facts == [
        CatalogFacts(agency_id=world.dept_a.pk, year=2018),
        CatalogFacts(agency_id=world.dept_b.pk, year=2018),
    ]


def test_joint_documents_count_once_for_the_lead_agency(world):
    published(world.dept_a, joint=[world.dept_b], when=aware(2018, 5, 5))
    facts = {
        f.agency_id: f
        for f in catalog_report_facts(agency_ids=[world.dept_a.pk, world.dept_b.pk], year=2018)
    }
    total = sum(f.published.get(PublicationChannel.WEBSITE, 0) for f in facts.values())
    assert total == 1 and facts[world.dept_a.pk].published == {PublicationChannel.WEBSITE: 1}


def test_tally_entry_is_audited_and_refuses_bad_input_without_change(world):
    from gongkai.apps.audit.models import AuditEvent
    from gongkai.apps.catalog.errors import CatalogPermissionDenied, CatalogValidationError

    tally = channel_tally_set(
        actor=world.officer_a, agency=world.dept_a, year=2018, month=3, channel="weibo", count=12
    )
    assert (
        AuditEvent.objects.filter(action="channel_tally.set", object_id=str(tally.pk)).count() == 1
    )
    for bad in ({"month": 13}, {"count": -1}, {"channel": "fax"}, {"year": 1999}):
        args = {"year": 2018, "month": 3, "channel": "weibo", "count": 5, **bad}
        with pytest.raises(CatalogValidationError):
            channel_tally_set(actor=world.officer_a, agency=world.dept_a, **args)
    with pytest.raises(CatalogPermissionDenied):
        channel_tally_set(
            actor=world.officer_b,
            agency=world.dept_a,
            year=2018,
            month=3,
            channel="weibo",
            count=99,
        )
    tally.refresh_from_db()
    assert tally.count == 12
    assert ChannelTally.objects.count() == 1
    assert DocumentState.PUBLISHED == "published"
