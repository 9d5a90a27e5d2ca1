import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.deadlines import (
    RULESET_2008,
    RULESET_2019,
    CaseEvent,
    DeadlineInputError,
    EventKind,
    ReceiptChannel,
    compute_deadline,
    receipt_date,
    ruleset_for,
)
from gongkai.domain.workdays import CalendarNotCovered
from tests.domain.calendars import official_calendar

D = dt.date
CAL = official_calendar()
RULES = (RULESET_2008, RULESET_2019)


def deadline(received, *events, rules=None):
    return compute_deadline(
        received=received,
        events=list(events),
        calendar=CAL,
        rules=rules or ruleset_for(received, RULES),
    )


# Every Spring Festival, Labour Day and National Day of 2019–2026, counted by hand on the State
# Council's notices: the day of receipt is not counted, a 调休 weekend day counts, every day of
# the holiday (its weekend days included) is skipped. Requests before 2019-05-15 get 15 days.
HOLIDAY_TABLE = [
    # 春节 4–10 Feb, 2 and 3 Feb (Sat, Sun) worked: 31 Jan 1, 1 Feb 2, 2 Feb 3, 3 Feb 4,
    # 11–15 Feb 5–9, 18–22 Feb 10–14, 25 Feb 15.
    ("2019 春节 (2008 rules)", D(2019, 1, 30), D(2019, 2, 25), ["春节"]),
    # 劳动节 1–4 May, 28 Apr and 5 May (Sundays) worked: 28 Apr 1, 29–30 Apr 2–3, 5 May 4,
    # 6–10 May 5–9, 13–17 May 10–14, 20 May 15.
    ("2019 劳动节 (2008 rules)", D(2019, 4, 26), D(2019, 5, 20), ["劳动节"]),
    # 国庆节 1–7 Oct, 29 Sep (Sun) and 12 Oct (Sat) worked: 29–30 Sep 1–2, 8–11 Oct 3–6,
    # 12 Oct 7, 14–18 Oct 8–12, 21–25 Oct 13–17, 28–30 Oct 18–20.
    ("2019 国庆节", D(2019, 9, 27), D(2019, 10, 30), ["国庆节"]),
    # 春节 24–30 Jan, extended to 2 Feb; 19 Jan (Sun) worked: 19 Jan 1, 20–23 Jan 2–5,
    # 3–7 Feb 6–10, 10–14 Feb 11–15, 17–21 Feb 16–20.
    ("2020 春节 (extended)", D(2020, 1, 17), D(2020, 2, 21), ["春节", "春节延长"]),
    # 劳动节 1–5 May, 26 Apr (Sun) and 9 May (Sat) worked: 26–30 Apr 1–5, 6–8 May 6–8,
    # 9 May 9, 11–15 May 10–14, 18–22 May 15–19, 25 May 20.
    ("2020 劳动节", D(2020, 4, 24), D(2020, 5, 25), ["劳动节"]),
    # 国庆节·中秋节 1–8 Oct, 27 Sep (Sun) and 10 Oct (Sat) worked: 27–30 Sep 1–4, 9 Oct 5,
    # 10 Oct 6, 12–16 Oct 7–11, 19–23 Oct 12–16, 26–29 Oct 17–20.
    ("2020 国庆节", D(2020, 9, 25), D(2020, 10, 29), ["国庆节"]),
    # 春节 11–17 Feb, 7 Feb (Sun) and 20 Feb (Sat) worked: 7–10 Feb 1–4, 18–20 Feb 5–7,
    # 22–26 Feb 8–12, 1–5 Mar 13–17, 8–10 Mar 18–20.
    ("2021 春节", D(2021, 2, 5), D(2021, 3, 10), ["春节"]),
    # 劳动节 1–5 May, 25 Apr (Sun) and 8 May (Sat) worked: 25–30 Apr 1–6, 6–8 May 7–9,
    # 10–14 May 10–14, 17–21 May 15–19, 24 May 20.
    ("2021 劳动节", D(2021, 4, 23), D(2021, 5, 24), ["劳动节"]),
    # 中秋节 19–21 Sep (18 Sep Sat worked), 国庆节 1–7 Oct (26 Sep Sun, 9 Oct Sat worked):
    # 18 Sep 1, 22–24 Sep 2–4, 26–30 Sep 5–9, 8–9 Oct 10–11, 11–15 Oct 12–16, 18–21 Oct 17–20.
    ("2021 中秋节+国庆节", D(2021, 9, 17), D(2021, 10, 21), ["中秋节", "国庆节"]),
    # 春节 31 Jan–6 Feb, 29–30 Jan (Sat, Sun) worked: 29–30 Jan 1–2, 7–11 Feb 3–7,
    # 14–18 Feb 8–12, 21–25 Feb 13–17, 28 Feb–2 Mar 18–20.
    ("2022 春节", D(2022, 1, 28), D(2022, 3, 2), ["春节"]),
    # 劳动节 30 Apr–4 May, 24 Apr (Sun) and 7 May (Sat) worked: 24–29 Apr 1–6, 5–7 May 7–9,
    # 9–13 May 10–14, 16–20 May 15–19, 23 May 20.
    ("2022 劳动节", D(2022, 4, 22), D(2022, 5, 23), ["劳动节"]),
    # 国庆节 1–7 Oct, 8–9 Oct (Sat, Sun) worked: 8–14 Oct 1–7, 17–21 Oct 8–12,
    # 24–28 Oct 13–17, 31 Oct–2 Nov 18–20.
    ("2022 国庆节", D(2022, 9, 30), D(2022, 11, 2), ["国庆节"]),
    # 春节 21–27 Jan, 28–29 Jan (Sat, Sun) worked: 28 Jan–3 Feb 1–7, 6–10 Feb 8–12,
    # 13–17 Feb 13–17, 20–22 Feb 18–20.
    ("2023 春节", D(2023, 1, 20), D(2023, 2, 22), ["春节"]),
    # 劳动节 29 Apr–3 May, 23 Apr (Sun) and 6 May (Sat) worked: 23–28 Apr 1–6, 4–6 May 7–9,
    # 8–12 May 10–14, 15–19 May 15–19, 22 May 20.
    ("2023 劳动节", D(2023, 4, 21), D(2023, 5, 22), ["劳动节"]),
    # 中秋节 29 Sep, 国庆节 30 Sep–6 Oct, 7–8 Oct (Sat, Sun) worked: 28 Sep 1, 7–13 Oct 2–8,
    # 16–20 Oct 9–13, 23–27 Oct 14–18, 30–31 Oct 19–20.
    ("2023 中秋节+国庆节", D(2023, 9, 27), D(2023, 10, 31), ["中秋节", "国庆节"]),
    # 春节 10–17 Feb, 4 Feb and 18 Feb (Sundays) worked, 9 Feb (除夕) a working day:
    # 4–9 Feb 1–6, 18–23 Feb 7–12, 26 Feb–1 Mar 13–17, 4–6 Mar 18–20.
    ("2024 春节", D(2024, 2, 2), D(2024, 3, 6), ["春节"]),
    # 劳动节 1–5 May, 28 Apr (Sun) and 11 May (Sat) worked: 28–30 Apr 1–3, 6–11 May 4–9,
    # 13–17 May 10–14, 20–24 May 15–19, 27 May 20.
    ("2024 劳动节", D(2024, 4, 26), D(2024, 5, 27), ["劳动节"]),
    # the acceptance case: 国庆节 1–7 Oct, 29 Sep (Sun) and 12 Oct (Sat) worked:
    # 29–30 Sep 1–2, 8–12 Oct 3–7, 14–18 Oct 8–12, 21–25 Oct 13–17, 28–30 Oct 18–20.
    ("2024 国庆节", D(2024, 9, 27), D(2024, 10, 30), ["国庆节"]),
    # 春节 28 Jan–4 Feb, 26 Jan (Sun) and 8 Feb (Sat) worked: 26–27 Jan 1–2, 5–8 Feb 3–6,
    # 10–14 Feb 7–11, 17–21 Feb 12–16, 24–27 Feb 17–20.
    ("2025 春节", D(2025, 1, 24), D(2025, 2, 27), ["春节"]),
    # 劳动节 1–5 May, only 27 Apr (Sun) worked: 27–30 Apr 1–4, 6–9 May 5–8, 12–16 May 9–13,
    # 19–23 May 14–18, 26–27 May 19–20.
    ("2025 劳动节", D(2025, 4, 25), D(2025, 5, 27), ["劳动节"]),
    # 国庆节·中秋节 1–8 Oct, 28 Sep (Sun) and 11 Oct (Sat) worked: 28–30 Sep 1–3,
    # 9–11 Oct 4–6, 13–17 Oct 7–11, 20–24 Oct 12–16, 27–30 Oct 17–20.
    ("2025 国庆节+中秋节", D(2025, 9, 26), D(2025, 10, 30), ["国庆节", "中秋节"]),
    # 春节 15–23 Feb, 14 Feb and 28 Feb (Saturdays) worked: 14 Feb 1, 24–28 Feb 2–6,
    # 2–6 Mar 7–11, 9–13 Mar 12–16, 16–19 Mar 17–20.
    ("2026 春节", D(2026, 2, 13), D(2026, 3, 19), ["春节"]),
    # 劳动节 1–5 May, 9 May (Sat) worked: 6–9 May 1–4, 11–15 May 5–9, 18–22 May 10–14,
    # 25–29 May 15–19, 1 Jun 20.
    ("2026 劳动节", D(2026, 4, 30), D(2026, 6, 1), ["劳动节"]),
    # 中秋节 25–27 Sep, 国庆节 1–7 Oct, 20 Sep (Sun) and 10 Oct (Sat) worked: 20–24 Sep 1–5,
    # 28–30 Sep 6–8, 8–10 Oct 9–11, 12–16 Oct 12–16, 19–22 Oct 17–20.
    ("2026 中秋节+国庆节", D(2026, 9, 18), D(2026, 10, 22), ["中秋节", "国庆节"]),
]


@pytest.mark.parametrize(
    ("label", "received", "due", "holidays"), HOLIDAY_TABLE, ids=[r[0] for r in HOLIDAY_TABLE]
)
def test_due_dates_through_every_major_holiday_match_a_hand_count(label, received, due, holidays):
    result = deadline(received)
    assert result.due == due
    assert result.rule.answer_days == (15 if received < D(2019, 5, 15) else 20)
    assert CAL.add_working_days(received, result.rule.answer_days) == due
    text = "\n".join(result.explain())
    for name in holidays:
        assert f"，{name}（" in text, f"the explanation must name {name}"
    assert result.days[-1].day == due and result.days[-1].status == "due"


def test_acceptance_2024_09_27_explains_every_day():
    result = deadline(D(2024, 9, 27))
    assert result.due == D(2024, 10, 30)
    notes = {n.day: n for n in result.days}
    assert notes[D(2024, 9, 27)].status == "receipt"
    assert (notes[D(2024, 9, 28)].status, notes[D(2024, 9, 28)].reason) == ("skipped", "周末")
    assert notes[D(2024, 9, 29)] == notes[D(2024, 9, 29)].__class__(
        D(2024, 9, 29), "counted", "调休上班", 1
    )
    for day in range(1, 8):
        assert (notes[D(2024, 10, day)].status, notes[D(2024, 10, day)].reason) == (
            "skipped",
            "国庆节",
        )
    assert notes[D(2024, 10, 12)].ordinal == 7 and notes[D(2024, 10, 12)].reason == "调休上班"
    assert notes[D(2024, 10, 30)].status == "due" and notes[D(2024, 10, 30)].ordinal == 20
    assert [n.ordinal for n in result.days if n.ordinal] == list(range(1, 21))
    lines = result.explain()
    assert "不计入：2024年10月1日至10月7日，国庆节（7天）。" in lines
    assert "调休上班：2024年9月29日计为第1个工作日。" in lines
    assert lines[-1] == "答复期限届满日：2024年10月30日（第20个工作日）。"
    data = result.as_dict()
    assert data["due"] == "2024-10-30"
    assert data["days"][0] == {
        "date": "2024-09-27",
        "status": "receipt",
        "reason": "收到申请",
        "ordinal": None,
    }


def test_a_deadline_running_into_an_unloaded_year_raises():
    with pytest.raises(CalendarNotCovered, match="2027年"):
        deadline(D(2026, 12, 10))


# ── receipt (第三十一条) ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (ReceiptChannel.IN_PERSON, {}, D(2024, 3, 1)),
        (ReceiptChannel.REGISTERED_POST, {"signed_for": D(2024, 3, 4)}, D(2024, 3, 4)),
        (ReceiptChannel.ORDINARY_LETTER, {"confirmed": D(2024, 3, 5)}, D(2024, 3, 5)),
        (ReceiptChannel.ONLINE, {"confirmed": D(2024, 3, 2)}, D(2024, 3, 2)),
        (ReceiptChannel.FAX, {"confirmed": D(2024, 3, 1)}, D(2024, 3, 1)),
        (ReceiptChannel.EMAIL, {"confirmed": D(2024, 3, 6)}, D(2024, 3, 6)),
        ("in_person", {"signed_for": D(2024, 3, 9)}, D(2024, 3, 1)),  # irrelevant date ignored
    ],
    ids=["in-person", "post-signed", "letter-confirmed", "online", "fax", "email", "by-value"],
)
def test_receipt_date_by_channel(channel, kwargs, expected):
    assert receipt_date(channel, submitted=D(2024, 3, 1), **kwargs) == expected


@pytest.mark.parametrize(
    ("channel", "kwargs", "message"),
    [
        (ReceiptChannel.REGISTERED_POST, {}, "签收日期"),
        (ReceiptChannel.ORDINARY_LETTER, {}, "确认的日期"),
        (ReceiptChannel.ONLINE, {}, "双方确认之日"),
        (ReceiptChannel.FAX, {"signed_for": D(2024, 3, 2)}, "确认的日期"),
        (ReceiptChannel.REGISTERED_POST, {"signed_for": D(2024, 2, 28)}, "早于寄出日期"),
        (ReceiptChannel.ONLINE, {"confirmed": D(2024, 2, 28)}, "早于提交日期"),
        ("pigeon", {}, "未知的申请渠道"),
    ],
    ids=[
        "post-unsigned",
        "letter-unconfirmed",
        "online",
        "fax",
        "signed-early",
        "confirmed-early",
        "unknown",
    ],
)
def test_receipt_date_refuses_missing_or_impossible_dates(channel, kwargs, message):
    with pytest.raises(DeadlineInputError, match=message):
        receipt_date(channel, submitted=D(2024, 3, 1), **kwargs)


# ── rule sets ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("received", "code"),
    [
        (D(2008, 5, 1), "2008"),
        (D(2019, 5, 14), "2008"),
        (D(2019, 5, 15), "2019"),
        (D(2026, 1, 1), "2019"),
    ],
)
def test_the_regulation_in_force_on_the_day_of_receipt_applies(received, code):
    assert ruleset_for(received, RULES).code == code


def test_no_regulation_before_2008_is_an_error():
    with pytest.raises(DeadlineInputError, match="2008年4月30日"):
        ruleset_for(D(2008, 4, 30), RULES)


def test_a_new_row_takes_over_from_its_valid_from_date():
    import dataclasses

    amended = dataclasses.replace(
        RULESET_2019, code="2030", valid_from=D(2030, 1, 1), answer_days=15
    )
    rules = (RULESET_2008, dataclasses.replace(RULESET_2019, valid_to=D(2029, 12, 31)), amended)
    assert ruleset_for(D(2029, 12, 31), rules).code == "2019"
    assert ruleset_for(D(2030, 1, 1), rules).code == "2030"


# ── 补正, extension, pauses ───────────────────────────────────────────────────────────────


def test_correction_restarts_the_clock_from_the_corrected_receipt():
    # received Fri 1 Mar 2024; 补正 due by the 7th working day: 4–8 Mar 1–5, 11–12 Mar 6–7
    result = deadline(
        D(2024, 3, 1),
        CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 3, 5), until=D(2024, 3, 15)),
        CaseEvent(EventKind.CORRECTION_RECEIVED, D(2024, 3, 12)),
    )
    assert result.correction_notice_due == D(2024, 3, 12)
    assert result.start == D(2024, 3, 12)
    # from Tue 12 Mar: 13–15 Mar 1–3, 18–22 4–8, 25–29 9–13, 1–3 Apr 14–16, 清明 4–6 Apr,
    # 7 Apr (Sun) worked 17, 8–10 Apr 18–20
    assert result.due == D(2024, 4, 10)
    assert not result.provisional
    notes = {n.day: n for n in result.days}
    assert (notes[D(2024, 3, 6)].status, notes[D(2024, 3, 6)].reason) == ("paused", "补正期间")
    assert notes[D(2024, 3, 12)].status == "receipt"
    assert any("重新计算" in line for line in result.explain())


def test_pending_correction_gives_a_provisional_date_and_the_lapse_date():
    result = deadline(
        D(2024, 3, 1),
        CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 3, 5), until=D(2024, 3, 15)),
    )
    assert result.provisional
    assert result.start == D(2024, 3, 15)
    assert result.lapses_on == D(2024, 3, 15)
    assert result.due == CAL.add_working_days(D(2024, 3, 15), 20)
    assert any("视为放弃申请" in line for line in result.explain())


def test_late_correction_notice_and_late_correction_are_flagged():
    result = deadline(
        D(2024, 3, 1),
        CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 3, 13), until=D(2024, 3, 20)),
        CaseEvent(EventKind.CORRECTION_RECEIVED, D(2024, 3, 22)),
    )
    assert result.start == D(2024, 3, 22)
    assert any("晚于应发出的期限" in w for w in result.warnings)
    assert any("晚于补正期限" in w for w in result.warnings)


def test_extension_adds_working_days_after_the_original_due_date():
    # 2024-09-27: 20th working day 30 Oct; 21–40: 31 Oct, 1 Nov, 4–8 Nov, 11–15, 18–22, 25–27
    result = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.EXTENSION, D(2024, 10, 20), working_days=20)
    )
    assert result.due == D(2024, 11, 27)
    assert result.due_without_extension == D(2024, 10, 30)
    assert result.extension_days == 20
    assert next(n for n in result.days if n.ordinal == 21).reason == "工作日（延长期限）"


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [CaseEvent(EventKind.EXTENSION, D(2024, 10, 8), working_days=21)],
            "最长不得超过20个工作日",
        ),
        ([CaseEvent(EventKind.EXTENSION, D(2024, 10, 8))], "须写明延长的工作日数"),
        (
            [
                CaseEvent(EventKind.EXTENSION, D(2024, 10, 8), working_days=5),
                CaseEvent(EventKind.EXTENSION, D(2024, 10, 9), working_days=5),
            ],
            "只能延长一次",
        ),
        ([CaseEvent(EventKind.PAUSE_END, D(2024, 10, 8), reason="third_party")], "未开始"),
        ([CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="holiday")], "原因“holiday”不明"),
        (
            [
                CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="fee"),
                CaseEvent(EventKind.PAUSE_START, D(2024, 10, 9), reason="fee"),
            ],
            "不能重复开始",
        ),
        ([CaseEvent(EventKind.CORRECTION_RECEIVED, D(2024, 10, 8))], "尚未发出补正告知"),
        ([CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 10, 8))], "须写明补正期限"),
        (
            [CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 10, 8), until=D(2024, 10, 1))],
            "补正期限不能早于",
        ),
        (
            [
                CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 10, 8), until=D(2024, 10, 18)),
                CaseEvent(EventKind.CORRECTION_NOTICE, D(2024, 10, 9), until=D(2024, 10, 18)),
            ],
            "一次性告知",
        ),
        ([CaseEvent(EventKind.EXTENSION, D(2024, 9, 1), working_days=5)], "早于收到申请之日"),
        ([CaseEvent("reopen", D(2024, 10, 8))], "未知的案件事件"),
    ],
    ids=[
        "extension-over-max",
        "extension-without-days",
        "two-extensions",
        "pause-end-without-start",
        "unknown-reason",
        "nested-pause",
        "correction-without-notice",
        "notice-without-until",
        "until-before-notice",
        "second-notice",
        "event-before-receipt",
        "unknown-event",
    ],
)
def test_inconsistent_events_are_refused_in_chinese(events, message):
    with pytest.raises(DeadlineInputError, match=message):
        deadline(D(2024, 9, 27), *events)


def test_an_extension_decided_after_the_due_date_is_not_counted():
    result = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.EXTENSION, D(2024, 10, 31), working_days=10)
    )
    assert result.due == D(2024, 10, 30)
    assert result.extension_days == 0
    assert any("晚于答复期限届满日" in w for w in result.warnings)


def test_third_party_consultation_is_not_counted():
    # the letter goes out on 8 Oct (still counted: 3rd day); the answer arrives on 15 Oct:
    # 9, 10, 11, 12 (make-up Sat), 14, 15 Oct are not counted (6 working days); the count
    # resumes on 16 Oct as the 4th day and reaches the 20th on 7 Nov
    result = deadline(
        D(2024, 9, 27),
        CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="third_party"),
        CaseEvent(EventKind.PAUSE_END, D(2024, 10, 15), reason="third_party"),
    )
    assert result.due == D(2024, 11, 7)
    assert result.paused_working_days == 6
    notes = {n.day: n for n in result.days}
    assert notes[D(2024, 10, 8)].ordinal == 3
    assert (notes[D(2024, 10, 12)].status, notes[D(2024, 10, 12)].reason) == (
        "paused",
        "征求第三方意见",
    )
    assert notes[D(2024, 10, 16)].ordinal == 4
    assert result.pauses[0].working_days == 6
    assert any("征求第三方意见" in line and "不计入6个工作日" in line for line in result.explain())


def test_an_unpaid_fee_stops_the_clock_and_sets_the_lapse_date():
    # not yet served: no lapse date (the period runs from 送达), the pause estimated from sending
    unserved = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="fee")
    )
    assert unserved.provisional and unserved.lapses_on is None
    assert any("收费通知尚未送达" in w for w in unserved.warnings)
    assert unserved.pauses[0].assumed_end == CAL.add_working_days(D(2024, 10, 8), 20)
    # served (signed for) two days after it was sent: 20 working days from the 送达 date
    result = deadline(
        D(2024, 9, 27),
        CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="fee"),
        CaseEvent(EventKind.SERVED, D(2024, 10, 10), reason="fee"),
    )
    assert result.provisional
    assert result.lapses_on == CAL.add_working_days(D(2024, 10, 10), 20)
    assert result.lapses_on > CAL.add_working_days(D(2024, 10, 8), 20)
    assert result.pauses[0].assumed_end == result.lapses_on
    assert result.paused_working_days == 22
    paid = deadline(
        D(2024, 9, 27),
        CaseEvent(EventKind.PAUSE_START, D(2024, 10, 8), reason="fee"),
        CaseEvent(EventKind.PAUSE_END, D(2024, 10, 10), reason="fee"),
    )
    assert not paid.provisional and paid.lapses_on is None
    assert paid.paused_working_days == 2  # 9 and 10 Oct
    assert paid.due == CAL.add_working_days(D(2024, 10, 30), 2)


def test_the_2008_regulation_does_not_stop_the_clock_for_fees():
    result = deadline(
        D(2018, 3, 1),
        CaseEvent(EventKind.PAUSE_START, D(2018, 3, 5), reason="fee"),
        CaseEvent(EventKind.PAUSE_END, D(2018, 3, 9), reason="fee"),
    )
    assert result.due == CAL.add_working_days(D(2018, 3, 1), 15)
    assert result.paused_working_days == 0
    assert any("未规定缴费期间不计入" in w for w in result.warnings)


def test_touches_only_days_between_receipt_and_due():
    result = deadline(D(2024, 9, 27))
    assert result.touches({D(2024, 10, 30)})
    assert result.touches({D(2024, 9, 27)})
    assert not result.touches({D(2024, 10, 31), D(2024, 9, 26)})


# ── properties ───────────────────────────────────────────────────────────────────────────

received_dates = st.dates(min_value=D(2019, 5, 15), max_value=D(2026, 6, 30))
offsets = st.integers(min_value=0, max_value=30)
reasons = st.sampled_from(["third_party", "other_agency", "fee"])


@given(received=received_dates, start=offsets, length=offsets, reason=reasons)
def test_a_pause_never_makes_a_deadline_earlier(received, start, length, reason):
    base = deadline(received)
    p_start = received + dt.timedelta(days=start)
    paused = deadline(
        received,
        CaseEvent(EventKind.PAUSE_START, p_start, reason=reason),
        CaseEvent(EventKind.PAUSE_END, p_start + dt.timedelta(days=length), reason=reason),
    )
    assert paused.due >= base.due
    assert CAL.count_working_days(base.due, paused.due) == paused.paused_working_days


@given(received=received_dates, days=st.integers(min_value=-5, max_value=45), on=offsets)
def test_an_extension_never_exceeds_20_working_days(received, days, on):
    base = deadline(received)
    event = CaseEvent(EventKind.EXTENSION, received + dt.timedelta(days=on), working_days=days)
    if not 1 <= days <= 20:
        with pytest.raises(DeadlineInputError):
            deadline(received, event)
        return
    extended = deadline(received, event)
    added = CAL.count_working_days(base.due, extended.due)
    assert added == extended.extension_days
    assert added in (0, days) and added <= 20


@given(received=received_dates, events=st.lists(st.tuples(offsets, offsets, reasons), max_size=3))
def test_the_due_date_is_always_a_working_day_and_ordinals_run_without_gaps(received, events):
    case_events = []
    used = set()
    for start, length, reason in events:
        if reason in used:
            continue
        used.add(reason)
        p_start = received + dt.timedelta(days=start)
        case_events += [
            CaseEvent(EventKind.PAUSE_START, p_start, reason=reason),
            CaseEvent(EventKind.PAUSE_END, p_start + dt.timedelta(days=length), reason=reason),
        ]
    result = deadline(received, *case_events)
    assert CAL.is_working_day(result.due)
    assert [n.ordinal for n in result.days if n.ordinal] == list(range(1, 21))
    assert [n.day for n in result.days] == [
        received + dt.timedelta(days=i) for i in range((result.due - received).days + 1)
    ]
    assert sum(n.status == "paused" for n in result.days) == result.paused_working_days


def test_a_later_answer_date_under_article_35_carries_the_count_on_day_by_day():
    # 2024-09-27: due 30 Oct (20th working day); the agency sets 8 Nov on 15 Oct (第三十五条)
    result = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.DEFERRAL, D(2024, 10, 15), until=D(2024, 11, 8))
    )
    assert result.due == D(2024, 11, 8) and result.due_without_deferral == D(2024, 10, 30)
    assert result.deferred_days == 7 and result.total_days == 27
    oct30 = next(n for n in result.days if n.day == D(2024, 10, 30))
    assert oct30.status == "counted" and oct30.ordinal == 20
    later = [n for n in result.days if n.day > D(2024, 10, 30)]
    assert [n.day.day for n in later if n.status != "skipped"] == [31, 1, 4, 5, 6, 7, 8]
    assert later[-1].status == "due" and later[-1].reason == "延迟答复期间（条例第三十五条）"
    assert any("原届满日2024年10月30日，延后7个工作日" in line for line in result.explain())


def test_a_later_answer_date_on_a_day_off_moves_to_the_next_working_day():
    result = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.DEFERRAL, D(2024, 10, 15), until=D(2024, 11, 9))
    )
    assert result.due == D(2024, 11, 11)  # Saturday 9 Nov → Monday 11 Nov


def test_a_later_answer_date_decided_after_the_due_date_does_not_count():
    result = deadline(
        D(2024, 9, 27), CaseEvent(EventKind.DEFERRAL, D(2024, 10, 31), until=D(2024, 11, 20))
    )
    assert result.due == D(2024, 10, 30) and result.deferred_days == 0
    assert any("延迟答复决定" in w for w in result.warnings)
    with pytest.raises(DeadlineInputError, match="只能确定一次"):
        deadline(
            D(2024, 9, 27),
            CaseEvent(EventKind.DEFERRAL, D(2024, 10, 15), until=D(2024, 11, 8)),
            CaseEvent(EventKind.DEFERRAL, D(2024, 10, 16), until=D(2024, 11, 9)),
        )
