import datetime as dt

import pytest

from gongkai.apps.applications import services as svc
from gongkai.cli import main
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


def test_show_explains_the_deadline_without_personal_data(world, capsys):
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 11, 2))
    assert main(["applications", "show", app.number, "--agency", "depta"]) == 0
    out = capsys.readouterr().out
    assert "答复期限届满日：2026年11月30日" in out and "王小明" not in out


def test_show_unknown_case_is_a_chinese_error(world, capsys):
    assert main(["applications", "show", "YSQ-2026-999999", "--agency", "depta"]) == 2
    assert "没有登记号" in capsys.readouterr().err


def test_remind_and_recompute(world, capsys):
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 10, 30))
    svc.application_accept(actor=world.officer_a, application=app, on=dt.date(2026, 10, 30))
    assert main(["applications", "remind", "--date", "2026-11-25"]) == 0
    assert "已提醒 1 件" in capsys.readouterr().out
    assert main(["applications", "remind", "--date", "25/11/2026"]) == 2
    assert main(["applications", "recompute"]) == 0
    assert "答复期限有变化的申请：0 件" in capsys.readouterr().out
