"""The rules of one 双公示 record: fields, check digits, minors, periods, deadline, masking."""

import datetime as dt

import pytest

from gongkai.domain.credit import (
    FIELDS,
    CreditAction,
    CreditState,
    RecordKind,
    add_months,
    explain_publication,
    is_minor,
    public_id_number,
    public_party_name,
    publication_due,
    publicity_for,
    validate_record,
)
from gongkai.domain.workdays import WorkCalendar

TODAY = dt.date(2026, 11, 30)
AGENCY = "11441700007280420Y"


def org_penalty(**extra):
    raw = {
        "party_name": "测试市某某食品有限公司",
        "party_kind": "法人及非法人组织",
        "uscc": "91350100M000100Y43",
        "legal_rep": "王五",
        "doc_name": "行政处罚决定书",
        "doc_number": "测市监罚〔2026〕12号",
        "category": "罚款",
        "violation_type": "食品安全",
        "facts": "销售过期食品",
        "basis": "《食品安全法》第一百二十四条",
        "content": "罚款1万元",
        "fine_wan": "1",
        "decided_on": "2026-11-20",
        "authority_name": "测试市市场监督管理局",
        "authority_uscc": AGENCY,
        "source_name": "测试市市场监督管理局",
        "source_uscc": AGENCY,
        "severity": "一般",
    }
    raw.update(extra)
    return raw


def person_penalty(id_number, **extra):
    return org_penalty(
        party_name="张三丰",
        party_kind="自然人",
        uscc="",
        legal_rep="",
        id_type="身份证",
        id_number=id_number,
        **extra,
    )


def messages(checked):
    return {(p.field, p.message) for p in checked.problems}


def test_a_complete_penalty_of_an_organisation_passes():
    checked = validate_record(RecordKind.PENALTY, org_penalty(), today=TODAY)
    assert checked.ok, checked.problems
    assert checked.values["decided_on"] == dt.date(2026, 11, 20)
    assert checked.values["party_kind"] == "org"
    assert str(checked.values["fine_wan"]) == "1"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350200M000000510", "应为“D”"),
        ("91350128M00000019A", "应为“F”"),
        ("9135010OM000100Y43", "非法字符"),
    ],
)
def test_uscc_check_digits_are_validated(code, expected):
    checked = validate_record(RecordKind.PENALTY, org_penalty(uscc=code), today=TODAY)
    assert any(f == "统一社会信用代码" and expected in m for f, m in messages(checked))


def test_org_code_and_id_check_digits_are_validated():
    checked = validate_record(RecordKind.PENALTY, org_penalty(org_code="00001434-8"), today=TODAY)
    assert any(f == "组织机构代码" and "应为“9”" in m for f, m in messages(checked))
    ok = validate_record(RecordKind.PENALTY, org_penalty(org_code="000014349"), today=TODAY)
    assert ok.ok and ok.values["org_code"] == "00001434-9"
    bad = validate_record(RecordKind.PENALTY, person_penalty("110105195001010014"), today=TODAY)
    assert any(f == "证件号码" and "应为“2”" in m for f, m in messages(bad))


def test_required_fields_and_conditions_say_which_field():
    raw = org_penalty(uscc="", legal_rep="", doc_number="", decided_on="2026-13-01")
    found = messages(validate_record(RecordKind.PENALTY, raw, today=TODAY))
    assert ("决定文书号", "必须填写") in found
    assert any(f == "决定日期" and "不是有效日期" in m for f, m in found)
    assert any(f == "统一社会信用代码" and "法人及非法人组织" in m for f, m in found)
    assert any(f == "法定代表人" for f, _m in found)
    future = validate_record(RecordKind.PENALTY, org_penalty(decided_on="2026-12-01"), today=TODAY)
    assert any("晚于今天" in m for _f, m in messages(future))


def test_natural_person_needs_a_certificate_and_minors_are_flagged():
    adult = validate_record(RecordKind.PENALTY, person_penalty("11010519491231002X"), today=TODAY)
    assert adult.ok and not adult.minor
    # born 2010-01-01: 16 on the decision date
    minor_id = "11010520100101001"
    from gongkai.domain.codes import id_check_char

    minor = validate_record(
        RecordKind.PENALTY, person_penalty(minor_id + id_check_char(minor_id)), today=TODAY
    )
    assert minor.ok and minor.minor
    missing = validate_record(RecordKind.PENALTY, person_penalty(""), today=TODAY)
    assert ("证件号码", "自然人须填写证件号码") in messages(missing)


def test_is_minor_turns_adult_on_the_18th_birthday():
    assert is_minor(dt.date(2008, 11, 30), dt.date(2026, 11, 29))
    assert not is_minor(dt.date(2008, 11, 30), dt.date(2026, 11, 30))
    assert not is_minor(dt.date(2008, 2, 29), dt.date(2026, 3, 1))


def test_licences_need_their_validity_and_not_the_penalty_fields():
    raw = org_penalty(valid_from="2026-11-20", valid_to="2029-11-19", category="普通")
    for key in ("violation_type", "facts", "basis", "severity"):
        raw.pop(key)
    assert validate_record(RecordKind.LICENCE, raw, today=TODAY).ok
    raw["valid_to"] = "2026-01-01"
    assert ("有效期至", "有效期至不能早于有效期自") in messages(
        validate_record(RecordKind.LICENCE, raw, today=TODAY)
    )


def test_every_field_has_a_national_name_and_a_unique_code():
    assert len({f.code for f in FIELDS}) == len(FIELDS)
    assert len({f.label for f in FIELDS}) == len(FIELDS)


@pytest.mark.parametrize(
    ("decided", "severity", "field", "publish", "until", "repair"),
    [
        # 2019 regime: 一般 3 months – 1 year, 严重 6 months – 3 years
        (dt.date(2020, 5, 10), "general", None, True, dt.date(2021, 5, 9), dt.date(2020, 8, 10)),
        (dt.date(2020, 5, 10), "serious", None, True, dt.date(2023, 5, 9), dt.date(2020, 11, 10)),
        # 2019: serious food-safety penalties shown the whole three years, not repairable
        (dt.date(2020, 5, 10), "serious", "food", True, dt.date(2023, 5, 9), None),
        # 2023: 3 months – 3 years; 安全生产 at least one year
        (dt.date(2024, 1, 31), "general", None, True, dt.date(2027, 1, 30), dt.date(2024, 4, 30)),
        (
            dt.date(2024, 1, 31),
            "general",
            "safety",
            True,
            dt.date(2027, 1, 30),
            dt.date(2025, 1, 31),
        ),
        # 简易程序 warnings before 2026: 7 days
        (dt.date(2024, 6, 1), "minor", None, True, dt.date(2024, 6, 7), None),
        # 2026 regime: 轻微 not published; 一般 3 months – 1 year; 严重 1 – 3 years
        (dt.date(2026, 4, 1), "minor", None, False, None, None),
        (dt.date(2026, 4, 1), "general", None, True, dt.date(2027, 3, 31), dt.date(2026, 7, 1)),
        (dt.date(2026, 4, 1), "serious", None, True, dt.date(2029, 3, 31), dt.date(2027, 4, 1)),
        (dt.date(2026, 3, 31), "general", None, True, dt.date(2029, 3, 30), dt.date(2026, 6, 30)),
    ],
)
def test_publicity_periods_follow_the_regime_of_the_decision_date(
    decided, severity, field, publish, until, repair
):
    period = publicity_for("penalty", decided, severity, field)
    assert (period.publish, period.until, period.repair_from) == (publish, until, repair)
    assert period.explanation


def test_minors_are_never_published_and_licences_run_to_their_validity():
    assert not publicity_for("penalty", dt.date(2026, 5, 1), "serious", minor=True).publish
    licence = publicity_for("licence", dt.date(2026, 5, 1), valid_to=dt.date(2031, 4, 30))
    assert licence.publish and licence.until == dt.date(2031, 4, 30)
    assert licence.repair_from is None


def test_add_months_keeps_the_end_of_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)


def official_calendar():
    holidays = {dt.date(2026, 10, d): "国庆节" for d in range(1, 8)}
    makeup = {dt.date(2026, 9, 27): "国庆节"}
    return WorkCalendar(2026, 2026, holidays, makeup)


def test_deadline_of_a_friday_decision_before_national_day_explained_day_by_day():
    calendar = official_calendar()
    # Friday 2026-09-25; Sunday 27 September a make-up working day; 1–7 October holidays
    due = publication_due(calendar, "penalty", dt.date(2026, 9, 25))
    assert due.on == dt.date(2026, 10, 12)
    lines = explain_publication(calendar, "penalty", dt.date(2026, 9, 25))
    assert lines[1].startswith("决定日期：2026年9月25日")
    assert any("星期六" in line and "不计入" in line for line in lines)
    assert any("国庆" in line and "不计入" in line for line in lines)
    assert any("第7个工作日" in line for line in lines)
    counted = [line for line in lines if "个工作日" in line and "：第" in line]
    assert len(counted) == 7
    assert any("2026年9月27日（星期日）：第1个工作日（国庆节）" in line for line in lines)
    assert lines[-1].startswith("公示期限：2026年10月12日")


def test_coercion_gets_twenty_working_days():
    calendar = official_calendar()
    due = publication_due(calendar, "coercion", dt.date(2026, 11, 2))
    assert due.on == dt.date(2026, 11, 30)  # four whole weeks


def test_masking_uses_the_privacy_maskers():
    assert public_party_name("person", "张三丰") == "张*丰"
    assert public_party_name("org", "测试市某某食品有限公司") == "测试市某某食品有限公司"
    assert public_id_number("id", "11010519491231002X") == "110105********002X"
    assert "1949" not in public_id_number("id", "11010519491231002X")


def test_state_table_and_labels():
    from gongkai.domain.credit import CREDIT_STATES

    assert CREDIT_STATES.next(CreditState.DRAFT, CreditAction.PUBLISH) == CreditState.PUBLISHED
    assert CREDIT_STATES.next(CreditState.PUBLISHED, CreditAction.EXPIRE) == CreditState.EXPIRED
    with pytest.raises(ValueError):
        CREDIT_STATES.next(CreditState.EXPIRED, CreditAction.PUBLISH)
    assert all(a.label != a.value for a in CreditAction)
