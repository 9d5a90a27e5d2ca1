"""Check characters and normal forms of the codes Chinese government records carry.

- 统一社会信用代码 (GB 32100-2015): 18 characters, check character at position 18.
- 组织机构代码 (GB 11714-1997): 8 characters plus a check character, shown ``XXXXXXXX-X``.
- 公民身份号码 (GB 11643-1999): 18 characters, check character at position 18; legacy 15-digit
  numbers carry none.
- 发文字号 (GB/T 9704-2012 §7.2.5): 机关代字〔年份〕序号号, hexagonal brackets, no leading zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


class CodeError(ValueError):
    """A code failed validation; the message is a Chinese sentence for the user."""


def _org_char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise CodeError(f"组织机构代码含有非法字符“{ch}”")


def org_code_check_char(body: str) -> str:
    """Check character of an 8-character 组织机构代码 body (GB 11714)."""
    if len(body) != 8:
        raise CodeError("组织机构代码本体应为8位")
    total = sum(_org_char_value(ch) * w for ch, w in zip(body.upper(), ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def normalize_org_code(value: str) -> str:
    """Return ``XXXXXXXX-X`` or raise CodeError with the reason."""
    raw = value.strip().upper().replace("-", "").replace("－", "")
    if len(raw) != 9:
        raise CodeError("组织机构代码应为9位（8位本体代码加1位校验码）")
    expected = org_code_check_char(raw[:8])
    if raw[8] != expected:
        raise CodeError(f"组织机构代码校验码错误：应为“{expected}”，实为“{raw[8]}”")
    return f"{raw[:8]}-{raw[8]}"


def uscc_check_char(first17: str) -> str:
    """Check character of a 统一社会信用代码 from its first 17 characters (GB 32100)."""
    if len(first17) != 17:
        raise CodeError("统一社会信用代码前17位长度不对")
    total = 0
    for ch, weight in zip(first17.upper(), USCC_WEIGHTS, strict=True):
        index = USCC_CHARSET.find(ch)
        if index < 0:
            raise CodeError(f"统一社会信用代码含有非法字符“{ch}”（不使用 I、O、Z、S、V）")
        total += index * weight
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    """Return the upper-case 18-character code or raise CodeError with the reason."""
    raw = value.strip().upper()
    if len(raw) != 18:
        raise CodeError(f"统一社会信用代码应为18位，实为{len(raw)}位")
    expected = uscc_check_char(raw[:17])
    if raw[17] != expected:
        raise CodeError(f"统一社会信用代码校验码错误：应为“{expected}”，实为“{raw[17]}”")
    return raw


def is_valid_uscc(value: str) -> bool:
    try:
        normalize_uscc(value)
    except CodeError:
        return False
    return True


def make_uscc(registration: str, category: str, region: str, org_body: str) -> str:
    """Build a valid 统一社会信用代码 from its parts (used by demo data and tests)."""
    org = org_body + org_code_check_char(org_body)
    first17 = f"{registration}{category}{region}{org}"
    return first17 + uscc_check_char(first17)


def id_check_char(first17: str) -> str:
    """Check character of an 18-digit 公民身份号码 (GB 11643)."""
    if len(first17) != 17 or not first17.isdigit():
        raise CodeError("身份证号码前17位应为数字")
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    male: bool


def parse_id_number(value: str) -> IdNumber:
    """Validate an 18-digit (or legacy 15-digit) 公民身份号码; raise CodeError with the reason."""
    raw = value.strip().upper()
    if len(raw) == 15 and raw.isdigit():
        birth_text = "19" + raw[6:12]
        sequence = raw[12:15]
    elif len(raw) == 18:
        if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
            raise CodeError("身份证号码格式不正确：前17位应为数字，最后一位为数字或X")
        expected = id_check_char(raw[:17])
        if raw[17] != expected:
            raise CodeError(f"身份证号码校验码错误：应为“{expected}”，实为“{raw[17]}”")
        birth_text = raw[6:14]
        sequence = raw[14:17]
    else:
        raise CodeError("身份证号码应为18位（或旧式15位）")
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError as exc:
        raise CodeError(f"身份证号码中的出生日期“{birth_text}”无效") from exc
    if birth.year < 1880:
        raise CodeError(f"身份证号码中的出生日期“{birth_text}”不合理")
    return IdNumber(number=raw, birth_date=birth, male=int(sequence) % 2 == 1)


def is_valid_id_number(value: str) -> bool:
    try:
        parse_id_number(value)
    except CodeError:
        return False
    return True


# 发文字号 ------------------------------------------------------------------------------------

_DOCNO_RE = re.compile(
    r"^(?P<code>[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*?)\s*"
    r"(?P<open>[〔\[【（(［﹝])\s*(?P<year>\d{4})\s*(?P<close>[〕\]】）)］﹞])\s*"
    r"第?\s*(?P<seq>\d+)\s*号$"
)


@dataclass(frozen=True)
class DocNumber:
    """A parsed 发文字号. ``text`` is the normal form; ``flags`` lists what was corrected."""

    code: str
    year: int
    seq: int
    text: str
    flags: tuple[str, ...]


def parse_doc_number(value: str) -> DocNumber:
    """Parse and normalise a 发文字号 to 代字〔年份〕序号号, flagging each correction made."""
    raw = value.strip().translate(_FULLWIDTH_DIGITS)
    match = _DOCNO_RE.match(raw)
    if not match:
        raise CodeError(f"发文字号“{value}”格式不正确，应如“国办发〔2017〕47号”")
    flags: list[str] = []
    if match["open"] != "〔" or match["close"] != "〕":
        flags.append(f"年份括号“{match['open']}{match['close']}”已改为六角括号〔〕")
    if "第" in raw[match.end("close") : match.start("seq")]:
        flags.append("序号前的“第”字已删除")
    seq_text = match["seq"]
    if len(seq_text) > 1 and seq_text.startswith("0"):
        flags.append("序号前的0已删除")
    seq = int(seq_text)
    if seq == 0:
        raise CodeError(f"发文字号“{value}”的序号不能为0")
    year = int(match["year"])
    text = f"{match['code']}〔{year}〕{seq}号"
    if value.strip() != text and not flags:
        flags.append("已去除多余空格或全角数字")
    return DocNumber(code=match["code"], year=year, seq=seq, text=text, flags=tuple(flags))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
