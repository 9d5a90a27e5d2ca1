"""索引号 patterns (pure)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.indexno import (
    DEFAULT_PATTERN,
    IndexNoPatternError,
    format_index_no,
    looks_like_index_no,
    period_key,
    validate_pattern,
)

USCC = "11130000MB0123456X"


@pytest.mark.parametrize(
    ("intent", "pattern", "on", "seq", "expected"),
    [
        (
            "default: USCC/year-5 digits",
            DEFAULT_PATTERN,
            dt.date(2021, 3, 4),
            50,
            "11130000MB0123456X/2021-00050",
        ),
        (
            "gov.cn style with an org code",
            "{prefix}/{yyyy}-{seq:05d}",
            dt.date(2017, 6, 8),
            110,
            "000014349/2017-00110",
        ),
        (
            "monthly period",
            "{prefix}/{yyyymm}-{seq:05d}",
            dt.date(2021, 10, 2),
            13,
            "11130000MB0123456X/202110-00013",
        ),
        (
            "unpadded sequence",
            "{prefix}-{yy}-{seq}",
            dt.date(2009, 1, 1),
            7,
            "11130000MB0123456X-09-7",
        ),
    ],
)
def test_format(intent, pattern, on, seq, expected):
    prefix = "000014349" if "000014349" in expected else USCC
    assert format_index_no(pattern, prefix=prefix, on=on, seq=seq) == expected, intent


@pytest.mark.parametrize(
    ("pattern", "on", "key"),
    [
        (DEFAULT_PATTERN, dt.date(2018, 10, 1), "2018"),
        ("{prefix}/{yyyymm}-{seq:05d}", dt.date(2018, 10, 1), "201810"),
        ("{prefix}/{yyyy}{mm}-{seq:04d}", dt.date(2018, 2, 1), "201802"),
        ("{prefix}-{seq:08d}", dt.date(2018, 10, 1), ""),
    ],
)
def test_period_key_restarts_sequences_per_period(pattern, on, key):
    assert period_key(pattern, on) == key


@pytest.mark.parametrize(
    ("intent", "pattern", "message"),
    [
        ("no sequence: numbers would repeat", "{prefix}/{yyyy}", "序号"),
        ("two sequences", "{prefix}/{seq}-{seq}", "序号"),
        ("no agency code: agencies would collide", "{yyyy}-{seq:05d}", "机关代码"),
        ("unknown placeholder", "{prefix}/{year}-{seq}", "无法识别"),
        ("bad width", "{prefix}/{seq:x}", "格式"),
        ("unbalanced braces", "{prefix/{seq}", "花括号"),
        ("empty", "", "不能为空"),
    ],
)
def test_invalid_patterns_are_refused_in_chinese(intent, pattern, message):
    with pytest.raises(IndexNoPatternError, match=message):
        validate_pattern(pattern)


def test_missing_prefix_or_bad_sequence_refused():
    with pytest.raises(IndexNoPatternError):
        format_index_no(DEFAULT_PATTERN, prefix="", on=dt.date(2020, 1, 1), seq=1)
    with pytest.raises(IndexNoPatternError):
        format_index_no(DEFAULT_PATTERN, prefix=USCC, on=dt.date(2020, 1, 1), seq=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11130000MB0123456X/2021-00050", True),
        ("000014349/2017-00110", True),
        ("00001434-9/2017-00110", True),
        ("11130000mb0123456x/202110-00013", True),
        ("11130000MB0123456X／2021－00050", True),
        ("国办发〔2017〕47号", False),
        ("政府信息公开", False),
        ("2017-00110", False),
    ],
)
def test_looks_like_index_no(text, expected):
    assert looks_like_index_no(text) is expected


@given(
    year=st.integers(min_value=1990, max_value=2099),
    month=st.integers(min_value=1, max_value=12),
    seqs=st.sets(st.integers(min_value=1, max_value=99999), min_size=2, max_size=20),
)
def test_distinct_sequences_give_distinct_numbers_that_look_like_index_numbers(year, month, seqs):
    on = dt.date(year, month, 1)
    numbers = {format_index_no(DEFAULT_PATTERN, prefix=USCC, on=on, seq=s) for s in seqs}
    assert len(numbers) == len(seqs)
    assert all(looks_like_index_no(n) for n in numbers)
