"""Pattern detectors: numbers and codes with a shape, a check digit or both.

Every pattern uses digit/letter look-arounds instead of ``\\b``: Python's ``re`` counts 汉字 as
word characters, so ``\\b`` finds no boundary between “号” and “1” (Presidio's credit-card
regex misses “卡号6222…” for that reason). Detectors run on the normalised text (full-width
forms folded to ASCII, same length), so spans are valid in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from gongkai.domain.codes import id_check_char, is_valid_uscc, org_code_check_char
from gongkai.domain.privacy.context import (
    ADDRESS_HEADERS,
    BANK_HEADERS,
    CERTIFICATE_HEADERS,
    CONTEXT_WORDS,
    CORPORATE_ACCOUNT_WORDS,
    ID_HEADERS,
    OFFICE_WORDS,
    PASSPORT_HEADERS,
    PERMIT_HEADERS,
    PHONE_HEADERS,
    PLATE_HEADERS,
    SERIAL_HEADERS,
    SERIAL_WORDS,
    has_any,
)
from gongkai.domain.privacy.kinds import Finding, Kind, PublicKind, PublicSpan, clamp_score
from gongkai.domain.privacy.text import Sentences, compact, sentence_bounds

# 行政区划代码: the first two digits of a 公民身份号码 name a province-level division
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
# mobile number segments allocated by MIIT (13x-19x); others are not mobile numbers
MOBILE_PREFIXES = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
    + ["162", "165", "166", "167"]
    + [f"17{d}" for d in range(9)]
    + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
)
PERSONAL_MAIL_DOMAINS = frozenset(
    [
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "139.com",
        "189.cn",
        "wo.cn",
        "aliyun.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "tom.com",
        "21cn.com",
    ]
)
_PUBLIC_MAIL = re.compile(r"(?:\.gov\.cn|\.gov|\.org\.cn|\.edu\.cn|\.org)$")

# Speed: Python's re skips ahead fast only when a pattern starts with a literal or a small
# character set, so each pattern starts with its first character and checks the boundary
# before it with a look-behind placed after it ((?<![0-9A-Za-z]\d) = “no letter or digit
# before this digit”).
_E = r"(?![0-9A-Za-z])"  # no digit or Latin letter after


def _first(chars: str) -> str:
    """The pattern's first character and the boundary before it."""
    return f"[{chars}](?<![0-9A-Za-z][{chars}])"


ID18 = re.compile(_first("0-9") + r"\d{5}[ -]?\d{8}[ -]?\d{3}[0-9Xx]" + _E)
ID15 = re.compile(_first("0-9") + r"\d{14}" + _E)
MOBILE = re.compile(_first("1") + r"[3-9]\d[ -]?\d{4}[ -]?\d{4}" + _E)
MOBILE_PREFIXED = re.compile(
    r"(?:\+86|0(?<![0-9A-Za-z]0)086)[ -]?1[3-9]\d[ -]?\d{4}[ -]?\d{4}" + _E
)
LANDLINE = re.compile(
    _first("(0") + r"(?:(?<=\()0\d{2,3}\)|(?<=0)\d{2,3})[ -]?[2-9]\d{6,7}(?:(?:-|转)\d{1,5})?" + _E
)
BANK = re.compile(_first("0-9") + r"\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?" + _E)
PASSPORT = re.compile(
    _first("EGDSP") + r"(?:(?<=[EG])\d{8}|(?<=E)[A-HJ-NP-Z]\d{7}|(?<=[DSP])E?\d{7})" + _E
)
PERMIT = re.compile(
    _first("CWHM") + r"(?:(?<=[CW])\d{8}|(?<=C)[A-HJ-NP-Z]\d{7}|(?<=[HM])\d{8}(?:\d{2})?)" + _E
)
TAIWAN_PERMIT = re.compile(r"(?:台胞证|台湾居民来往大陆通行证)[号码编: ]{0,4}(\d{8}|\d{10})" + _E)
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]"
    r"(?<![A-Za-z0-9]..)[·•. -]?"
    r"(?:[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳])" + _E
)
_ADDR_NUM = r"[0-9一二三四五六七八九十百零〇甲乙丙丁A-Z]{1,5}(?:-[0-9]{1,4})?"
ADDRESS = re.compile(
    r"(?:路|街|大道|大街|巷|胡同|弄|村|社区|小区|花园|家园|苑|公寓|大厦|新村|广场|庄园|里|屯)"
    rf"((?:{_ADDR_NUM}(?:号院|号楼|号|栋|幢|座|单元|楼|层|室|户|组|排)){{1,6}}(?:{_ADDR_NUM}(?![号线]))?)"
    r"(?![线文令字])"
)
_ADDR_MUST = re.compile(r"号|室|栋|幢|单元|户")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}$")
_EMAIL_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

# public codes --------------------------------------------------------------------------------
USCC = re.compile(
    _first("0-9A-HJ-NPQRTUWXY") + r"[0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10}" + _E
)
# these three are found from a distinctive middle character, then extended backwards
ORG_CODE_TAIL = re.compile(r"-(?<=[0-9A-Z]{8}-)[0-9X]" + _E)
DOC_NUMBER_TAIL = re.compile(r"[〔\[【(][12]\d{3}[〕\]】)]第?\d{1,5}号")
INDEX_NUMBER_TAIL = re.compile(r"/(?<=[0-9A-Z]{9}/)\d{4}-\d{3,6}" + _E)
_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,10}$")
_CODE_BEFORE = re.compile(r"[0-9A-Z]{9,18}$")
DATES = re.compile(
    _first("12")
    + r"\d{3}(?:[ ]*年[ ]*\d{1,2}[ ]*月(?:[ ]*\d{1,2}[ ]*日)?"
    + r"|[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    + r"|(?<=[12]\d{3})(?<=(?:19|20)\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    + _E
    + ")"
)
AMOUNT_SIGN = re.compile(r"[¥￥][ ]*\d[\d,]*(?:\.\d+)?")
AMOUNT_UNIT = re.compile(r"[元万角]")
_AMOUNT_BEFORE = re.compile(r"(?<![0-9A-Za-z.])\d[\d,]*(?:\.\d+)?[ ]*(?:亿|万)?$")
SERIAL = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, SERIAL_WORDS), key=len, reverse=True)) + ")"
    r"(?:码|号码)?[: ]*(?:为|是)?[: ]*([0-9A-Za-z][0-9A-Za-z\-/]{5,40})"
)
_SERIAL_CELL = re.compile(r"[0-9A-Za-z\-/]{6,40}")
_SERIAL_NOT_AFTER = ("身份", "证件", "卡", "账", "帐", "电话", "手机", "护照")

_AGENCY_BEFORE = re.compile(
    r"(?:局|委员会|人民政府|办公室|办事处|公司|中心|医院|学校|银行|法院|检察院|委|厅|所|站)[，,、]?(?:地址|位于|设在)"
)

STRONG_BANK_WORDS = ("银行卡", "卡号", "社保卡", "借记卡", "存折", "一卡通", "储蓄卡", "折号")


_DIGITS = re.compile(r"[0-9][0-9A-Za-z \-,./:]*")
# every pattern needs digits: scan only near them (10 汉字 of 文号 code before, 元/号/室 after)
_WINDOW_BEFORE, _WINDOW_AFTER = 14, 8
_WINDOW_GAP = 48  # nearby windows are joined: fewer, longer scans


def digit_windows(norm: str) -> list[tuple[int, int]] | None:
    """Merged (start, end) windows around the runs of digits in ``norm``; None when they
    cover most of it (a roster), where scanning the whole text is cheaper."""
    windows: list[tuple[int, int]] = []
    size = len(norm)
    covered = 0
    last_start, last_end = -1, -1
    for match in _DIGITS.finditer(norm):
        start = match.start() - _WINDOW_BEFORE
        start = start if start > 0 else 0
        end = match.end() + _WINDOW_AFTER
        end = end if end < size else size
        if start <= last_end + _WINDOW_GAP and last_start >= 0:
            last_end = end
            continue
        if last_start >= 0:
            windows.append((last_start, last_end))
            covered += last_end - last_start
            if len(windows) % 32 == 0 and covered * 2 > last_end:
                return None  # dense: most of the text so far is digits and their context
        last_start, last_end = start, end
    if last_start >= 0:
        windows.append((last_start, last_end))
        covered += last_end - last_start
    if covered * 2 > size:
        return None
    return windows


@dataclass(frozen=True)
class Scope:
    """What a detector may look at around a match: the text, its header and the date."""

    norm: str
    text: str
    header: str | None
    reference_date: date | None
    windows: tuple[tuple[int, int], ...] | None = None
    sentences: Sentences | None = None
    # a text-table row: (start, end, header) of each cell; ``header`` is then None
    columns: tuple[tuple[int, int, str], ...] | None = None

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` (which needs digits) in the windows around digits."""
        if self.windows is None:
            yield from pattern.finditer(self.norm)
            return
        for start, end in self.windows:
            yield from pattern.finditer(self.norm, start, end)

    def context(self, start: int, end: int, before: int = 20, after: int = 8) -> str:
        if self.sentences is not None:
            left, right = self.sentences.bounds(start, end)
        else:
            left, right = sentence_bounds(self.norm, start, end)
        return (
            self.norm[max(left, start - before) : start]
            + " "
            + self.norm[end : min(right, end + after)]
        )

    @cached_property
    def _column_starts(self) -> list[int]:
        return [start for start, _, _ in self.columns or ()]

    def header_at(self, position: int) -> str | None:
        """The column header that applies at ``position``."""
        if self.columns is None:
            return self.header
        index = bisect_right(self._column_starts, position) - 1
        if index >= 0:
            start, end, header = self.columns[index]
            if start <= position < end:
                return header
        return None

    def header_matches(self, pattern: re.Pattern[str], position: int = 0) -> bool:
        header = self.header_at(position)
        return bool(header and pattern.search(header))

    def finding(self, kind: Kind, start: int, end: int, score: float, reason: str) -> Finding:
        return Finding(kind, start, end, self.text[start:end], clamp_score(score), reason)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def birth_date(text: str, reference: date | None) -> date | None:
    """The date in YYYYMMDD if it is a plausible birth date (not before 1900, not in the future)."""
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    if born.year < 1900:
        return None
    if reference is not None and born > reference:
        return None
    if reference is None and born.year > 2100:
        return None
    return born


def _context_reason(word: str | None, header_hit: bool, header: str | None) -> str:
    if word:
        return f"上下文“{word}”"
    if header_hit and header:
        return f"表头“{header.strip()[:20]}”"
    return ""


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# detectors ------------------------------------------------------------------------------------


def detect_id_numbers(scope: Scope) -> Iterator[Finding]:
    for match in scope.finditer(ID18):
        raw = compact(match.group())
        start, end = match.span()
        ctx = scope.context(start, end)
        word = has_any(ctx, CONTEXT_WORDS[Kind.ID_NUMBER])
        header_hit = scope.header_matches(ID_HEADERS, start)
        born = birth_date(raw[6:14], scope.reference_date)
        if raw[:2] not in PROVINCE_CODES or born is None:
            continue
        bank_word = has_any(ctx, STRONG_BANK_WORDS) or scope.header_matches(BANK_HEADERS, start)
        has_context = bool(word or header_hit)
        if id_check_char(raw[:17]) == raw[17]:
            score = 0.95 + (0.04 if has_context else 0.0)
            if bank_word and not has_context:
                score = 0.6  # a Luhn-valid card number that happens to pass the ID check too
            reason = f"18位身份证号，校验码正确，出生日期{_cn(born)}"
        elif has_context:
            score = 0.65
            reason = "18位号码的出生日期合理但校验码不符（可能录入有误）"
        else:
            continue
        yield scope.finding(
            Kind.ID_NUMBER,
            start,
            end,
            score,
            _join(reason, _context_reason(word, header_hit, scope.header_at(start))),
        )
    for match in scope.finditer(ID15):
        raw = match.group()
        start, end = match.span()
        born = birth_date("19" + raw[6:12], scope.reference_date)
        if raw[:2] not in PROVINCE_CODES or born is None:
            continue
        word = has_any(scope.context(start, end), CONTEXT_WORDS[Kind.ID_NUMBER])
        header_hit = scope.header_matches(ID_HEADERS, start)
        score = 0.95 if (word or header_hit) else 0.7
        yield scope.finding(
            Kind.ID_NUMBER,
            start,
            end,
            score,
            _join(
                f"15位旧式身份证号，出生日期{_cn(born)}",
                _context_reason(word, header_hit, scope.header_at(start)),
            ),
        )


def detect_mobiles(scope: Scope) -> Iterator[Finding]:
    for match in (m for pattern in (MOBILE_PREFIXED, MOBILE) for m in scope.finditer(pattern)):
        raw = compact(match.group())
        number = raw[-11:]
        start, end = match.span()
        ctx = scope.context(start, end)
        word = has_any(ctx, CONTEXT_WORDS[Kind.MOBILE])
        header_hit = scope.header_matches(PHONE_HEADERS, start)
        if number[:3] in MOBILE_PREFIXES:
            score = 0.9 + (0.07 if (word or header_hit) else 0.0)
            reason = f"11位手机号码，号段{number[:3]}"
        else:
            score = 0.55 if (word or header_hit) else 0.3
            reason = f"11位号码，但{number[:3]}不是手机号段"
        yield scope.finding(
            Kind.MOBILE,
            start,
            end,
            score,
            _join(reason, _context_reason(word, header_hit, scope.header_at(start))),
        )


def _area_code(digits: str) -> tuple[str, str] | None:
    if digits.startswith(("010", "02")):
        area, local = digits[:3], digits[3:]
    elif len(digits) > 4 and digits[1] in "3456789":
        area, local = digits[:4], digits[4:]
    else:
        return None
    return area, local


def detect_landlines(scope: Scope) -> Iterator[Finding]:
    for match in scope.finditer(LANDLINE):
        text = match.group()
        main = re.split(r"转|(?<=\d{7})-(?=\d{1,5}$)", text)[0]
        split = _area_code(compact(main))
        if split is None or not 7 <= len(split[1]) <= 8 or split[1][0] in "01":
            continue
        start, end = match.span()
        ctx = scope.context(start, end, before=24)
        personal = has_any(ctx, CONTEXT_WORDS[Kind.LANDLINE])
        office = has_any(ctx, OFFICE_WORDS)
        if personal:
            score, reason = 0.75, f"固定电话，上下文“{personal}”表明为个人电话"
        elif office:
            score, reason = 0.1, f"固定电话，上下文“{office}”表明为办公电话，通常可以公开"
        else:
            score, reason = 0.35, "带区号的固定电话（多为办公电话）"
        yield scope.finding(Kind.LANDLINE, start, end, score, reason)


def detect_bank_cards(scope: Scope) -> Iterator[Finding]:
    for match in scope.finditer(BANK):
        digits = compact(match.group())
        if not 16 <= len(digits) <= 19:
            continue
        start, end = match.span()
        ctx = scope.context(start, end, before=24)
        word = has_any(ctx, CONTEXT_WORDS[Kind.BANK_CARD])
        header_hit = scope.header_matches(BANK_HEADERS, start)
        strong = has_any(ctx, STRONG_BANK_WORDS) or header_hit
        corporate = has_any(ctx, CORPORATE_ACCOUNT_WORDS)
        id_word = has_any(ctx, CONTEXT_WORDS[Kind.ID_NUMBER]) or scope.header_matches(
            ID_HEADERS, start
        )
        if len(digits) == 18 and id_word and not strong:
            continue  # an ID number column or sentence
        if _valid_id(digits, scope.reference_date) and not (word or header_hit):
            continue
        context_reason = _context_reason(word, header_hit, scope.header_at(start))
        if luhn_ok(digits):
            unionpay = digits.startswith("62")
            if corporate and not strong:
                score = 0.4
                reason = f"通过Luhn校验，但上下文“{corporate}”表明可能是对公账户"
            elif unionpay:
                score = 0.99 if (word or header_hit) else 0.9
                reason = f"{len(digits)}位银联卡号（62开头），通过Luhn校验"
            elif word or header_hit:
                score, reason = 0.95, f"{len(digits)}位卡号，通过Luhn校验"
            else:
                score, reason = 0.45, f"{len(digits)}位数字通过Luhn校验，但无银行卡上下文"
        elif strong and not corporate:
            score = 0.6
            reason = f"{len(digits)}位号码未通过Luhn校验，但上下文表明是银行卡号"
        else:
            continue
        yield scope.finding(Kind.BANK_CARD, start, end, score, _join(reason, context_reason))


def _valid_id(digits: str, reference: date | None) -> bool:
    return (
        len(digits) == 18
        and digits[:17].isdigit()
        and digits[:2] in PROVINCE_CODES
        and birth_date(digits[6:14], reference) is not None
        and id_check_char(digits[:17]) == digits[17]
    )


def detect_emails(scope: Scope) -> Iterator[Finding]:
    norm = scope.norm
    at = norm.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(norm, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(norm, at + 1)
        if local is not None and domain is not None:
            start, end = local.start(), domain.end()
            host = domain.group().lower()
            word = has_any(scope.context(start, end), CONTEXT_WORDS[Kind.EMAIL])
            if host in PERSONAL_MAIL_DOMAINS:
                score, reason = 0.85, f"个人邮箱（{host}）"
            elif _PUBLIC_MAIL.search(host):
                score, reason = 0.15, f"机关或组织邮箱（{host}），通常可以公开"
            else:
                score, reason = 0.6, f"电子邮箱（{host}）"
            if word and score >= 0.5:
                score += 0.05
            yield scope.finding(Kind.EMAIL, start, end, score, reason)
            at = norm.find("@", end)
        else:
            at = norm.find("@", at + 1)


def detect_travel_documents(scope: Scope) -> Iterator[Finding]:
    for pattern, kind, headers in (
        (PASSPORT, Kind.PASSPORT, PASSPORT_HEADERS),
        (PERMIT, Kind.TRAVEL_PERMIT, PERMIT_HEADERS),
    ):
        for match in scope.finditer(pattern):
            start, end = match.span()
            word = has_any(scope.context(start, end, before=16), CONTEXT_WORDS[kind])
            header_hit = scope.header_matches(headers, start)
            value = match.group()
            if word or header_hit:
                score = 0.95
            elif kind is Kind.PASSPORT and value[0] in "EG":
                score = 0.45
            elif kind is Kind.TRAVEL_PERMIT and value[0] in "CW":
                score = 0.4
            else:
                continue
            yield scope.finding(
                kind,
                start,
                end,
                score,
                _join(
                    f"{kind.label}格式", _context_reason(word, header_hit, scope.header_at(start))
                ),
            )
    for match in TAIWAN_PERMIT.finditer(scope.norm):  # a literal prefix: fast on its own
        start, end = match.span(1)
        yield scope.finding(Kind.TRAVEL_PERMIT, start, end, 0.9, "台湾居民来往大陆通行证号码")


def detect_plates(scope: Scope) -> Iterator[Finding]:
    for match in scope.finditer(PLATE):
        tail = compact(match.group()[2:])
        if sum(ch.isdigit() for ch in tail) < 3:
            continue
        start, end = match.span()
        word = has_any(scope.context(start, end), CONTEXT_WORDS[Kind.LICENCE_PLATE])
        header_hit = scope.header_matches(PLATE_HEADERS, start)
        score = 0.95 if (word or header_hit) else 0.75
        yield scope.finding(
            Kind.LICENCE_PLATE,
            start,
            end,
            score,
            _join("机动车号牌格式", _context_reason(word, header_hit, scope.header_at(start))),
        )


def detect_addresses(scope: Scope) -> Iterator[Finding]:
    for match in scope.finditer(ADDRESS):
        start, end = match.span(1)
        detail = match.group(1)
        if not _ADDR_MUST.search(detail):
            continue
        ctx = scope.context(start, end, before=40, after=0)
        personal = has_any(ctx, CONTEXT_WORDS[Kind.ADDRESS]) or has_any(ctx, ("我家", "家庭"))
        office = has_any(ctx, OFFICE_WORDS)
        agency_match = _AGENCY_BEFORE.search(ctx)
        agency = agency_match.group() if agency_match else None
        header_hit = scope.header_matches(ADDRESS_HEADERS, start)
        if personal:
            score, reason = 0.85, f"门牌号以下的详细地址，上下文“{personal}”"
        elif office or agency:
            score, reason = 0.15, f"详细地址，上下文“{office or agency}”表明为机关或单位地址"
        elif header_hit:
            score, reason = (
                0.8,
                f"门牌号以下的详细地址，表头“{(scope.header_at(start) or '').strip()[:20]}”",
            )
        else:
            score, reason = 0.45, "门牌号以下的详细地址（无住址上下文）"
        yield scope.finding(Kind.ADDRESS, start, end, score, reason)


PATTERN_DETECTORS: tuple[Callable[[Scope], Iterator[Finding]], ...] = (
    detect_id_numbers,
    detect_mobiles,
    detect_landlines,
    detect_bank_cards,
    detect_emails,
    detect_travel_documents,
    detect_plates,
    detect_addresses,
)


# public codes ---------------------------------------------------------------------------------


def detect_public(scope: Scope) -> list[PublicSpan]:
    """USCCs, 组织机构代码, 文号, 索引号, dates, amounts and serial numbers in the text."""
    norm = scope.norm
    spans: list[PublicSpan] = []

    def add(kind: PublicKind, start: int, end: int) -> None:
        spans.append(PublicSpan(kind, start, end, scope.text[start:end]))

    for match in scope.finditer(USCC):
        value = match.group()
        if not is_valid_uscc(value):
            continue
        if _valid_id(value, scope.reference_date):
            ctx = scope.context(*match.span())
            uscc_word = "信用代码" in ctx or scope.header_matches(SERIAL_HEADERS, match.start())
            if not uscc_word:
                continue  # an ID number that happens to satisfy the USCC check too
        add(PublicKind.USCC, *match.span())
    for match in scope.finditer(ORG_CODE_TAIL):
        start = match.start() - 8
        if start > 0 and norm[start - 1].isascii() and norm[start - 1].isalnum():
            continue
        body, check = norm[start : match.start()], match.group()[1]
        try:
            if org_code_check_char(body) == check:
                add(PublicKind.ORG_CODE, start, match.end())
        except ValueError:
            continue
    for match in scope.finditer(DOC_NUMBER_TAIL):
        code = _CJK_BEFORE.search(norm, max(0, match.start() - 10), match.start())
        if code is not None:
            add(PublicKind.DOC_NUMBER, code.start(), match.end())
    for match in scope.finditer(INDEX_NUMBER_TAIL):
        code = _CODE_BEFORE.search(norm, max(0, match.start() - 18), match.start())
        if code is not None and not (code.start() > 0 and norm[code.start() - 1].isalnum()):
            add(PublicKind.INDEX_NUMBER, code.start(), match.end())
    for match in scope.finditer(DATES):
        add(PublicKind.DATE, *match.span())
    for match in scope.finditer(AMOUNT_SIGN):
        add(PublicKind.AMOUNT, *match.span())
    for match in scope.finditer(AMOUNT_UNIT):
        unit_end = match.end()
        if norm[match.start()] == "万" and norm[unit_end : unit_end + 1] == "元":
            unit_end += 1
        number = _AMOUNT_BEFORE.search(norm, max(0, match.start() - 30), match.start())
        if number is not None:
            add(PublicKind.AMOUNT, number.start(), unit_end)
    for match in SERIAL.finditer(norm):  # literal words first: fast on its own
        before = norm[max(0, match.start() - 4) : match.start()]
        if any(word in before for word in _SERIAL_NOT_AFTER):
            continue
        add(PublicKind.SERIAL, *match.span(1))
    spans.extend(_serial_cells(scope))
    return spans


def _serial_cells(scope: Scope) -> Iterator[PublicSpan]:
    """Codes in table cells whose header names a serial number or an 执法证号."""
    norm = scope.norm
    cells = scope.columns if scope.columns is not None else ((0, len(norm), scope.header or ""),)
    for cell_start, cell_end, header in cells:
        if ID_HEADERS.search(header):
            continue
        if CERTIFICATE_HEADERS.search(header):
            # “执法人员（执法证号）”: names with their certificate numbers, one or several
            for code in _SERIAL_CELL.finditer(norm, cell_start, cell_end):
                yield PublicSpan(PublicKind.SERIAL, *code.span(), scope.text[slice(*code.span())])
            continue
        if not SERIAL_HEADERS.search(header):
            continue
        value = norm[cell_start:cell_end]
        stripped = value.strip()
        if stripped and _SERIAL_CELL.fullmatch(stripped):
            start = cell_start + value.index(stripped)
            end = start + len(stripped)
            yield PublicSpan(PublicKind.SERIAL, start, end, scope.text[start:end])
