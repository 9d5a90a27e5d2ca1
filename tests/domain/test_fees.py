"""信息处理费 (国办函〔2020〕109号): the worked examples and the properties of 超额累进."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.fees import (
    NATIONAL_2020_TIERS,
    FeeError,
    FeeMethod,
    FeeTier,
    check_tiers,
    cumulative_fee,
    quote,
    tiers_for,
)

ON = dt.date(2026, 11, 27)
ITEMS = tiers_for(FeeMethod.PER_ITEM, NATIONAL_2020_TIERS, ON)
PAGES = tiers_for(FeeMethod.PER_PAGE, NATIONAL_2020_TIERS, ON)


@pytest.mark.parametrize(
    ("intent", "items", "fee"),
    [
        ("up to 10 items a month are free", 10, 0),
        ("the 11th item costs 100", 11, 100),
        ("25 items: 15 × 100", 25, 1500),
        ("30 items: 20 × 100", 30, 2000),
        ("31st item starts the 200 band", 31, 2200),
        ("40 items: 2000 + 10 × 200", 40, 4000),
        ("45 items: 2000 + 2000 + 5 × 300", 45, 5500),
        ("60 items: 2000 + 2000 + 3000 + 10 × 400", 60, 11000),
    ],
)
def test_per_item_worked_examples(intent, items, fee):
    assert cumulative_fee(items, ITEMS) == fee, intent


@pytest.mark.parametrize(
    ("intent", "pages", "fee"),
    [
        ("30 pages are free", 30, 0),
        ("31st page costs 10", 31, 10),
        ("100 pages: 70 × 10", 100, 700),
        ("150 pages: 700 + 50 × 20", 150, 1700),
        ("200 pages: 700 + 100 × 20", 200, 2700),
        ("250 pages: 2700 + 50 × 40", 250, 4700),
    ],
)
def test_per_page_worked_examples(intent, pages, fee):
    assert cumulative_fee(pages, PAGES) == fee, intent


def test_quote_per_item_is_marginal_on_the_months_count():
    q = quote(FeeMethod.PER_ITEM, units=1, tiers=ITEMS, prior_units=30)
    assert q.amount == 200
    assert q.lines[-1].unit_price == 200
    assert "应缴信息处理费：200元" in q.explain()


def test_quote_per_page_ignores_the_month():
    assert quote(FeeMethod.PER_PAGE, units=100, tiers=PAGES, prior_units=999).amount == 700


def test_tiers_not_yet_in_force_are_not_used():
    with pytest.raises(FeeError, match="未设置收费档次"):
        tiers_for(FeeMethod.PER_ITEM, NATIONAL_2020_TIERS, dt.date(2020, 6, 1))


@pytest.mark.parametrize(
    ("intent", "tiers", "message"),
    [
        (
            "gap between tiers",
            [FeeTier(FeeMethod.PER_PAGE, 1, 10, 0), FeeTier(FeeMethod.PER_PAGE, 12, None, 5)],
            "不连续",
        ),
        (
            "open tier before the last",
            [FeeTier(FeeMethod.PER_PAGE, 1, None, 0), FeeTier(FeeMethod.PER_PAGE, 2, None, 5)],
            "只有最后一档",
        ),
        ("last tier closed", [FeeTier(FeeMethod.PER_PAGE, 1, 10, 0)], "最后一档必须不设上限"),
        ("negative price", [FeeTier(FeeMethod.PER_PAGE, 1, None, -1)], "负数"),
    ],
)
def test_bad_tier_tables_are_refused_in_chinese(intent, tiers, message):
    with pytest.raises(FeeError, match=message):
        check_tiers(tiers)


def test_quantities_must_be_positive():
    with pytest.raises(FeeError, match="正整数"):
        quote(FeeMethod.PER_PAGE, units=0, tiers=PAGES)


@given(st.integers(0, 400), st.integers(0, 400))
def test_fee_never_decreases_with_quantity(a, b):
    lo, hi = sorted((a, b))
    assert cumulative_fee(lo, ITEMS) <= cumulative_fee(hi, ITEMS)
    assert cumulative_fee(lo, PAGES) <= cumulative_fee(hi, PAGES)


@given(st.integers(0, 200), st.integers(1, 100), st.integers(1, 100))
def test_splitting_a_months_items_never_changes_the_total(prior, a, b):
    """Progressive by excess: charging a then b equals charging a + b at once."""
    first = quote(FeeMethod.PER_ITEM, units=a, tiers=ITEMS, prior_units=prior).amount
    second = quote(FeeMethod.PER_ITEM, units=b, tiers=ITEMS, prior_units=prior + a).amount
    both = quote(FeeMethod.PER_ITEM, units=a + b, tiers=ITEMS, prior_units=prior).amount
    assert first + second == both


@given(st.integers(1, 500), st.integers(0, 300))
def test_breakdown_lines_add_up_to_the_amount(units, prior):
    for method, tiers in ((FeeMethod.PER_ITEM, ITEMS), (FeeMethod.PER_PAGE, PAGES)):
        q = quote(method, units=units, tiers=tiers, prior_units=prior)
        assert sum(line.amount for line in q.lines) == q.amount
        assert sum(line.upper - line.lower + 1 for line in q.lines) == units
