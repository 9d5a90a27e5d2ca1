from gongkai.domain.decisions import (
    DECISIONS,
    TABLE3_LEAF_ROWS,
    TABLE3_ROW_LABELS,
    ApplicantType,
    LegacyCategory,
    decision,
)


def test_every_decision_counts_in_a_real_table3_row():
    assert all(d.table3_row in TABLE3_ROW_LABELS for d in DECISIONS)


def test_table3_has_the_21_leaf_rows_of_the_2021_format():
    assert len(TABLE3_LEAF_ROWS) == 21
    assert sum(1 for key, _ in TABLE3_LEAF_ROWS if key.startswith("withheld.")) == 8
    assert sum(1 for key, _ in TABLE3_LEAF_ROWS if key.startswith("unavailable.")) == 3
    assert sum(1 for key, _ in TABLE3_LEAF_ROWS if key.startswith("ignored.")) == 5
    assert sum(1 for key, _ in TABLE3_LEAF_ROWS if key.startswith("other.")) == 3


def test_every_row_can_be_reached_by_some_decision():
    assert {d.table3_row for d in DECISIONS} == set(TABLE3_ROW_LABELS)


def test_every_seed_era_category_but_other_is_reachable():
    reachable = {d.legacy for d in DECISIONS}
    assert set(LegacyCategory) == reachable


def test_applicant_columns_in_report_order():
    assert [t.label for t in ApplicantType] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


def test_unknown_code_is_refused():
    import pytest

    with pytest.raises(ValueError, match="未知"):
        decision("nope")
    assert decision("partial").legacy is LegacyCategory.AGREED_PARTIAL


def test_the_taxonomy_says_which_decisions_need_reasons_and_which_release():
    from gongkai.domain.decisions import DECISIONS_BY_CODE

    assert DECISIONS_BY_CODE["partial"].requires_reasons
    assert DECISIONS_BY_CODE["partial"].releases_information
    assert DECISIONS_BY_CODE["disclosed"].releases_information
    assert not DECISIONS_BY_CODE["disclosed"].requires_reasons
    assert DECISIONS_BY_CODE["withheld.third_party"].requires_reasons
    assert not DECISIONS_BY_CODE["withheld.third_party"].releases_information
    assert not DECISIONS_BY_CODE["not_exist"].releases_information
