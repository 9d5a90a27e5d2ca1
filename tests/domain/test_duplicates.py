"""Repeat and mass request flags (条例第三十五条、第三十六条第（六）项)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.duplicates import (
    Earlier,
    find_repeats,
    groups_of_same_information,
    is_mass,
    similarity,
)

D = dt.date(2026, 1, 5)


def test_same_request_reworded_with_filler_is_a_repeat():
    a = "申请公开：2025年度城市道路养护资金使用情况"
    b = "请求提供2025年度城市道路养护资金使用情况。"
    assert similarity(a, b) >= 0.8


def test_different_information_is_not_a_repeat():
    a = "2025年度城市道路养护资金使用情况"
    b = "人民路拆迁安置补偿标准及补偿方案"
    assert similarity(a, b) < 0.2


def test_full_width_and_punctuation_do_not_matter():
    assert similarity("国办发〔2017〕47号文件全文", "国办发[2017]47号文件全文") == 1.0


def test_find_repeats_orders_by_score_and_applies_threshold():
    earlier = [
        Earlier(1, D, "2025年度城市道路养护资金使用情况"),
        Earlier(2, D, "人民路拆迁安置补偿标准"),
        Earlier(3, D, "2025年度城市道路养护资金使用情况及明细"),
    ]
    found = find_repeats("2025年度城市道路养护资金使用情况", earlier, threshold=0.8)
    assert [m.ref for m in found] == [1, 3]
    assert found[0].score == 1.0


def test_mass_threshold():
    assert not is_mass(9, threshold=10)
    assert is_mass(10, threshold=10)
    assert not is_mass(1000, threshold=0)  # 0 turns the flag off


def test_groups_need_several_applicants():
    items = [
        (1, "a", "2025年道路养护资金使用情况"),
        (2, "a", "2025年道路养护资金使用情况"),
        (3, "b", "2025年道路养护资金的使用情况"),
        (4, "c", "征地补偿安置方案"),
    ]
    assert groups_of_same_information(items, threshold=0.6, min_applicants=2) == [[1, 2, 3]]
    assert groups_of_same_information(items[:2], threshold=0.6, min_applicants=2) == []


@given(st.text(min_size=0, max_size=60), st.text(min_size=0, max_size=60))
def test_similarity_is_symmetric_and_bounded(a, b):
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@given(st.text(min_size=0, max_size=60))
def test_a_text_is_identical_to_itself(a):
    assert similarity(a, a) == 1.0
