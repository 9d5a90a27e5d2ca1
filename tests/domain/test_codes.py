import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.codes import (
    USCC_CHARSET,
    CodeError,
    id_check_char,
    is_valid_id_number,
    is_valid_uscc,
    make_uscc,
    normalize_org_code,
    normalize_uscc,
    org_code_check_char,
    parse_doc_number,
    parse_id_number,
)


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "11441700007280420Y", "11341702486344515H"],
    ids=["hutool-sample", "yangjiang-office", "ningguo-commerce"],
)
def test_real_usccs_are_valid(code):
    assert normalize_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "expected_check"),
    [("91350200M000000510", "D"), ("91350128M00000019A", "F")],
    ids=["circulating-sample-1", "circulating-sample-2"],
)
def test_circulating_bad_samples_are_rejected_with_the_right_check(code, expected_check):
    with pytest.raises(CodeError, match=f"应为“{expected_check}”"):
        normalize_uscc(code)


def test_uscc_rejects_forbidden_letters_and_length():
    with pytest.raises(CodeError, match="非法字符"):
        normalize_uscc("91350100I000100Y43")
    with pytest.raises(CodeError, match="18位"):
        normalize_uscc("9135010")


@pytest.mark.parametrize(
    ("body", "check"),
    [("00001434", "9"), ("00001333", "8"), ("01441633", "0"), ("48634451", "5"), ("00728042", "0")],
)
def test_org_code_check_chars_from_real_index_numbers(body, check):
    assert org_code_check_char(body) == check
    assert normalize_org_code(body + check) == f"{body}-{check}"


def test_org_code_wrong_check_is_named():
    with pytest.raises(CodeError, match="应为“9”"):
        normalize_org_code("00001434-1")


@pytest.mark.parametrize(
    "number", ["11010519491231002X", "440524188001010014", "53010219200508011X"]
)
def test_standard_id_numbers_are_valid(number):
    assert is_valid_id_number(number)


def test_id_number_parse_gives_birth_date_and_sex():
    parsed = parse_id_number("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date.isoformat() == "1949-12-31"
    assert parsed.male is False


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105195001010014", "校验码错误"),
        ("11010519501301001X", "出生日期"),
        ("1101051950", "18位"),
        ("11010519501301001A", "格式不正确"),
    ],
    ids=["bad-check-labelled-valid-elsewhere", "month-13", "too-short", "letter-not-x"],
)
def test_invalid_id_numbers_say_why(number, message):
    with pytest.raises(CodeError, match=message):
        parse_id_number(number)


def test_legacy_15_digit_id_number():
    parsed = parse_id_number("110105491231002")
    assert parsed.birth_date.isoformat() == "1949-12-31"


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_any_uscc_body_with_its_check_char_validates(first17):
    code = (
        first17
        + (
            USCC_CHARSET[
                (
                    31
                    - sum(
                        USCC_CHARSET.index(c) * w
                        for c, w in zip(
                            first17,
                            (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
                            strict=True,
                        )
                    )
                    % 31
                )
                % 31
            ]
        )
    )
    assert is_valid_uscc(code)
    # changing any one character breaks it
    index = len(first17) // 2
    other = USCC_CHARSET[(USCC_CHARSET.index(code[index]) + 1) % 31]
    assert not is_valid_uscc(code[:index] + other + code[index + 1 :])


@given(
    st.from_regex(
        r"[1-6]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])\d{3}", fullmatch=True
    )
)
def test_any_17_digits_with_their_check_char_validate(first17):
    assert is_valid_id_number(first17 + id_check_char(first17))


def test_make_uscc_builds_valid_codes():
    code = make_uscc("1", "1", "139900", "40007919")
    assert is_valid_uscc(code)
    assert normalize_org_code(code[8:17])


@pytest.mark.parametrize(
    ("raw", "normal", "flagged"),
    [
        ("国办发〔2017〕47号", "国办发〔2017〕47号", False),
        ("国办发[2017]47号", "国办发〔2017〕47号", True),
        ("石政办发【2018】30号", "石政办发〔2018〕30号", True),
        ("石政办发（2018）014号", "石政办发〔2018〕14号", True),
        ("国办公开办函〔２０２１〕３０号", "国办公开办函〔2021〕30号", True),
        ("石发改行费〔2018〕第678号", "石发改行费〔2018〕678号", True),
    ],
)
def test_doc_numbers_are_normalised_and_flagged(raw, normal, flagged):
    parsed = parse_doc_number(raw)
    assert parsed.text == normal
    assert bool(parsed.flags) is flagged


@pytest.mark.parametrize("raw", ["2017年47号", "国办发〔17〕47号", "国办发〔2017〕0号", ""])
def test_malformed_doc_numbers_are_refused(raw):
    with pytest.raises(CodeError):
        parse_doc_number(raw)
