"""Detectors and masking of gongkai.domain.privacy (pure: no database)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.codes import id_check_char, make_uscc
from gongkai.domain.privacy import (
    AddressStyle,
    Finding,
    Kind,
    MaskPolicy,
    NameStyle,
    ScanOptions,
    apply_to_pieces,
    mask_text,
    mask_value,
    resolve_overlaps,
    scan_text,
)
from gongkai.domain.privacy.patterns import luhn_ok

OPTIONS = ScanOptions(reference_date=date(2026, 1, 1))
ID = "11010519491231002X"  # GB 11643 example number
ID2 = "110101199003074573"


def found(text: str, header: str | None = None, minimum: float = 0.5) -> list[tuple[str, str]]:
    return [
        (f.kind.value, f.text)
        for f in scan_text(text, header=header, options=OPTIONS)
        if f.score >= minimum
    ]


def _luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


CARD = _luhn_complete("622202123456789012")  # 19 digits, UnionPay


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("ID number right after 汉字, no word boundary", f"身份证号{ID}，", [("id_number", ID)]),
        ("ID number with lower-case x", f"证件号码：{ID.lower()}", [("id_number", ID.lower())]),
        (
            "grouped ID number 6-8-4",
            "身份证：110105 19491231 002X",
            [("id_number", "110105 19491231 002X")],
        ),
        (
            "full-width digits",
            "身份证号１１０１０５１９４９１２３１００２Ｘ",
            [("id_number", "１１０１０５１９４９１２３１００２Ｘ")],
        ),
        (
            "legacy 15-digit ID with context",
            "身份证号码110105491231002",
            [("id_number", "110105491231002")],
        ),
        ("mobile in running text", "请致电13812345678联系", [("mobile", "13812345678")]),
        (
            "mobile with +86 and dashes",
            "电话+86 138-1234-5678。",
            [("mobile", "+86 138-1234-5678")],
        ),
        ("bank card after 卡号", f"卡号{CARD}", [("bank_card", CARD)]),
        (
            "bank card in groups of four",
            f"银行卡 {' '.join(CARD[i : i + 4] for i in range(0, 19, 4))}",
            [("bank_card", " ".join(CARD[i : i + 4] for i in range(0, 19, 4)))],
        ),
        ("personal e-mail", "邮箱zhangsan88@qq.com。", [("email", "zhangsan88@qq.com")]),
        ("passport with context", "护照号码E12345678", [("passport", "E12345678")]),
        ("港澳通行证 with context", "往来港澳通行证C12345678", [("travel_permit", "C12345678")]),
        ("licence plate", "驾驶豫A·12345小型客车", [("licence_plate", "豫A·12345")]),
        ("new-energy plate", "车牌号京AD12345", [("licence_plate", "京AD12345")]),
        (
            "house number cut after the street",
            "家住东城区人民路128号3栋501室",
            [("address", "128号3栋501室")],
        ),
        ("personal landline", "家庭电话0371-65432198", [("landline", "0371-65432198")]),
        ("name after 申请人", "申请人王小明于2024年提出申请", [("name", "王小明")]),
        ("name after 户主 with colon", "户主：李娜，家庭人口3人", [("name", "李娜")]),
        ("compound surname", "来信人欧阳娜娜反映", [("name", "欧阳娜娜")]),
        ("letter salutation", "张伟：\n您的来信收悉。", [("name", "张伟")]),
    ],
)
def test_detects(intent, text, expected):
    assert found(text) == expected, intent


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("USCC is public", f"统一社会信用代码{make_uscc('9', '1', '410105', '12345678')}"),
        ("文号 is public", "依据国办发〔2017〕47号文件"),
        ("dates are public", "2019年1月17日、2019-01-17 与 20190117"),
        ("amounts are public", "总投资13812345678元，补助1,234.50元"),
        ("order numbers are public", "订单号：2023110512345678901，流水号6222021234567890128"),
        ("索引号 is public", "索引号：11410100MB1234567X/2024-00123"),
        ("ID with a wrong check digit and no context", "编码110101199003074570"),
        ("office phones are published", "咨询电话：0399-8123456，监督电话0371-65432100"),
        ("agency mailbox", "联系邮箱gongkai@example.gov.cn"),
        ("office address", "办公地址：示例市人民路1号"),
        ("already masked values", "身份证号110105********002X，电话138****5678，张*"),
        ("anonymised names", "当事人李某某、王某"),
        ("official in an appointment", "任命张建国同志为示例市交通运输局局长"),
        ("agency and place names", "示例市民政局、东城区人民政府、王府井大街"),
        ("random 11-digit number without mobile prefix", "编号：12345678901"),
        ("Luhn-invalid account without card words", "对公账号4100123456789012345"),
    ],
)
def test_hard_negatives_pass_untouched(intent, text):
    assert found(text) == [], intent


@pytest.mark.parametrize(
    ("intent", "header", "cell", "expected"),
    [
        ("name column", "户主姓名", "张三", [("name", "张三")]),
        ("name column, rare surname still a name", "姓名", "亓官明", [("name", "亓官明")]),
        ("ID column", "身份证号码", ID, [("id_number", ID)]),
        ("phone column", "联系电话", "13912345678", [("mobile", "13912345678")]),
        ("address column", "家庭住址", "东城区人民路8号2单元301室", [("address", "8号2单元301室")]),
        ("community column holds no names", "所属社区", "王庄村", []),
        ("official column", "执法人员", "张三", []),
        ("serial column", "合同编号", "2023110512345678", []),
    ],
)
def test_column_header_is_context(intent, header, cell, expected):
    assert found(cell, header=header) == expected, intent


def test_header_line_lines_up_text_table_rows():
    header = "序号 姓名 身份证号码 联系电话"
    row = f"3 刘洋 {ID2} 13700001111"
    assert found(row, header=header) == [
        ("name", "刘洋"),
        ("id_number", ID2),
        ("mobile", "13700001111"),
    ]


def test_name_next_to_an_identifier_is_linked():
    findings = scan_text(f"表扬王芳（{ID2}）", options=OPTIONS)
    name = next(f for f in findings if f.kind is Kind.NAME)
    assert name.text == "王芳" and name.score >= 0.9
    assert "同一句" in name.reason


def test_every_finding_has_a_chinese_reason_and_a_score_in_range():
    text = f"申请人张伟，身份证号{ID}，手机13812345678，卡号{CARD}，家住人民路1号2室。"
    findings = scan_text(text, options=OPTIONS)
    assert {f.kind for f in findings} == {
        Kind.NAME,
        Kind.ID_NUMBER,
        Kind.MOBILE,
        Kind.BANK_CARD,
        Kind.ADDRESS,
    }
    for f in findings:
        assert 0 < f.score <= 0.99 and f.reason and text[f.start : f.end] == f.text


def test_birth_date_must_be_plausible():
    future = "110101" + "20300101" + "123"
    assert found(f"身份证号{future + id_check_char(future)}") == []
    old = "110101" + "18890101" + "123"
    assert found(f"身份证号{old + id_check_char(old)}") == []


@pytest.mark.parametrize(
    ("kind", "value", "policy", "masked"),
    [
        (Kind.ID_NUMBER, "11010519491231002X", MaskPolicy(), "110105********002X"),
        (Kind.MOBILE, "13812341234", MaskPolicy(), "138****1234"),
        (Kind.MOBILE, "+86 138-1234-1234", MaskPolicy(), "138****1234"),
        (Kind.BANK_CARD, CARD, MaskPolicy(), "****" + CARD[-4:]),
        (Kind.NAME, "张明", MaskPolicy(), "张*"),
        (Kind.NAME, "张小明", MaskPolicy(), "张*明"),
        (Kind.NAME, "张小明", MaskPolicy(name=NameStyle.SURNAME), "张**"),
        (Kind.NAME, "欧阳娜娜", MaskPolicy(), "欧阳*娜"),
        (Kind.NAME, "艾力·吐尔逊", MaskPolicy(), "艾力·**"),
        (Kind.ADDRESS, "128号3栋501室", MaskPolicy(), ""),
        (Kind.ADDRESS, "128号3栋501室", MaskPolicy(address=AddressStyle.STARS), "***"),
        (Kind.EMAIL, "zhangsan@qq.com", MaskPolicy(), "z***@qq.com"),
        (Kind.LICENCE_PLATE, "豫A·12345", MaskPolicy(), "豫A****5"),
    ],
)
def test_masked_forms(kind, value, policy, masked):
    assert mask_value(kind, value, policy) == masked


def test_mask_text_keeps_everything_else():
    text = f"申请人张伟，身份证号{ID}，国办发〔2017〕47号。"
    findings = [f for f in scan_text(text, options=OPTIONS) if f.score >= 0.5]
    assert (
        mask_text(text, findings) == "申请人张*，身份证号110105********002X，国办发〔2017〕47号。"
    )


@given(
    st.lists(st.text(min_size=0, max_size=6), min_size=1, max_size=6),
    st.data(),
)
def test_apply_to_pieces_equals_editing_the_joined_text(pieces, data):
    joined = "".join(pieces)
    edits = []
    position = 0
    while position < len(joined) and len(edits) < 3:
        start = data.draw(st.integers(position, len(joined)))
        end = data.draw(st.integers(start, len(joined)))
        if end == start:
            break
        edits.append((start, end, data.draw(st.text(alphabet="*#", max_size=4))))
        position = end
    out = apply_to_pieces(pieces, edits)
    assert len(out) == len(pieces)
    expected = joined
    for start, end, new in reversed(edits):
        expected = expected[:start] + new + expected[end:]
    assert "".join(out) == expected


@settings(max_examples=200)
@given(st.text(alphabet="0123456789汉字号码：，。 -X", max_size=80))
def test_findings_never_overlap_and_spans_are_exact(text):
    findings = scan_text(text, options=OPTIONS)
    for a, b in pairwise(findings):
        assert a.end <= b.start
    for f in findings:
        assert text[f.start : f.end] == f.text


@settings(max_examples=200)
@given(st.integers(0, 10**17 - 1))
def test_any_valid_id_number_in_an_id_sentence_is_found(n):
    body = f"{n:017d}"
    body = "11" + body[2:6] + "19800101" + body[14:]
    number = body + id_check_char(body)
    assert found(f"身份证号码：{number}。") == [("id_number", number)]


def test_resolve_overlaps_prefers_containing_spans():
    outer = Finding(Kind.EMAIL, 0, 20, "x" * 20, 0.85, "")
    inner = Finding(Kind.MOBILE, 0, 11, "x" * 11, 0.9, "")
    other = Finding(Kind.NAME, 25, 27, "xx", 0.6, "")
    assert resolve_overlaps([inner, outer, other]) == [outer, other]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "申请人王芳",
                f"身份证号{ID2}",
                "手机13812345678",
                f"卡号{CARD}",
                "，",
                "。",
                "国办发〔2017〕47号",
                "2019年1月17日",
                "户主李娜",
                "家住人民路8号3单元201室",
            ]
        ),
        min_size=1,
        max_size=8,
    )
)
def test_masked_text_has_nothing_left_to_mask(parts):
    text = "，".join(parts)  # numbers glued to each other are one number: keep them apart
    findings = [f for f in scan_text(text, options=OPTIONS) if f.score >= 0.5]
    masked = mask_text(text, findings)
    strong = {Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD}
    left = [f for f in scan_text(masked, options=OPTIONS) if f.kind in strong and f.score >= 0.5]
    assert left == []
    assert ID2 not in masked and "13812345678" not in masked and CARD not in masked
    assert masked.count("国办发〔2017〕47号") == text.count("国办发〔2017〕47号")


def test_an_officials_enforcement_certificate_number_is_not_a_mobile_number():
    """执法公示 publishes 执法人员 with their 执法证号; an 11-digit number starting 13x in that
    column or after that word is the certificate's, while the same digits as a phone are not."""
    from gongkai.documents.extract import TextBlock
    from gongkai.domain.privacy import Kind, scan_blocks, scan_text

    row = [
        TextBlock("第1列", "金川县于记家政服务", "市场主体", "第2行"),
        TextBlock(
            "第2列", "吕玉兰（13990100029） 郭雨（13990100079）", "执法人员（执法证号）", "第2行"
        ),
    ]
    assert not [f for f in scan_blocks(row) if f.finding.kind is Kind.MOBILE]
    assert not [
        f for f in scan_text("执法人员吕玉兰，执法证号13990100029。") if f.kind is Kind.MOBILE
    ]
    phone = [f for f in scan_text("联系人吕玉兰，电话13990100029。") if f.kind is Kind.MOBILE]
    assert phone and phone[0].score >= 0.9
