"""One due value and one recompute for every context (ADR 0012)."""

import datetime as dt

import pytest

from gongkai.apps.applications.models import Application
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.workcalendar.dues import dues_recompute
from gongkai.registry import due_sources
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


def test_every_context_with_deadlines_registers_one_source():
    assert {"applications", "mailbox", "inspections"} <= set(due_sources)


def test_rows_without_a_date_get_one_after_an_upgrade(world):
    """What post_migrate does once after the upgrade that removed 截止日期待定."""
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 27))
    Application.objects.filter(pk=app.pk).update(due_date=None, due_provisional=False)
    moved = dues_recompute(actor=SYSTEM, missing_only=True)
    app.refresh_from_db()
    assert moved["applications"] == 1 and app.due_date == dt.date(2026, 12, 25)
    assert dues_recompute(actor=SYSTEM, missing_only=True)["applications"] == 0


def test_the_calendar_page_says_which_years_are_confirmed_and_which_provisional(world, client_for):
    html = client_for(world.admin).get("/backoffice/calendar/").content.decode()
    assert "各年度状态" in html
    assert "2026年" in html and "已载入" in html
    assert "暂定推算" in html and "国务院令第795号" in html
    assert "导入2027年节假日安排" in html
