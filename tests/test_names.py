"""One name and one label per concept (docs/glossary.md, ADR 0131)."""

from pathlib import Path

from django.conf import settings

from gongkai.apps.applications.models import DeliveryMethod
from gongkai.apps.applications.services.workflow import DELIVERY_CHOICES
from gongkai.domain.deadlines import EventKind

SRC = Path(__file__).resolve().parent.parent / "src" / "gongkai"
# label retired → the one the product uses
RETIRED = {"暂停计时": "中止计算", "恢复计时": "恢复计算", "当面领取": "自行领取"}


def test_retired_labels_appear_nowhere_in_code_or_templates():
    found = []
    for path in SRC.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {old}" for old in RETIRED if old in text]
    assert not found, found


def test_the_deadlines_events_carry_one_label_per_concept():
    assert (EventKind.PAUSE_START.label, EventKind.PAUSE_END.label) == ("中止计算", "恢复计算")


def test_collecting_in_person_has_one_label_for_request_and_delivery():
    assert DELIVERY_CHOICES["pickup"] == DeliveryMethod.PICKUP.label == "自行领取"


def test_the_suite_runs_on_the_test_settings_module():
    assert settings.SETTINGS_MODULE == "gongkai.config.test_settings"
    assert settings.TESTING
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
