import datetime as dt

import pytest

from gongkai.apps.mailbox.models import LetterStatus
from gongkai.apps.mailbox.selectors import mailbox_report_facts
from gongkai.domain.reportfacts import MailboxFacts
from tests.apps.mailbox.factories import make_letter

pytestmark = pytest.mark.django_db


def test_facts_count_valid_letters_of_the_year_answered_by_year_end(world):
    a, b = world.dept_a, world.dept_b
    make_letter(a, status=LetterStatus.ANSWERED, received_on=dt.date(2018, 3, 1))
    late = make_letter(
        a,
        status=LetterStatus.ANSWERED,
        received_on=dt.date(2018, 3, 1),
        due_date=dt.date(2018, 3, 8),
        replied_on=dt.date(2018, 3, 20),
    )
    assert late.on_time is False
    make_letter(a, status=LetterStatus.REDIRECTED, received_on=dt.date(2018, 6, 1))
    make_letter(a, status=LetterStatus.HANDLING, received_on=dt.date(2018, 12, 28))
    # answered in the next year: received this year, not answered within it
    make_letter(
        a,
        status=LetterStatus.ANSWERED,
        received_on=dt.date(2018, 12, 28),
        due_date=dt.date(2019, 1, 8),
        replied_on=dt.date(2019, 1, 4),
    )
    make_letter(a, status=LetterStatus.INVALID, received_on=dt.date(2018, 5, 1))  # not valid
    make_letter(a, status=LetterStatus.ANSWERED, received_on=dt.date(2017, 12, 29))  # other year
    make_letter(b, status=LetterStatus.CONVERTED, received_on=dt.date(2018, 2, 2))

    facts = mailbox_report_facts(agency_ids=[a.pk, b.pk, world.county.pk], year=2018)

    assert facts == [
        MailboxFacts(agency_id=a.pk, year=2018, received=5, answered=3, answered_on_time=2),
        MailboxFacts(agency_id=b.pk, year=2018, received=1, answered=1, answered_on_time=1),
        MailboxFacts(agency_id=world.county.pk, year=2018, received=0, answered=0),
    ]


def test_facts_only_for_requested_agencies(world):
    make_letter(world.dept_a, status=LetterStatus.ANSWERED)
    assert mailbox_report_facts(agency_ids=[world.dept_b.pk], year=2018) == [
        MailboxFacts(agency_id=world.dept_b.pk, year=2018, received=0, answered=0)
    ]
