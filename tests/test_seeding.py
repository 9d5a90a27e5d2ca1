"""Configuration rows shipped in data migrations come back after a flush (post_migrate)."""

import pytest
from django.apps import apps
from django.core.management import call_command

SEEDED = [
    "applications.FeeTierRow",
    "applications.LetterTemplate",
    "mailbox.TimeLimit",
    "reporting.ReportDeadline",
    "workcalendar.CalendarEntry",
    "workcalendar.DeadlineRule",
    "catalog.Column",
]


@pytest.mark.django_db
def test_a_flushed_database_gets_its_shipped_configuration_back():
    shipped = {label: apps.get_model(label).objects.count() for label in SEEDED}
    assert all(shipped.values()), shipped
    call_command("flush", interactive=False, verbosity=0)
    assert {label: apps.get_model(label).objects.count() for label in SEEDED} == shipped
