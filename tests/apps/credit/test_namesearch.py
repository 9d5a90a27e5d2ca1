"""The public name search reads the suffix index: fragments anywhere in a name, long
fragments, masked names only, and a bounded answer for a fragment common to many names."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.credit import namesearch
from gongkai.apps.credit.models import CreditName
from gongkai.apps.credit.services import record_save
from tests.apps.credit.factories import penalty_row, person_id, person_row

pytestmark = pytest.mark.django_db


def save(world, row):
    saved = record_save(
        actor=world.officer_a,
        agency=world.dept_a,
        kind="penalty",
        raw=row,
        channel="form",
        now=clock.now(),
    )
    assert saved.record is not None, saved.problems
    return saved.record


def search(q: str) -> str:
    response = Client().get("/credit/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_fragments_anywhere_and_long_ones(world):
    long_name = "测试市高新技术产业开发区长风智能装备制造有限公司"
    save(world, penalty_row(world.dept_a, n=1, party_name=long_name))
    save(world, penalty_row(world.dept_a, n=2, party_name="测试市东方商贸有限公司"))
    assert "测交罚〔2026〕1号" in search("长风")
    assert "测交罚〔2026〕1号" not in search("东方")
    assert "测交罚〔2026〕1号" in search("高新技术产业开发区长风智能装备制造")  # > 16 characters
    assert "测交罚〔2026〕1号" not in search("高新技术产业开发区长风智能装备制X")
    assert CreditName.objects.filter(name=long_name).exists()


def test_people_are_found_by_their_masked_name_only(world):
    save(world, person_row(world.dept_a, n=3, id_number=person_id("19800101")))
    assert "测交罚〔2026〕3号" in search("张*丰")
    assert "测交罚〔2026〕3号" not in search("张三丰")
    assert not CreditName.objects.filter(name__contains="三").exists()


def test_a_fragment_common_to_many_names_is_bounded_and_says_so(world, monkeypatch):
    monkeypatch.setattr(namesearch, "MAX_NAMES", 2)
    for n in range(1, 5):
        save(world, penalty_row(world.dept_a, n=n))
    page = search("食品有限公司")
    assert "匹配的名称超过2个" in page
    assert sum(f"测交罚〔2026〕{n}号" in page for n in range(1, 5)) == 2
    assert "匹配的名称超过" not in search("测试市第3食品")
