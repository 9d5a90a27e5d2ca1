import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.mailbox import (
    Category,
    DueState,
    Figures,
    HotlineOrder,
    RowError,
    add_months,
    due_state,
    format_letter_number,
    guess_category,
    mask_known_values,
    mask_value,
    missing_columns,
    normalize_headers,
    parse_hotline_record,
    parse_letter_number,
    percent_text,
    rate,
    split_caller,
    subject_from_content,
    unanswered_too_long,
)

EARLIEST = dt.date(2000, 1, 1)
NOW = dt.datetime(2026, 11, 27, 10, 0)


def parse(record, line=2):
    return parse_hotline_record(line, record, earliest=EARLIEST, latest=NOW)


# figures ---------------------------------------------------------------------------------------


def test_seed_reply_rate_is_98_74_percent():
    figures = Figures(received=23_608, answered=23_311)
    assert figures.reply_rate == Decimal("0.9874")
    assert percent_text(figures.reply_rate) == "98.74%"


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        pytest.param(0, 0, None, id="nothing received: no rate, not 0%"),
        pytest.param(1, 3, Decimal("0.3333"), id="rounds down below half"),
        pytest.param(2, 3, Decimal("0.6667"), id="rounds up at and above half"),
        pytest.param(1, 8, Decimal("0.1250"), id="exact"),
        pytest.param(5, 5, Decimal("1.0000"), id="all answered"),
    ],
)
def test_rate_rounds_half_up_to_four_places(part, whole, expected):
    assert rate(part, whole) == expected


def test_figures_add_up_and_average_handling_days():
    a = Figures(
        received=10,
        answered=8,
        answered_on_time=7,
        handling_days_total=40,
        handling_days_counted=8,
        rated=4,
        satisfied=3,
    )
    b = Figures(
        received=5, answered=5, answered_on_time=5, handling_days_total=5, handling_days_counted=5
    )
    total = a + b
    assert (total.received, total.answered, total.answered_on_time) == (15, 13, 12)
    assert total.average_handling_days == Decimal("3.5")  # 45 / 13 = 3.46 -> 3.5
    assert total.satisfaction_rate == Decimal("0.7500")
    assert Figures().average_handling_days is None


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_rate_is_between_zero_and_one_when_part_is_within_whole(part, whole):
    part = min(part, whole)
    value = rate(part, whole)
    assert value is not None and Decimal(0) <= value <= Decimal(1)


# letter numbers ----------------------------------------------------------------------------------


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 999_999))
def test_letter_numbers_round_trip(day, sequence):
    assert parse_letter_number(format_letter_number(day, sequence)) == (day, sequence)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("XX2026133100001", id="no such month"),
        pytest.param("XX2026112700000", id="sequence zero"),
        pytest.param("YSQ-2026-000123", id="a disclosure request number"),
        pytest.param("XX20261127001", id="sequence too short"),
    ],
)
def test_not_letter_numbers(value):
    assert parse_letter_number(value) is None


def test_letter_number_shape():
    assert format_letter_number(dt.date(2026, 11, 27), 12) == "XX2026112700012"
    assert parse_letter_number(" xx2026112700012 ") == (dt.date(2026, 11, 27), 12)
    with pytest.raises(ValueError):
        format_letter_number(dt.date(2026, 11, 27), 0)


# due dates and the 3-month website-check rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "closed", "state"),
    [
        pytest.param(
            dt.date(2026, 11, 20), dt.date(2026, 11, 27), False, DueState.OVERDUE, id="past due"
        ),
        pytest.param(
            dt.date(2026, 11, 27), dt.date(2026, 11, 27), False, DueState.DUE_TODAY, id="due today"
        ),
        pytest.param(
            dt.date(2026, 11, 29),
            dt.date(2026, 11, 27),
            False,
            DueState.DUE_SOON,
            id="two days left",
        ),
        pytest.param(
            dt.date(2026, 12, 10), dt.date(2026, 11, 27), False, DueState.OK, id="plenty of time"
        ),
        pytest.param(
            dt.date(2026, 11, 20),
            dt.date(2026, 11, 27),
            True,
            DueState.NONE,
            id="closed letters are never overdue",
        ),
        pytest.param(
            None, dt.date(2026, 11, 27), False, DueState.NONE, id="due date not yet known"
        ),
    ],
)
def test_due_state(due, today, closed, state):
    assert due_state(due, today, closed=closed) == state


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28), id="clipped to February"),
        pytest.param(dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29), id="leap year"),
        pytest.param(dt.date(2026, 11, 27), 3, dt.date(2027, 2, 27), id="across the year"),
        pytest.param(dt.date(2026, 2, 27), -3, dt.date(2025, 11, 27), id="backwards"),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_three_months_rule_counts_from_receipt():
    received = dt.date(2026, 8, 27)
    assert not unanswered_too_long(received, dt.date(2026, 11, 27))  # exactly 3 months: not yet
    assert unanswered_too_long(received, dt.date(2026, 11, 28))


# category guess ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        pytest.param("请问居住证怎么办理？", Category.CONSULT, id="a question"),
        pytest.param("投诉小区物业乱收费", Category.COMPLAINT, id="a complaint"),
        pytest.param("建议在公园增设厕所", Category.SUGGESTION, id="a suggestion"),
        pytest.param("家里困难，请求救助", Category.HELP, id="asking for help"),
        pytest.param("感谢市政府", Category.OTHER, id="none of these"),
    ],
)
def test_guess_category(text, category):
    assert guess_category(text) == category


# 12345 rows --------------------------------------------------------------------------------------


def test_headers_map_to_fields_and_required_columns_are_named():
    mapping = normalize_headers(
        ["工单编号", "来电时间", "来电人/联系方式", "内容", "承办单位", "备注"]
    )
    assert mapping == {0: "order_no", 1: "called_at", 2: "caller", 3: "content", 4: "agency"}
    assert missing_columns({"order_no", "content"}) == ["来电时间"]


def test_a_good_row():
    order = parse(
        {
            "order_no": "GD20261127001",
            "called_at": "2026-11-27 09:30",
            "caller": "王先生 13800138000",
            "content": "请问公交卡怎么办理？",
            "agency": "市交通局",
        }
    )
    assert order == HotlineOrder(
        line=2,
        order_no="GD20261127001",
        called_at=dt.datetime(2026, 11, 27, 9, 30),
        caller_name="王先生",
        caller_phone="13800138000",
        content="请问公交卡怎么办理？",
        agency="市交通局",
        category=None,
        subject="",
    )


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        pytest.param(
            {"called_at": "2026-11-27", "content": "x"}, "缺少工单编号", id="no order number"
        ),
        pytest.param(
            {"order_no": "有中文", "called_at": "2026-11-27", "content": "x"},
            "格式不对",
            id="bad order number",
        ),
        pytest.param(
            {"order_no": "A0001", "called_at": "昨天", "content": "x"},
            "无法识别",
            id="unreadable time",
        ),
        pytest.param({"order_no": "A0001", "content": "x"}, "缺少来电时间", id="no time"),
        pytest.param(
            {"order_no": "A0001", "called_at": "1999-12-31", "content": "x"},
            "早于",
            id="mistyped year",
        ),
        pytest.param(
            {"order_no": "A0001", "called_at": "2026-12-01 08:00", "content": "x"},
            "晚于当前时间",
            id="in the future",
        ),
        pytest.param(
            {"order_no": "A0001", "called_at": "2026-11-27", "content": " "},
            "缺少内容",
            id="no content",
        ),
        pytest.param(
            {
                "order_no": "A0001",
                "called_at": "2026-11-27",
                "content": "x",
                "caller_phone": "请回电",
            },
            "不是电话号码",
            id="phone is not a number",
        ),
        pytest.param(
            {"order_no": "A0001", "called_at": "2026-11-27", "content": "x", "category": "表扬"},
            "类别",
            id="unknown category",
        ),
    ],
)
def test_bad_rows_say_why_in_chinese(record, reason):
    result = parse(record, line=7)
    assert isinstance(result, RowError)
    assert result.line == 7 and reason in result.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2026/11/27 09:30:05", dt.datetime(2026, 11, 27, 9, 30, 5), id="slashes"),
        pytest.param("2026年11月27日 9时30分", dt.datetime(2026, 11, 27, 9, 30), id="Chinese"),
        pytest.param(
            dt.datetime(2026, 11, 27, 9, 30),
            dt.datetime(2026, 11, 27, 9, 30),
            id="Excel datetime cell",
        ),
        pytest.param("2026-11-27T09:30:00", dt.datetime(2026, 11, 27, 9, 30), id="ISO"),
    ],
)
def test_time_formats(value, expected):
    order = parse({"order_no": "A0001", "called_at": value, "content": "内容"})
    assert isinstance(order, HotlineOrder) and order.called_at == expected


def test_category_labels_and_codes_both_accepted():
    by_label = parse(
        {"order_no": "A0001", "called_at": "2026-11-27", "content": "x", "category": "投诉"}
    )
    by_code = parse(
        {"order_no": "A0001", "called_at": "2026-11-27", "content": "x", "category": "complaint"}
    )
    assert by_label.category == by_code.category == Category.COMPLAINT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("李女士/13912345678", ("李女士", "13912345678"), id="slash"),
        pytest.param("13912345678", ("", "13912345678"), id="phone only"),
        pytest.param("张先生", ("张先生", ""), id="name only"),
        pytest.param("赵先生 0399-8001234", ("赵先生", "0399-8001234"), id="landline"),
    ],
)
def test_split_caller(value, expected):
    assert split_caller(value) == expected


def test_subject_from_content():
    assert subject_from_content("小区停水三天了。请尽快处理") == "小区停水三天了"
    long = "这是一段很长的没有标点的内容" * 5
    assert len(subject_from_content(long)) == 30 and subject_from_content(long).endswith("…")


@given(st.text(max_size=200))
def test_parsing_never_raises(text):
    result = parse({"order_no": text, "called_at": text, "content": text, "caller": text})
    assert isinstance(result, HotlineOrder | RowError)


# the writer's own details ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("13912345678", "139****5678", id="mobile: 3 + 4"),
        pytest.param("0399-8000131", "039*****0131", id="landline"),
        pytest.param("8000131", "80***31", id="short number still masked"),
        pytest.param("王小明", "王**", id="name keeps the surname"),
        pytest.param("wxm@example.com", "w**@example.com", id="e-mail keeps the domain"),
    ],
)
def test_mask_value(value, masked):
    assert mask_value(value) == masked


def test_known_values_are_masked_wherever_they_occur():
    text = "王小明您好！您反映的和平路5号问题已处理，如有疑问回电13912345678。"
    assert mask_known_values(text, ["王小明", "13912345678", "和平路5号", "", " "]) == (
        "王**您好！您反映的和****问题已处理，如有疑问回电139****5678。"
    )


def test_a_value_already_partly_masked_is_still_found():
    assert mask_known_values("王*明您好，电话139****5678", ["王小明", "13912345678"]) == (
        "王**您好，电话139****5678"
    )
    assert mask_known_values("王小红您好", ["王小明"]) == "王小红您好"  # another name stays


@given(
    st.text(alphabet="王李张小明华0123456789-路号", min_size=2, max_size=12),
    st.text(max_size=40),
    st.text(max_size=40),
)
def test_a_known_value_never_survives(value, before, after):
    assert (
        value.strip() not in mask_known_values(before + value + after, [value])
        or len(value.strip()) < 2
    )
