"""Raw rows as departments' systems send them."""

from __future__ import annotations

from gongkai.domain.codes import id_check_char, make_uscc


def company_uscc(n: int) -> str:
    return make_uscc("9", "1", "139900", f"{70000000 + n:08d}")


def person_id(birth: str = "19800101", seq: str = "001") -> str:
    first = "139900" + birth + seq
    return first + id_check_char(first)


def penalty_row(agency, n: int = 1, **extra) -> dict[str, str]:
    row = {
        "party_name": f"测试市第{n}食品有限公司",
        "party_kind": "法人及非法人组织",
        "uscc": company_uscc(n),
        "legal_rep": "王五",
        "doc_name": "行政处罚决定书",
        "doc_number": f"测交罚〔2026〕{n}号",
        "category": "罚款",
        "violation_type": "超限运输",
        "facts": "车辆超限运输",
        "basis": "《公路法》第七十六条",
        "content": "罚款0.5万元",
        "fine_wan": "0.5",
        "decided_on": "2026-11-20",
        "severity": "一般",
    }
    row.update(extra)
    return row


def person_row(agency, n: int = 1, id_number: str | None = None, **extra) -> dict[str, str]:
    return penalty_row(
        agency,
        n,
        party_name="张三丰",
        party_kind="自然人",
        uscc="",
        legal_rep="",
        id_type="身份证",
        id_number=id_number or person_id(),
        **extra,
    )


def licence_row(agency, n: int = 1, **extra) -> dict[str, str]:
    row = penalty_row(
        agency,
        n,
        doc_name="道路运输经营许可决定书",
        doc_number=f"测交许〔2026〕{n}号",
        category="普通",
        content="道路普通货物运输",
        valid_from="2026-11-20",
        valid_to="2030-11-19",
    )
    for key in ("violation_type", "facts", "basis", "severity", "fine_wan"):
        row.pop(key)
    row.update(extra)
    return row
