"""The pure draw engine: RFC 3797, canonical encoding, keyed tickets, allocation, records."""

from __future__ import annotations

import hashlib
import hmac
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.draws.allocation import (
    AllocationError,
    allocate,
    largest_remainder,
    parse_ratio,
    ratio_text,
    standby_count,
)
from gongkai.domain.draws.assignment import InspectorSpec
from gongkai.domain.draws.canonical import CanonicalError, canonical_json, document_hash
from gongkai.domain.draws.inspection import (
    Candidate,
    DrawInputError,
    InspectionRules,
    build_inspection_commitment,
)
from gongkai.domain.draws.keyed import derive_seed, hmac_sha256, ranked, subkey
from gongkai.domain.draws.lottery import (
    Applicant,
    LotteryGroup,
    build_lottery_commitment,
    mask_name,
)
from gongkai.domain.draws.record import build_record, verify_record
from gongkai.domain.draws.rfc3797 import (
    Rfc3797Error,
    canonical_key,
    parse_numbers,
    rfc3797_select,
    rfc3797_steps,
)
from gongkai.domain.draws.sources import SourceError, SourceKind, SourceSpec, key_string

RFC_SOURCES = [[9319], [2, 5, 12, 8, 10], [9, 18, 26, 34, 41, 45]]
RFC_KEY = "9319./2.5.8.10.12./9.18.26.34.41.45./"
# RFC 3797 §6, the worked example: (MD5 hex, divisor, r, selected pool number)
RFC_TABLE = [
    ("990DD0A5692A029A98B5E01AA28F3459", 25, 16, 17),
    ("3691E55CB63FCC37914430B2F70B5EC6", 24, 6, 7),
    ("FE814EDF564C190AC1D25753979990FA", 23, 1, 2),
    ("1863CCACEB568C31D7DDBDF1D4E91387", 22, 13, 16),
    ("F4AB33DF4889F0AF29C513905BE1D758", 21, 20, 25),
    ("13EAEB529F61ACFB9A29D0BA3A60DE4A", 20, 18, 23),
    ("992DB77C382CA2BDB9727001F3CDCCD9", 19, 5, 8),
    ("63AB4258ECA922976811C7F55C383CE7", 18, 17, 24),
    ("DFBC5AC97CED01B3A6E348E3CC63F40D", 17, 13, 19),
    ("31CB111C4A4EBE9287CEAE16FE51B909", 16, 9, 13),
    ("07FA46C122F164C215BBC72793B189A3", 15, 14, 22),
    ("AC52F8D75CCBE2E61AFEB3387637D501", 14, 3, 5),
    ("53306F73E14FC0B2FBF434218D25948E", 13, 10, 18),
    ("B5D1403501A81F9A47318BE7893B347C", 12, 4, 9),
    ("85B10B356AA06663EF1B1B407765100A", 11, 0, 1),
    ("3269E6CE559ABD57E2BA6AAB495EB9BD", 10, 1, 4),
]


# ---- RFC 3797 -------------------------------------------------------------------------------


def test_rfc3797_key_string_sorts_numerically_not_lexically():
    # 8 sorts before 10 and 12: a lexical sort would give 10.12.2.5.8.
    assert canonical_key(RFC_SOURCES) == RFC_KEY


def test_rfc3797_worked_example_gives_the_nomcom_of_the_rfc():
    assert rfc3797_select(RFC_KEY, 25, 10) == [17, 7, 2, 16, 25, 23, 8, 24, 19, 13]


def test_rfc3797_every_digest_and_remainder_of_the_example_table():
    steps = rfc3797_steps(RFC_KEY, 25, 16)
    assert [(s.digest_hex, s.remaining, s.r, s.position) for s in steps] == RFC_TABLE


def _naive_select(key: str, pool: int, count: int) -> list[int]:
    remaining = list(range(1, pool + 1))
    out = []
    for i in range(count):
        c = i.to_bytes(2, "big")
        r = int.from_bytes(hashlib.md5(c + key.encode() + c).digest(), "big") % (pool - i)
        out.append(remaining.pop(r))
    return out


@settings(max_examples=60, deadline=None)
@given(
    sources=st.lists(
        st.lists(st.integers(0, 10**6), min_size=1, max_size=6), min_size=1, max_size=4
    ),
    pool=st.integers(1, 300),
    data=st.data(),
)
def test_rfc3797_fenwick_selection_equals_the_list_scan_of_the_rfc(sources, pool, data):
    count = data.draw(st.integers(0, pool))
    key = canonical_key(sources)
    picks = rfc3797_select(key, pool, count)
    assert picks == _naive_select(key, pool, count)
    assert len(set(picks)) == count  # never a duplicate


@pytest.mark.parametrize(
    ("pool", "count", "message"),
    [
        (0, 0, "候选池人数应为正整数"),
        (5, 6, "抽取人数应在 0 到 5 之间"),
        (70000, 65537, "最多支持抽取 65536 人"),
    ],
    ids=["empty pool", "more than the pool", "beyond the two-byte counter"],
)
def test_rfc3797_refuses_impossible_selections(pool, count, message):
    with pytest.raises(Rfc3797Error, match=message):
        rfc3797_select(RFC_KEY, pool, count)


@pytest.mark.parametrize(
    ("text", "values"),
    [("2 5 12 8 10", [2, 5, 12, 8, 10]), ("02,05，12、8", [2, 5, 12, 8]), ("9319", [9319])],
    ids=["spaces", "mixed separators and leading zeros", "one value"],
)
def test_source_numbers_as_operators_type_them(text, values):
    assert parse_numbers(text) == values


@pytest.mark.parametrize(
    "text", ["", "1 -2", "1.5", "１２"], ids=["empty", "negative", "decimal", "full-width"]
)
def test_bad_source_numbers_are_refused_in_chinese(text):
    with pytest.raises(Rfc3797Error, match="随机源数值"):
        parse_numbers(text)


# ---- sources -------------------------------------------------------------------------------

RED = SourceSpec(
    "双色球第2026138期红球",
    "中国福利彩票发行管理中心公告",
    "2026-11-29",
    count=6,
    minimum=1,
    maximum=33,
)
BLUE = SourceSpec("双色球第2026138期蓝球", "同上", "2026-11-29", count=1, minimum=1, maximum=16)
DRAND = SourceSpec("drand quicknet 第657413轮", "api.drand.sh", "2026-11-29", kind=SourceKind.HEX)


def test_key_string_of_lottery_and_beacon_sources():
    randomness = "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587"
    key = key_string([RED, BLUE, DRAND], ["03 09 16 21 27 33", "7", randomness])
    assert key == f"3.9.16.21.27.33./7./{int(randomness, 16)}./"


@pytest.mark.parametrize(
    ("spec", "text", "message"),
    [
        (RED, "3 9 16 21 27", "应有 6 个数值，实际输入 5 个"),
        (RED, "3 9 16 21 27 34", "数值 34 大于上限 33"),
        (BLUE, "0", "数值 0 小于下限 1"),
        (DRAND, "xyz", "应为一个十六进制数值"),
    ],
    ids=["too few balls", "ball out of range", "below minimum", "not hex"],
)
def test_observed_values_must_match_the_announcement(spec, text, message):
    with pytest.raises(SourceError, match=message):
        key_string([spec], [text])


# ---- canonical JSON ------------------------------------------------------------------------


def test_canonical_json_sorts_keys_and_keeps_chinese_as_utf8():
    assert canonical_json({"b": [1, "东城区"], "a": None}) == '{"a":null,"b":[1,"东城区"]}'.encode()
    assert document_hash({"a": 1}) == hashlib.sha256(b'{"a":1}').hexdigest()


@pytest.mark.parametrize(
    ("document", "message"),
    [({"ratio": 0.05}, "浮点数"), ({"名称": 1}, "ASCII"), ({"a": "e\u0301"}, "NFC")],
    ids=["float", "non-ASCII key", "not NFC"],
)
def test_canonical_json_refuses_what_other_languages_would_encode_differently(document, message):
    with pytest.raises(CanonicalError, match=message):
        canonical_json(document)


# ---- keyed tickets --------------------------------------------------------------------------


@given(key=st.binary(min_size=0, max_size=100), message=st.binary(max_size=80))
def test_fast_hmac_is_hmac_sha256(key, message):
    assert hmac_sha256(key)(message) == hmac.digest(key, message, "sha256")


@settings(max_examples=40)
@given(ids=st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=40), data=st.data())
def test_ticket_order_ignores_list_order_and_limit_is_a_prefix(ids, data):
    key = subkey(derive_seed("ab" * 32, "1./"), "entities/x")
    shuffled = data.draw(st.permutations(ids))
    full = ranked(key, ids)
    assert full == ranked(key, shuffled)
    limit = data.draw(st.integers(0, len(ids)))
    assert ranked(key, shuffled, limit) == full[:limit]


def test_seed_binds_the_commitment_and_the_sources():
    base = derive_seed("00" * 32, "1.2./")
    assert base != derive_seed("00" * 31 + "01", "1.2./")
    assert base != derive_seed("00" * 32, "1.3./")
    expected = hmac.digest(b"gongkai-draw-v1", b"00" * 32 + b"\n1.2./", "sha256")
    assert base == expected


# ---- allocation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [(25, [7, 7, 4, 3, 3, 1]), (26, [8, 8, 5, 2, 2, 1])],
    ids=["25 seats", "26 seats: the Alabama paradox, as the method is known to behave"],
)
def test_largest_remainder_textbook_example(total, expected):
    sizes = dict(zip("abcdef", [1500, 1500, 900, 500, 500, 200], strict=True))
    assert list(largest_remainder(total, sizes).values()) == expected


@given(sizes=st.lists(st.integers(0, 500), min_size=1, max_size=12), data=st.data())
def test_largest_remainder_meets_the_quota_rule(sizes, data):
    named = {f"s{i}": n for i, n in enumerate(sizes)}
    total = data.draw(st.integers(0, sum(sizes)))
    seats = largest_remainder(total, named)
    assert sum(seats.values()) == total
    for key, n in named.items():
        quota = Fraction(total * n, sum(sizes)) if sum(sizes) else 0
        assert quota - 1 < seats[key] < quota + 1
        assert seats[key] <= n


def test_largest_remainder_ties_are_broken_by_the_published_hash_order_not_by_name():
    seats = largest_remainder(1, {"甲": 10, "乙": 10})
    tiebreak = {
        k: hashlib.sha256(f"gongkai-draw-v1/tiebreak/{k}".encode()).digest() for k in "甲乙"
    }
    winner = min(tiebreak, key=tiebreak.get)
    assert seats[winner] == 1 and sum(seats.values()) == 1


def test_ratio_mode_rounds_up_per_risk_class_then_splits_by_largest_remainder():
    strata = {"A/东/*": ("A", 30), "A/西/*": ("A", 11), "D/东/*": ("D", 3), "B/东/*": ("B", 7)}
    ratios = {"A": parse_ratio("0.05"), "B": parse_ratio("0"), "D": parse_ratio("100%")}
    seats = allocate(strata, mode="ratio", ratios=ratios)
    # class A: ⌈41 × 5%⌉ = ⌈2.05⌉ = 3; quotas 2.195 and 0.805 → 2 + 1
    assert seats == {"A/东/*": 2, "A/西/*": 1, "D/东/*": 3, "B/东/*": 0}


def test_ratio_mode_needs_a_ratio_for_every_class_present():
    with pytest.raises(AllocationError, match="风险等级 C"):
        allocate({"C/东/*": ("C", 5)}, mode="ratio", ratios={"A": Fraction(1, 10)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.05", "0.05"), ("5%", "0.05"), ("100%", "1"), ("0", "0"), ("0.125", "0.125")],
)
def test_ratios_are_exact_decimals(text, expected):
    assert ratio_text(parse_ratio(text)) == expected


@pytest.mark.parametrize("text", ["1.5", "-0.1", "abc", "NaN"])
def test_bad_ratios_are_refused(text):
    with pytest.raises(AllocationError):
        parse_ratio(text)


def test_standby_never_exceeds_the_rest_of_the_stratum():
    assert standby_count(10, 8, Fraction(1, 2)) == 2
    assert standby_count(100, 5, Fraction(1, 10)) == 1


# ---- inspection draws end to end -------------------------------------------------------------


def make_candidates(n: int, districts=("东城区", "西城区", "高新区")) -> list[Candidate]:
    out = []
    for i in range(n):
        h = hashlib.sha256(str(i).encode()).digest()
        out.append(
            Candidate(
                f"E{i:05d}", districts[h[0] % len(districts)], "FGHI"[h[1] % 4], "ABCD"[h[2] % 4]
            )
        )
    return out


def make_inspectors(departments=("gsj", "zljdj"), per=6) -> list[InspectorSpec]:
    return [
        InspectorSpec(
            f"{d}-{i:03d}", f"执法{i}", d, recused_districts=("东城区",) if i == 0 else ()
        )
        for d in departments
        for i in range(per)
    ]


RULES = InspectionRules(ratios={"A": "0.05", "B": "0.1", "C": "0.2", "D": "1"}, standby_ratio="0.2")


def commit(candidates=None, rules=RULES, departments=("gsj",), **kw):
    return build_inspection_commitment(
        header={"title": "2026年度第1批双随机抽查"},
        candidates=candidates if candidates is not None else make_candidates(200),
        rules=rules,
        inspectors=make_inspectors(),
        departments=list(departments),
        sources=[RED, BLUE],
        **kw,
    )


def record_of(commitment, observed=("3 9 16 21 27 33", "7")):
    return build_record(
        commitment, list(observed), drawn_at="2026-11-29T21:30:00+08:00", engine={"name": "gongkai"}
    )


def test_a_draw_selects_the_allocated_seats_and_verifies():
    record = record_of(commit())
    strata = {s["id"]: s for s in record["commitment"]["strata"]}
    for out in record["result"]["strata"]:
        assert len(out["selected"]) == strata[out["id"]]["seats"]
        assert len(out["standby"]) == strata[out["id"]]["standby"]
        chosen = {i for i, _t in out["selected"] + out["standby"]}
        assert chosen <= set(strata[out["id"]]["candidates"])
    result = verify_record(json.loads(json.dumps(record)))
    assert result.ok, result.difference


def test_candidate_order_does_not_change_the_draw():
    candidates = make_candidates(120)
    a = record_of(commit(candidates))
    b = record_of(commit(list(reversed(candidates))))
    assert a["record_hash"] == b["record_hash"]


def test_one_candidate_or_one_source_digit_changes_the_record_hash():
    base = record_of(commit())
    candidates = make_candidates(200)
    candidates[17] = Candidate(
        "E99999", candidates[17].district, candidates[17].industry, candidates[17].risk
    )
    assert record_of(commit(candidates))["record_hash"] != base["record_hash"]
    assert record_of(commit(), ("3 9 16 21 27 32", "7"))["record_hash"] != base["record_hash"]


def test_verifier_names_the_first_difference_of_a_tampered_result():
    record = record_of(commit())
    stratum = record["result"]["strata"][0]
    real = stratum["selected"][0][0]
    stratum["selected"][0][0] = "E77777"
    result = verify_record(record)
    assert not result.ok
    assert f"第 1 位：记录为 E77777，重算为 {real}" in result.difference


def test_verifier_catches_an_edited_candidate_list():
    record = record_of(commit())
    record["commitment"]["strata"][0]["candidates"][0] = "E00000X"
    result = verify_record(record)
    assert not result.ok and "承诺哈希" in result.difference


def test_verifier_catches_a_changed_source_value():
    record = record_of(commit())
    record["observed"][1]["value"] = "8"
    result = verify_record(record)
    assert not result.ok and "规范串" in result.difference


def test_verifier_checks_the_commitment_hash_published_before_the_draw():
    record = record_of(commit())
    assert verify_record(record, expected_commitment_hash=record["commitment_hash"]).ok
    result = verify_record(record, expected_commitment_hash="0" * 64)
    assert not result.ok and "事先公布" in result.difference


def test_verifier_catches_a_forged_allocation_with_a_recomputed_hash():
    record = record_of(commit())
    record["commitment"]["strata"][0]["seats"] += 1
    record["commitment_hash"] = document_hash(record["commitment"])
    result = verify_record(record)
    assert not result.ok and "应抽" in result.difference


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"candidates": []}, "没有可抽取的检查对象"),
        ({"candidates": [Candidate("E1", "东城区", "F", "A")] * 2}, "重复"),
        ({"candidates": [Candidate("E1", "东/城", "F", "A")]}, "含有“/”"),
        ({"rules": InspectionRules(ratios={"A": "1"}, min_inspectors=1)}, "至少应派两名"),
        ({"departments": ("gsj", "gsj")}, "联合检查部门重复"),
        ({"conflicts": [("nobody", "E00001")]}, "不在执法人员名单中"),
    ],
    ids=[
        "nothing to draw",
        "duplicate candidate",
        "slash in district",
        "one inspector",
        "duplicate department",
        "unknown conflict",
    ],
)
def test_bad_draw_inputs_are_refused_in_chinese(kwargs, message):
    with pytest.raises(DrawInputError, match=message):
        commit(**kwargs)


def test_count_mode_draws_exactly_the_total():
    rules = InspectionRules(mode="count", count=37, by_industry=True)
    record = record_of(commit(rules=rules))
    assert sum(len(s["selected"]) for s in record["result"]["strata"]) == 37
    assert all(s["id"].split("/")[2] != "*" for s in record["commitment"]["strata"])


# ---- housing lotteries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张小明", "张*明"), ("欧阳娜娜", "欧**娜"), ("王", "*"), ("", "")],
)
def test_names_are_masked_as_lottery_notices_do(name, masked):
    assert mask_name(name) == masked


def lottery(previous=None):
    groups = [
        LotteryGroup(
            "1", "优先保障家庭", 2, [Applicant(f"BZF-1-{i:03d}", "张*明") for i in range(5)]
        ),
        LotteryGroup("2", "一般家庭", 3, [Applicant(f"BZF-2-{i:03d}", "李*") for i in range(9)]),
    ]
    return build_lottery_commitment(
        header={"title": "公租房摇号"},
        groups=groups,
        sources=[RED, BLUE],
        previous_record_hash=previous,
    )


def test_lottery_orders_every_applicant_once_per_group_and_verifies():
    record = record_of(lottery())
    orders = record["result"]["groups"]
    assert [len(g["order"]) for g in orders] == [5, 9]
    assert {row[0] for row in orders[0]["order"]} == {f"BZF-1-{i:03d}" for i in range(5)}
    tickets = [row[1] for row in orders[1]["order"]]
    assert tickets == sorted(tickets)
    assert verify_record(record).ok


def test_lottery_refuses_an_applicant_in_two_groups():
    groups = [
        LotteryGroup("1", "优先", 1, [Applicant("A-1", "张*")]),
        LotteryGroup("2", "一般", 1, [Applicant("A-1", "张*")]),
    ]
    with pytest.raises(DrawInputError, match="重复"):
        build_lottery_commitment(header={}, groups=groups, sources=[RED])


def test_part_hashes_show_which_part_of_a_commitment_changed():
    from gongkai.domain.draws.record import commitment_part_hashes

    base = commitment_part_hashes(commit())
    candidates = make_candidates(200)
    candidates[3] = Candidate(
        "E99999", candidates[3].district, candidates[3].industry, candidates[3].risk
    )
    changed = commitment_part_hashes(commit(candidates))
    assert changed["candidates"] != base["candidates"]
    assert (changed["rules"], changed["inspectors"], changed["sources"]) == (
        base["rules"],
        base["inspectors"],
        base["sources"],
    )
    assert base["rules"] == document_hash(commit()["rules"])
