#!/usr/bin/env python3
"""Check a published gongkai draw record on your own computer.

Standard library only (Python 3.7 or newer); nothing to install, no network needed.

    python3 verify_draw.py RECORD.json [--commitment-hash HEX] [--substitutions FILE]
    python3 verify_draw.py rfc3797 --sources "9319" "2 5 12 8 10" "9 18 26 34 41 45" --pool 25 --select 10

The first form recomputes the draw from the record's commitment and the observed values of the
public random sources, and prints OK or the first difference. Compare the observed values with
the official announcements (lottery results, beacon pages) yourself, and pass the commitment
hash published before the draw with --commitment-hash to prove the inputs were not changed.
With --substitutions it also recomputes each 递补 (a standby taking a drawn entity's place): the
standby taken and the team it gets (docs/adr/0065).

This file is an independent implementation of the algorithm "gongkai-keyed-v1" as specified in
docs/adr/0060-draw-algorithm.md and docs/adr/0061-inspector-assignment.md.
"""

import argparse
import gzip
import hashlib
import heapq
import hmac
import json
import math
import re
import sys
from decimal import Decimal
from fractions import Fraction

ALGORITHM = "gongkai-keyed-v1"
RECORD_SCHEMA = "gongkai.draw.record/1"


# ---- canonical JSON and hashes -------------------------------------------------------------


def canonical(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def sha256_hex(document):
    return hashlib.sha256(canonical(document)).hexdigest()


# ---- RFC 3797 ------------------------------------------------------------------------------


def numbers_of(text):
    tokens = [t for t in re.split(r"[\s,，、;；]+", text.strip()) if t]
    for token in tokens:
        if not re.fullmatch(r"[0-9]+", token):
            raise ValueError("随机源数值“%s”不是非负整数" % token)
    if not tokens:
        raise ValueError("随机源数值为空")
    return [int(t) for t in tokens]


def rfc3797_key(sources):
    """RFC 3797 section 4: sort each source numerically, "value." each, "/" after each source."""
    return "".join("".join("%d." % v for v in sorted(values)) + "/" for values in sources)


def rfc3797_select(key, pool, count):
    """RFC 3797 section 5: MD5(c || key || c), c = 2-byte counter; pick the (r+1)th remaining."""
    if not 0 <= count <= pool or count > 65536:
        raise ValueError("抽取人数应在 0 到候选人数之间，且不超过 65536")
    remaining = list(range(1, pool + 1))
    picks = []
    for i in range(count):
        c = i.to_bytes(2, "big")
        digest = hashlib.md5(c + key.encode("ascii") + c).digest()
        r = int.from_bytes(digest, "big") % (pool - i)
        picks.append(remaining.pop(r))
    return picks


# ---- the keyed method ----------------------------------------------------------------------


def mac(key, message):
    return hmac.digest(key, message, "sha256")


def source_value_list(spec, text):
    if spec["kind"] == "hex":
        raw = text.strip().lower()
        if raw.startswith("0x"):
            raw = raw[2:]
        if not re.fullmatch(r"[0-9a-f]+", raw):
            raise ValueError("随机源“%s”应为一个十六进制数值" % spec["name"])
        return [int(raw, 16)]
    values = numbers_of(text)
    if spec.get("count") is not None and len(values) != spec["count"]:
        raise ValueError("随机源“%s”应有 %d 个数值" % (spec["name"], spec["count"]))
    for v in values:
        if spec.get("min") is not None and v < spec["min"]:
            raise ValueError("随机源“%s”的数值 %d 小于下限" % (spec["name"], v))
        if spec.get("max") is not None and v > spec["max"]:
            raise ValueError("随机源“%s”的数值 %d 大于上限" % (spec["name"], v))
    return values


def ratio(text):
    return Fraction(Decimal(text))


def tiebreak(stratum_id):
    return hashlib.sha256(("gongkai-draw-v1/tiebreak/" + stratum_id).encode("utf-8")).digest()


def hamilton(total, sizes):
    population = sum(sizes.values())
    if total > population:
        raise ValueError("抽取数量超出对象总数")
    if population == 0:
        return {k: 0 for k in sizes}
    quota = {k: Fraction(total * n, population) for k, n in sizes.items()}
    seats = {k: math.floor(q) for k, q in quota.items()}
    extra = total - sum(seats.values())
    for k in sorted(sizes, key=lambda k: (-(quota[k] - seats[k]), tiebreak(k), k))[:extra]:
        seats[k] += 1
    return seats


def expected_seats(commitment):
    rules = commitment["rules"]
    strata = commitment["strata"]
    if rules["mode"] == "count":
        return hamilton(rules["count"], {s["id"]: s["size"] for s in strata})
    seats = {}
    for risk in sorted({s["risk"] for s in strata}):
        members = {s["id"]: s["size"] for s in strata if s["risk"] == risk}
        if risk not in rules["ratios"]:
            raise ValueError("细则未规定风险等级 %s 的比例" % risk)
        n = sum(members.values())
        seats.update(hamilton(min(n, math.ceil(n * ratio(rules["ratios"][risk]))), members))
    return seats


def order_by_ticket(key, ids):
    return sorted((mac(key, i.encode("utf-8")), i) for i in ids)


def assign(seed, entities, commitment):
    """docs/adr/0061: per slot, the eligible inspector with the smallest (load, rank, id).

    One heap per department holds every inspector's current (load, rank, id); a slot pops
    entries until it meets an eligible inspector, then puts the others back.
    """
    team = commitment["team"]
    departments = team["departments"]
    slots = [
        departments[j] if j < len(departments) else departments[0] for j in range(team["size"])
    ]
    keys = {d: mac(seed, ("inspectors/" + d).encode("utf-8")) for d in set(slots)}

    def rank(d, iid, n):
        return mac(keys[d], ("%s/%d" % (iid, n)).encode("utf-8"))

    heaps = {d: [] for d in keys}
    info = {}
    for insp in commitment["inspectors"]:
        if insp["department"] in heaps:
            info[insp["id"]] = insp
            heaps[insp["department"]].append(
                (0, rank(insp["department"], insp["id"], 0), insp["id"])
            )
    for heap in heaps.values():
        heapq.heapify(heap)
    conflicts = {(a, b) for a, b in commitment["conflicts"]}
    past = {}
    for e, a, b in commitment["history_pairs"]:
        past.setdefault(e, set()).add(tuple(sorted((a, b))))

    def eligible(iid, entity, district, team_ids):
        insp = info[iid]
        if insp["districts"] and district not in insp["districts"]:
            return False
        if district in insp["recused_districts"] or iid in team_ids:
            return False
        if (iid, entity) in conflicts:
            return False
        return not any(tuple(sorted((m, iid))) in past.get(entity, ()) for m in team_ids)

    out = []
    for entity, district in entities:
        team_ids = []
        unfilled = []
        for d in slots:
            heap = heaps[d]
            put_back = []
            chosen = None
            while heap:
                entry = heapq.heappop(heap)
                if eligible(entry[2], entity, district, team_ids):
                    chosen = entry
                    break
                put_back.append(entry)
            for entry in put_back:
                heapq.heappush(heap, entry)
            if chosen is None:
                unfilled.append(d)
                continue
            n, _rank, iid = chosen
            team_ids.append(iid)
            heapq.heappush(heap, (n + 1, rank(d, iid, n + 1), iid))
        out.append({"entity": entity, "inspectors": team_ids, "unfilled": unfilled})
    return out


def recompute(commitment, seed):
    if commitment["kind"] == "lottery":
        groups = []
        for g in commitment["groups"]:
            key = mac(seed, ("applicants/" + g["id"]).encode("utf-8"))
            order = order_by_ticket(key, [row[0] for row in g["applicants"]])
            groups.append({"id": g["id"], "order": [[i, t.hex()] for t, i in order]})
        return {"groups": groups}
    strata = []
    drawn = []
    for s in commitment["strata"]:
        if not s["seats"] and not s["standby"]:
            continue
        key = mac(seed, ("entities/" + s["id"]).encode("utf-8"))
        order = order_by_ticket(key, s["candidates"])
        chosen = order[: s["seats"]]
        reserve = order[s["seats"] : s["seats"] + s["standby"]]
        strata.append(
            {
                "id": s["id"],
                "selected": [[i, t.hex()] for t, i in chosen],
                "standby": [[i, t.hex()] for t, i in reserve],
            }
        )
        drawn.extend((t, i, s["district"]) for t, i in chosen)
    drawn.sort()
    assignments = assign(seed, [(i, d) for _t, i, d in drawn], commitment)
    return {"strata": strata, "assignments": assignments}


def first_difference(kept, again):
    for part in ("strata", "groups"):
        for a, b in zip(kept.get(part, []), again.get(part, [])):
            for field in ("selected", "standby", "order"):
                for pos, (x, y) in enumerate(zip(a.get(field, []), b.get(field, []))):
                    if x != y:
                        return "“%s”第 %d 位：记录为 %s，重算为 %s" % (b["id"], pos + 1, x[0], y[0])
            if a != b:
                return "“%s”的结果不同" % b["id"]
        if len(kept.get(part, [])) != len(again.get(part, [])):
            return "结果的分层或类别数目不同"
    for n, (a, b) in enumerate(zip(kept.get("assignments", []), again.get("assignments", []))):
        if a != b:
            return "第 %d 个检查对象 %s 的执法人员：记录为 %s，重算为 %s" % (
                n + 1,
                b["entity"],
                "、".join(a.get("inspectors", [])),
                "、".join(b["inspectors"]),
            )
    return "结果内容不同"


def verify(record, expected_commitment=None):
    """Return (ok, lines)."""
    lines = []
    if record.get("schema") != RECORD_SCHEMA:
        return False, ["不是抽取记录文件"]
    c = record["commitment"]
    if c.get("algorithm") != ALGORITHM or record.get("algorithm") != ALGORITHM:
        return False, ["算法版本不是 %s" % ALGORITHM]
    c_hash = sha256_hex(c)
    if c_hash != record["commitment_hash"]:
        return False, [
            "承诺内容的哈希为 %s，与记录中的承诺哈希不符（名单、规则或随机源说明被改动过）" % c_hash
        ]
    lines.append("承诺哈希      %s" % c_hash)
    if expected_commitment and expected_commitment.lower() != c_hash:
        return False, lines + ["承诺哈希与事先公布的 %s 不符" % expected_commitment]
    if c["kind"] == "lottery":
        for g in c["groups"]:
            ids = [row[0] for row in g["applicants"]]
            if g["size"] != len(ids) or any(a >= b for a, b in zip(ids, ids[1:])):
                return False, lines + ["类别“%s”的名单人数不符或未排序" % g["name"]]
    else:
        try:
            seats = expected_seats(c)
        except ValueError as exc:
            return False, lines + [str(exc)]
        for s in c["strata"]:
            ids = s["candidates"]
            if s["size"] != len(ids) or any(a >= b for a, b in zip(ids, ids[1:])):
                return False, lines + ["分层“%s”的名单人数不符或未排序" % s["id"]]
            if s["seats"] != seats[s["id"]]:
                return False, lines + [
                    "分层“%s”应抽 %d 户，承诺中为 %d 户" % (s["id"], seats[s["id"]], s["seats"])
                ]
            standby = min(
                s["size"] - s["seats"], math.ceil(s["seats"] * ratio(c["rules"]["standby_ratio"]))
            )
            if s["standby"] != standby:
                return False, lines + ["分层“%s”候补应为 %d 户" % (s["id"], standby)]
        lines.append("分配数        各分层应抽户数复算一致")
    specs = c["sources"]
    observed = record["observed"]
    if [o["name"] for o in observed] != [s["name"] for s in specs]:
        return False, lines + ["随机源的名称或顺序与承诺不符"]
    try:
        key = rfc3797_key([source_value_list(s, o["value"]) for s, o in zip(specs, observed)])
    except ValueError as exc:
        return False, lines + [str(exc)]
    if key != record["key_string"]:
        return False, lines + ["随机源规范串应为 %s，记录中为 %s" % (key, record["key_string"])]
    lines.append("随机源规范串  %s" % key)
    seed = mac(b"gongkai-draw-v1", c_hash.encode("ascii") + b"\n" + key.encode("ascii"))
    if seed.hex() != record["seed"]:
        return False, lines + ["种子应为 %s" % seed.hex()]
    again = recompute(c, seed)
    if again != record["result"]:
        return False, lines + [first_difference(record["result"], again)]
    if sha256_hex(again) != record["result_hash"]:
        return False, lines + ["结果哈希不符"]
    lines.append("抽取结果      复算一致")
    body = {k: v for k, v in record.items() if k not in ("commitment", "record_hash")}
    r_hash = sha256_hex(body)
    if r_hash != record.get("record_hash"):
        return False, lines + ["记录哈希应为 %s，记录中为 %s" % (r_hash, record.get("record_hash"))]
    lines.append("记录哈希      %s" % r_hash)
    return True, lines


SUBSTITUTIONS_SCHEMA = "gongkai.draw.substitutions/1"
FIELD_LABELS = {
    "substitute": "递补对象",
    "stratum": "分层",
    "rank": "层内排序",
    "team": "检查组",
    "unfilled": "未配足的部门",
}


def substitute_team(seed, commitment, entity, district, previous, loads, conflicts):
    """docs/adr/0065: members of the replaced team stay where eligible, other slots go to the
    department's eligible inspector with the smallest (load, rank, id)."""
    team = commitment["team"]
    departments = team["departments"]
    slots = [
        departments[j] if j < len(departments) else departments[0] for j in range(team["size"])
    ]
    info = {i["id"]: i for i in commitment["inspectors"]}
    pairs = {tuple(sorted((a, b))) for e, a, b in commitment["history_pairs"] if e == entity}
    chosen = []
    unfilled = []
    staying = [m for m in previous if m in info]

    def eligible(iid):
        insp = info[iid]
        if iid in chosen or district in insp["recused_districts"]:
            return False
        if insp["districts"] and district not in insp["districts"]:
            return False
        if (iid, entity) in conflicts:
            return False
        return not any(tuple(sorted((m, iid))) in pairs for m in chosen)

    load = dict(loads)
    for d in slots:
        kept = next((m for m in staying if info[m]["department"] == d and eligible(m)), None)
        if kept is not None:
            staying.remove(kept)
            chosen.append(kept)
            continue
        key = mac(seed, ("inspectors/" + d).encode("utf-8"))
        pool = [
            (load.get(i, 0), mac(key, ("%s/%d" % (i, load.get(i, 0))).encode("utf-8")), i)
            for i in sorted(info)
            if info[i]["department"] == d and eligible(i)
        ]
        if not pool:
            unfilled.append(d)
            continue
        best = min(pool)[2]
        chosen.append(best)
        load[best] = load.get(best, 0) + 1
    return chosen, unfilled


def verify_substitutions(record, document):
    """Return (ok, lines) for a substitutions file of a verified record."""
    if document.get("schema") != SUBSTITUTIONS_SCHEMA:
        return False, ["不是递补记录文件"]
    if document.get("record_hash") != record["record_hash"]:
        return False, ["递补记录所属的抽取记录哈希与本记录不符"]
    c = record["commitment"]
    seed = bytes.fromhex(record["seed"])
    district = {s["id"]: s["district"] for s in c["strata"]}
    stratum_of, standby, seats, used = {}, {}, {}, {}
    for s in record["result"]["strata"]:
        for entity, _t in s["selected"]:
            stratum_of[entity] = s["id"]
        standby[s["id"]] = [entity for entity, _t in s["standby"]]
        seats[s["id"]] = len(s["selected"])
        used[s["id"]] = 0
    teams = {a["entity"]: list(a["inspectors"]) for a in record["result"]["assignments"]}
    base_conflicts = {(a, b) for a, b in c["conflicts"]}
    lines = []
    for n, entry in enumerate(document["substitutions"], start=1):
        replaced = entry["replaced"]
        if replaced not in teams:
            return False, lines + ["第 %d 次递补：%s 不在当时的抽中名单中" % (n, replaced)]
        stratum = stratum_of[replaced]
        if used[stratum] >= len(standby[stratum]):
            return False, lines + ["第 %d 次递补：分层“%s”的候补名单已用完" % (n, stratum)]
        substitute = standby[stratum][used[stratum]]
        loads = {}
        for entity, members in teams.items():
            if entity != replaced:
                for m in members:
                    loads[m] = loads.get(m, 0) + 1
        conflicts = base_conflicts | {(a, b) for a, b in entry.get("conflicts", [])}
        chosen, unfilled = substitute_team(
            seed, c, substitute, district[stratum], teams[replaced], loads, conflicts
        )
        expected = {
            "substitute": substitute,
            "stratum": stratum,
            "rank": seats[stratum] + used[stratum] + 1,
            "team": chosen,
            "unfilled": unfilled,
        }
        for field, value in expected.items():
            if entry.get(field) != value:
                return False, lines + [
                    "第 %d 次递补的%s：公布为 %s，复算为 %s"
                    % (n, FIELD_LABELS[field], entry.get(field), value)
                ]
        used[stratum] += 1
        del teams[replaced]
        teams[substitute] = chosen
        stratum_of[substitute] = stratum
        lines.append("递补 %d        %s → %s，检查组复算一致" % (n, replaced, substitute))
    if not lines:
        lines.append("递补          无")
    return True, lines


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "rfc3797":
        p = argparse.ArgumentParser(prog="verify_draw.py rfc3797", description="RFC 3797 抽取")
        p.add_argument("--sources", nargs="+", required=True)
        p.add_argument("--pool", type=int, required=True)
        p.add_argument("--select", type=int, required=True)
        a = p.parse_args(argv[1:])
        try:
            key = rfc3797_key([numbers_of(s) for s in a.sources])
            picks = rfc3797_select(key, a.pool, a.select)
        except ValueError as exc:
            sys.stderr.write("错误：%s\n" % exc)
            return 2
        for pick in picks:
            print(pick)
        return 0
    p = argparse.ArgumentParser(prog="verify_draw.py", description="复算 gongkai 抽取记录")
    p.add_argument("record", help="抽取记录文件（.json 或 .json.gz）")
    p.add_argument("--commitment-hash", help="抽取前公布的承诺哈希")
    p.add_argument("--substitutions", help="递补记录文件（substitutions-taskN.json）")
    a = p.parse_args(argv)
    try:
        record = load(a.record)
        substitutions = load(a.substitutions) if a.substitutions else None
    except (OSError, ValueError) as exc:
        sys.stderr.write("错误：无法读取记录文件：%s\n" % exc)
        return 2
    try:
        ok, lines = verify(record, a.commitment_hash)
        if ok and substitutions is not None:
            ok, more = verify_substitutions(record, substitutions)
            lines += more
    except (KeyError, TypeError, AttributeError) as exc:
        ok, lines = False, ["记录文件缺少字段或格式不对：%s" % exc]
    for line in lines[:-1] if not ok else lines:
        print(line)
    print("OK" if ok else "不一致：" + lines[-1])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
