"""Demo data for 依申请公开 (steps 50–59).

Step 50 loads the whole of 2018 so that the seed report's figures come out of the records:
935 requests (当面 96, 传真 2, 网络 95, 信函 742), 924 answered on time and 11 within an
approved extension, the eight answer categories of the 2008 format, 66 行政复议 and 56 行政诉讼
with their results — received and closed within 2018, spread over the city's agencies.
Step 51 adds current-year cases in every state for the 市交通局 demo logins (jtj_zy officer,
jtj_sh reviewer, jtj_fz head) and the applicant zhangsan, driven through the real services,
and a closed current-year history across the other agencies for the supervisor's overview.
Step 52 loads 2019 to 2024 and step 53 loads 2025, so that every published annual report
(tables 三 and 四) and the history its charts compare come from records.

Names, ID numbers and phone numbers are generated (Faker zh_CN, GB 11643 check digits):
never real people.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from dataclasses import replace
from typing import Any

from gongkai import clock
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import (
    Appeal,
    Application,
    IdType,
    LetterKind,
)
from gongkai.apps.applications.services.common import today as service_today
from gongkai.apps.applications.services.past_cases import (
    REGULATION_2019,
    PastCase,
    register_past_cases,
)
from gongkai.apps.organizations.models import Agency
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import privacy_review_mask_all
from gongkai.apps.workcalendar.selectors import calendar_current, rulesets
from gongkai.demo.organizations import COUNTIES, COUNTY_DEPARTMENTS
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.codes import id_check_char, make_uscc
from gongkai.domain.deadlines import CaseEvent, EventKind, compute_deadline, ruleset_for
from gongkai.domain.decisions import LegacyCategory

# ── the seed's 2018 figures (示例市 = the seed city) ───────────────────────────────────────

SEED_2018_CHANNELS = {"in_person": 96, "fax": 2, "network": 95, "letter": 742}
SEED_2018_EXTENDED = 11
SEED_2018_TOTAL = 935
SEED_2018_OUTCOMES: dict[LegacyCategory, int] = {
    LegacyCategory.ALREADY_PUBLIC: 81,
    LegacyCategory.AGREED: 238,
    LegacyCategory.AGREED_PARTIAL: 80,
    LegacyCategory.REFUSED: 85,
    LegacyCategory.NOT_THIS_AGENCY: 121,
    LegacyCategory.NOT_EXIST: 243,
    LegacyCategory.ASKED_TO_AMEND: 45,
    LegacyCategory.OTHER_CHANNEL: 42,
}
SEED_2018_RECONSIDERATION = {"upheld": 49, "corrected": 9, "other": 8}
SEED_2018_LITIGATION = {"upheld": 42, "corrected": 2, "other": 12}

# how each 2008 category splits over today's decision codes (a realistic mix)
OUTCOME_CODES: dict[LegacyCategory, list[tuple[str, int]]] = {
    LegacyCategory.ALREADY_PUBLIC: [("already_public", 81)],
    LegacyCategory.AGREED: [("disclosed", 238)],
    LegacyCategory.AGREED_PARTIAL: [("partial", 80)],
    LegacyCategory.REFUSED: [
        ("withheld.state_secret", 4),
        ("withheld.law_forbids", 6),
        ("withheld.security", 5),
        ("withheld.third_party", 24),
        ("withheld.internal", 14),
        ("withheld.process", 22),
        ("withheld.enforcement_file", 10),
    ],
    LegacyCategory.NOT_THIS_AGENCY: [("not_this_agency", 121)],
    LegacyCategory.NOT_EXIST: [("not_exist", 226), ("needs_creation", 17)],
    LegacyCategory.ASKED_TO_AMEND: [("unclear", 27), ("other.no_correction", 18)],
    LegacyCategory.OTHER_CHANNEL: [
        ("ignored.petition", 17),
        ("ignored.repeat", 9),
        ("ignored.publication", 5),
        ("ignored.confirmation", 3),
        ("withheld.query", 8),
    ],
}

# where requests went in the seed-era city: land, demolition and housing dominate
AGENCY_WEIGHTS: dict[str, int] = {
    "gtj": 150,
    "zjj": 95,
    "sz": 60,
    "bgs": 45,
    "cgw": 48,
    "gaj": 40,
    "rsj": 38,
    "hbj": 34,
    "jtj": 30,
    "mzj": 22,
    "czj": 18,
    "fgw": 16,
    "jyj": 15,
    "wjw": 14,
    "gsj": 12,
    "nmj": 10,
    "swj": 9,
    "xzspj": 9,
    "sypj": 8,
    "ajj": 6,
    "gzw": 6,
    "wjj": 5,
    "sfj": 5,
    "tjj": 3,
    "lyj": 3,
    "zljdj": 3,
    "sjj": 2,
    "swuj": 2,
    "gxj": 2,
    "kjj": 2,
    "wgxj": 1,
    "rfb": 1,
    "mzzj": 1,
    "jrb": 1,
    "lyw": 1,
}
COUNTY_WEIGHT = 10  # each county/district government
COUNTY_DEPT_WEIGHT = {"zjj": 3, "mzj": 2, "czj": 1, "jyj": 1}

PLACES = [
    "东岗",
    "西里",
    "北庄",
    "南湖",
    "杜村",
    "柳林",
    "槐底",
    "桥东",
    "塔冢",
    "北二环",
    "南三条",
]
ROADS = ["中华大街", "建设大街", "裕华路", "和平路", "胜利大街", "友谊大街", "槐安路", "体育大街"]
TOPICS: dict[str, list[str]] = {
    "gtj": [
        "{place}村集体土地征收的征地批复文件及征地补偿安置方案",
        "{place}片区{year}年度建设用地批准书及“一书四方案”",
        "{place}村第{n}村民小组土地征收补偿款的发放明细",
        "位于{road}{n}号地块的国有建设用地使用权出让合同",
        "{place}村土地利用总体规划调整的批复文件",
    ],
    "zjj": [
        "{place}城中村改造项目的房屋征收决定及补偿方案",
        "{road}棚户区改造项目的立项批复和征收补偿资金到位情况",
        "{place}小区住宅项目的建设工程规划许可证及竣工验收备案表",
        "{year}年公共租赁住房分配的审核结果及排序名单",
        "{road}沿街建筑外立面整治工程的招标文件和中标结果",
    ],
    "cgw": [
        "对{road}{n}号违法建设作出的限期拆除决定书",
        "{place}垃圾转运站选址及环境影响评价文件",
        "{year}年{road}道路照明改造工程的预算和结算资料",
    ],
    "gaj": [
        "{place}派出所{year}年对本人报警的受案回执及处理结果",
        "{road}与{road2}交叉口交通信号灯设置的审批文件",
        "{year}年本市机动车限行措施的制定依据和听证材料",
    ],
    "rsj": [
        "本人{year}年工伤认定决定书及认定依据",
        "{year}年事业单位公开招聘的成绩及拟聘用人员名单",
        "{company}为职工缴纳社会保险的缴费基数核定材料",
    ],
    "hbj": [
        "{company}建设项目的环境影响评价报告书及批复",
        "{place}区域{year}年大气污染源排放监测数据",
        "对{company}作出的行政处罚决定书",
    ],
    "jtj": [
        "{road}道路改造工程的立项批复及投资概算",
        "{year}年本市公交线网优化方案及客流调查报告",
        "{company}出租汽车经营权有偿使用费的收取标准和依据",
        "{road}公交站点迁移的论证材料",
    ],
    "mzj": [
        "{place}社区{year}年城乡低保审批名单及发放标准",
        "{place}村村民委员会换届选举的备案材料",
        "{year}年养老机构运营补贴的发放情况",
    ],
    "czj": [
        "{year}年市级部门预算及“三公”经费预算安排",
        "{year}年政府性债务余额及使用情况",
        "{year}年农村综合改革专项资金的分配文件",
    ],
    "fgw": [
        "{road}综合体项目的核准批复文件",
        "{year}年全市重点项目建设计划",
        "{company}光伏发电项目备案文件",
    ],
    "sz": [
        "市政府关于{place}片区控制性详细规划调整的批复",
        "市政府{year}年第{n}次常务会议关于{road}拓宽工程的会议纪要",
        "{place}村土地征收的省政府批复文件",
    ],
    "county": [
        "{place}村土地征收补偿安置方案及补偿款发放明细",
        "{place}镇{year}年美丽乡村建设项目的资金使用情况",
        "{place}村拆迁安置房的分配方案和分配结果",
        "本县{year}年财政预算执行情况和决算报告",
    ],
}
GENERIC = [
    "{year}年部门预算、决算及“三公”经费使用情况",
    "{year}年度本单位政府信息公开工作年度报告所依据的统计数据",
    "关于{road}{n}号的相关审批文件",
    "{year}年本单位行政许可事项的办理结果",
]
RELEASED_NOTE = {
    "already_public": "该信息已在本机关门户网站“政府信息公开”栏目公开，可通过网站检索获取。",
    "disclosed": "现将所申请的政府信息提供给您，请查收。",
    "partial": "所申请信息中涉及第三方个人信息的部分不予公开，其余部分予以提供。",
}


def _fake(rng: random.Random):
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    return fake


def _id_number(rng: random.Random, year: int) -> str:
    region = f"1399{rng.randint(1, 24):02d}"
    birth = dt.date(rng.randint(1940, 2000), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    first17 = f"{region}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
    return first17 + id_check_char(first17)


def _description(rng: random.Random, agency_code: str, year: int, fake) -> str:
    key = "county" if "-" in agency_code or agency_code in _COUNTY_CODES else agency_code
    templates = TOPICS.get(key, GENERIC) + GENERIC[:1]
    text = rng.choice(templates).format(
        place=rng.choice(PLACES),
        road=rng.choice(ROADS),
        road2=rng.choice(ROADS),
        year=year - rng.randint(0, 2),
        n=rng.randint(1, 60),
        company=fake.company(),
    )
    return (
        f"请求公开{text}。"
        if not text.startswith(("本人", "对", "位于", "关于"))
        else f"申请获取{text}。"
    )


_COUNTY_CODES: set[str] = set()


def _applicant(rng: random.Random, fake, year: int) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.86:
        kind = "natural_person"
    elif roll < 0.93:
        kind = "commercial"
    elif roll < 0.97:
        kind = "legal_service"
    elif roll < 0.985:
        kind = "public_interest"
    elif roll < 0.99:
        kind = "research"
    else:
        kind = "other_org"
    if kind == "natural_person":
        id_type, id_number, name, contact = IdType.ID_CARD, _id_number(rng, year), fake.name(), ""
    else:
        body = f"{rng.randrange(10**8):08d}"
        id_type = IdType.USCC
        id_number = make_uscc("9" if kind == "commercial" else "5", "1", "139900", body)
        name = (
            fake.company()
            if kind == "commercial"
            else f"示例市{fake.last_name()}{'律师事务所' if kind == 'legal_service' else '研究会'}"
        )
        contact = fake.name()
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "applicant_id_type": id_type,
        "applicant_id_number": id_number,
        "applicant_contact_person": contact,
        "applicant_phone": fake.phone_number(),
        "applicant_email": "",
        "applicant_address": f"示例市{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        "applicant_postcode": "139900",
    }


def _weighted_agencies(world) -> list[tuple[Any, int]]:
    agencies = {a.code: a for a in Agency.objects.all()}
    _COUNTY_CODES.update(code for code, _ in COUNTIES)
    weighted = [(agencies[c], w) for c, w in AGENCY_WEIGHTS.items() if c in agencies]
    for code, _name in COUNTIES:
        if code in agencies:
            weighted.append((agencies[code], COUNTY_WEIGHT))
        for dcode, _dname in COUNTY_DEPARTMENTS:
            weight = COUNTY_DEPT_WEIGHT.get(dcode, 0)
            if weight and f"{code}-{dcode}" in agencies:
                weighted.append((agencies[f"{code}-{dcode}"], weight))
    return weighted


def _deal(rng: random.Random, counts: dict[str, int]) -> list[str]:
    items = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(items)
    return items


class _Calendar:
    """The working-day calendar and rule sets, loaded once for the whole step."""

    def __init__(self) -> None:
        self.calendar = calendar_current()
        self.rules = rulesets()

    def deadline(self, received: dt.date, events: list[CaseEvent]):
        return compute_deadline(
            received=received,
            events=events,
            calendar=self.calendar,
            rules=ruleset_for(received, self.rules),
        )

    def working_days_after(self, start: dt.date, n: int) -> dt.date:
        return self.calendar.add_working_days(start, n)

    def is_working(self, day: dt.date) -> bool:
        return self.calendar.is_working_day(day)


def _working_day(cal: _Calendar, rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    while True:
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        if cal.is_working(day):
            return day


def _reason_text(rng: random.Random, decision: str) -> str:
    reasons = {
        "withheld.third_party": "所申请信息涉及第三方的商业秘密，经书面征求意见，第三方不同意公开。",
        "withheld.internal": "所申请信息属于本机关内部人事管理信息。",
        "withheld.process": "所申请信息为会议讨论记录和内部请示，属于过程性信息。",
        "withheld.enforcement_file": "所申请信息属于行政执法案卷，可依照有关规定申请查阅。",
        "withheld.state_secret": "所申请信息已依法确定为国家秘密。",
        "withheld.law_forbids": "所申请信息属于法律、行政法规禁止公开的信息。",
        "withheld.security": "所申请信息公开后可能危及社会稳定。",
        "withheld.query": "请持本人身份证件到不动产登记中心查询。",
        "already_public": RELEASED_NOTE["already_public"],
        "partial": RELEASED_NOTE["partial"],
        "ignored.publication": "请到市图书馆或通过政府公报查阅。",
        "not_this_agency": "所申请信息不是本机关制作或者获取的，本机关未保存该信息。",
        "other.other": "已与申请人沟通。",
    }
    return reasons.get(decision, rng.choice(["", "经检索本机关档案和业务系统，未找到相关信息。"]))


# ── step 50: the year 2018 ────────────────────────────────────────────────────────────────


def load_2018(world) -> None:
    if Application.objects.filter(year=2018).exists():
        return
    rng = world.rng_for("依申请公开2018年度")
    fake = _fake(rng)
    cal = _Calendar()
    agencies = _weighted_agencies(world)
    pool = [a for a, w in agencies for _ in range(w)]
    network = ["online"] * 83 + ["email"] * 12
    channels = (
        _deal(
            rng,
            {
                "in_person": SEED_2018_CHANNELS["in_person"],
                "fax": 2,
                "letter": SEED_2018_CHANNELS["letter"],
            },
        )
        + network
    )
    rng.shuffle(channels)
    decisions = [
        code
        for category in SEED_2018_OUTCOMES
        for code, n in OUTCOME_CODES[category]
        for _ in range(n)
    ]
    rng.shuffle(decisions)
    assert len(channels) == len(decisions) == SEED_2018_TOTAL
    extended = set(rng.sample(range(SEED_2018_TOTAL), SEED_2018_EXTENDED))
    rows: list[dict[str, Any]] = []
    for index in range(SEED_2018_TOTAL):
        agency = rng.choice(pool)
        channel = channels[index]
        decision = decisions[index]
        # long cases (补正, extension) start early enough to close within 2018
        long_case = index in extended or decision in ("unclear", "other.no_correction")
        last = dt.date(2018, 10, 12) if long_case else dt.date(2018, 11, 23)
        received = _working_day(cal, rng, dt.date(2018, 1, 2), last)
        rows.append(
            {
                "agency": agency,
                "channel": channel,
                "decision": decision,
                "received": received,
                "extended": index in extended,
            }
        )
    rows.sort(key=lambda r: (r["received"], r["agency"].pk))
    cases, _dues = _past_cases(world, rows, rng, fake, cal, year=2018)
    apps = _register(world, cases, label="2018")
    _load_2018_appeals(rng, apps)


def _past_cases(
    world, rows, rng, fake, cal: _Calendar, *, year: int
) -> tuple[list[PastCase], list[dt.date]]:
    """The register rows of a closed year, and the time limit each was answered within."""
    cases: list[PastCase] = []
    dues: list[dt.date] = []
    for row in rows:
        agency, channel, decision, received = (
            row["agency"],
            row["channel"],
            row["decision"],
            row["received"],
        )
        letter_kind = ""
        submitted = received
        signed = confirmed = None
        if channel == "letter":
            letter_kind = LetterKind.REGISTERED if rng.random() < 0.8 else LetterKind.ORDINARY
            submitted = received - dt.timedelta(days=rng.randint(1, 4))
            if letter_kind == LetterKind.REGISTERED:
                signed = received
            else:
                confirmed = received
        elif channel in ("fax", "email", "online"):
            confirmed = received
        events: list[CaseEvent] = []
        correction_sent = correction_received = correction_until = None
        if decision in ("unclear", "other.no_correction"):
            correction_sent = cal.working_days_after(received, rng.randint(2, 5))
            correction_until = cal.working_days_after(correction_sent, 10)
            events.append(
                CaseEvent(EventKind.CORRECTION_NOTICE, correction_sent, until=correction_until)
            )
            if decision == "unclear":
                correction_received = cal.working_days_after(correction_sent, rng.randint(2, 8))
                events.append(CaseEvent(EventKind.CORRECTION_RECEIVED, correction_received))
        base = cal.deadline(received, events)
        extension_days = 0
        approve_on = None
        if row["extended"]:
            extension_days = rng.choice([5, 10, 15])
            approve_on = cal.working_days_after(received, rng.randint(8, 12))
            events.append(CaseEvent(EventKind.EXTENSION, approve_on, working_days=extension_days))
        deadline = cal.deadline(received, events)
        if decision == "other.no_correction":
            assert correction_until is not None
            closed = cal.working_days_after(correction_until, rng.randint(1, 3))
            deadline_due = max(deadline.due, closed)
        elif row["extended"]:
            closed = cal.working_days_after(base.due, rng.randint(1, extension_days))
            deadline_due = deadline.due
        else:
            start = correction_received or received
            span = max(1, (base.due - start).days)
            closed = start + dt.timedelta(days=rng.randint(1, span))
            while not cal.is_working(closed):
                closed += dt.timedelta(days=1)
            closed = min(closed, base.due)
            deadline_due = deadline.due
        referred_other = ""
        if decision == "not_this_agency":
            referred_other = rng.choice(
                [
                    "示例省自然资源厅，电话0311-0000001",
                    "示例市不动产登记中心，电话0399-8000999",
                    "所在区人民政府，电话0399-8000555",
                ]
            )
        cases.append(
            PastCase(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                agency=agency,
                received_on=received,
                channel=channel,
                decision=decision,
                closed_on=closed,
                description=_description(rng, agency.code, year, fake),
                applicant=_applicant(rng, fake, year),
                submitted_on=submitted,
                letter_kind=letter_kind,
                signed_for_on=signed,
                confirmed_on=confirmed,
                correction_sent_on=correction_sent,
                correction_until=correction_until,
                correction_received_on=correction_received,
                correction_items="请写明所需信息的名称、文号或者便于查询的其他特征性描述"
                if correction_sent
                else "",
                extension_approved_on=approve_on,
                extension_days=extension_days,
                extension_reason="所申请信息量大，需要调取档案逐件核对" if row["extended"] else "",
                referred_other=referred_other,
                reason_text=_reason_text(rng, decision),
                provide_form=rng.choice(["paper", "paper", "electronic", "inspect"]),
                delivery="post" if channel == "letter" else rng.choice(["post", "pickup", "email"]),
                delivery_method="post" if channel == "letter" else "pickup",
                archived_on=min(closed + dt.timedelta(days=30), dt.date(year, 12, 31)),
                extra={
                    "source_note": "2018年依申请公开登记簿导入（答复书纸质原件已归档）"
                    if received < REGULATION_2019
                    else ""
                },
            )
        )
        dues.append(deadline_due)
    return cases, dues


def _register(world, cases: list[PastCase], *, label: str) -> list[Application]:
    """The demo's earlier years come in the way an agency's earlier registers do."""
    return register_past_cases(
        cases,
        actor=world.actor,
        now=clock.now(),
        source=f"示例数据（{label}）：登记、答复、送达、归档",
    )


def _load_2018_appeals(rng: random.Random, apps: list[Application]) -> None:
    """66 行政复议 (49/9/8) and 56 行政诉讼 (42/2/12), all decided within 2018."""
    plan: list[tuple[str, str, int]] = [
        ("reconsideration", result, n) for result, n in SEED_2018_RECONSIDERATION.items()
    ]
    for index, (result, n) in enumerate(SEED_2018_LITIGATION.items()):
        after = [4, 0, 3][index]  # some suits follow a reconsideration
        plan += [("litigation_after", result, after), ("litigation_direct", result, n - after)]
    _load_appeals(rng, apps, year=2018, plan=plan, filed_by=dt.date(2018, 9, 28))


def _load_appeals(
    rng: random.Random,
    apps: list[Application],
    *,
    year: int,
    plan: list[tuple[str, str, int]],
    filed_by: dt.date,
) -> None:
    """Appeals against answers of ``apps`` (closed by ``filed_by``, not disclosed in full):
    ``plan`` lists (kind, result, number); pending ones are still undecided at the year end,
    the others are decided within ``year``."""
    contestable = [
        a
        for a in apps
        if a.closed_on is not None
        and a.closed_on <= filed_by
        and a.decision not in ("disclosed", "already_public")
    ]
    rng.shuffle(contestable)
    chosen = iter(contestable)
    appeals: list[Appeal] = []
    court = f"（{year}）示01行初"
    office = f"示政复〔{year}〕"
    for kind, result, number in plan:
        for _ in range(number):
            app = next(chosen)
            assert app.closed_on is not None
            filed = app.closed_on + dt.timedelta(days=rng.randint(10, 50))
            pending = result == "pending"
            decided = (
                None
                if pending
                else min(filed + dt.timedelta(days=rng.randint(30, 75)), dt.date(year, 12, 28))
            )
            litigation = kind != "reconsideration"
            body = (
                "示例市中级人民法院"
                if litigation and app.agency.level == "city"
                else "示例市某区人民法院"
                if litigation
                else (app.agency.parent.name if app.agency.parent is not None else "示例省人民政府")
            )
            appeals.append(
                Appeal(
                    application=app,
                    agency_id=app.agency_id,
                    kind=kind,
                    filed_on=filed,
                    body=body,
                    case_number=f"{court if litigation else office}{len(appeals) + 1}号",
                    result=result,
                    decided_on=decided,
                )
            )
    Appeal.objects.bulk_create(appeals)


# ── step 51: this year ─────────────────────────────────────────────────────────────────────


def load_current(world) -> None:
    if Application.objects.filter(source_note__startswith="示例数据（本年度）").exists():
        return
    jtj = Agency.objects.filter(code="jtj").first()
    if jtj is None:
        return
    rng = world.rng_for("依申请公开本年度")
    fake = _fake(rng)
    today = world.today
    _load_year_history(world, rng, fake, today)
    _load_jtj_cases(world, rng, fake, jtj, today)


def _load_year_history(world, rng, fake, today: dt.date) -> None:
    """Closed cases of the current year across the agencies (the supervisor's overview)."""
    _load_closed_year(
        world,
        rng,
        fake,
        year=today.year,
        last_received=today - dt.timedelta(days=45),
        count=180,
        label="本年度",
        today=today,
    )


def _load_closed_year(
    world,
    rng,
    fake,
    *,
    year: int,
    last_received: dt.date,
    count: int,
    label: str,
    today: dt.date,
    carried: int = 0,
) -> list[Application]:
    """``count`` cases received in ``year`` up to ``last_received``, spread over the agencies
    (the 市交通局 excepted: its cases are driven through the services), a few answered late;
    ``carried`` more received in the last working days of the year and closed in the next."""
    try:
        cal = _Calendar()
        cal.is_working(today)
        cal.is_working(dt.date(year, 1, 2))
    except Exception:  # the calendar does not reach the year: no history to build
        return []
    agencies = [a for a, w in _weighted_agencies(world) for _ in range(w) if a.code != "jtj"]
    start = dt.date(year, 1, 2)
    if last_received <= start:
        return []
    decisions = [
        code for cat in OUTCOME_CODES.values() for code, n in cat for _ in range(max(1, n // 6))
    ]
    rows = []
    for index in range(count + carried):
        late_in_year = index >= count
        rows.append(
            {
                "carried": late_in_year,
                "agency": rng.choice(agencies),
                "channel": rng.choice(
                    ["online"] * 5 + ["letter"] * 4 + ["in_person"] * 2 + ["email"]
                ),
                "decision": rng.choice(decisions),
                "received": _working_day(
                    cal,
                    rng,
                    dt.date(year, 12, 15) if late_in_year else start,
                    dt.date(year, 12, 30) if late_in_year else last_received,
                ),
                "extended": not late_in_year and rng.random() < 0.03,
            }
        )
    rows.sort(key=lambda r: (r["received"], r["agency"].pk))
    cases, dues = _past_cases(world, rows, rng, fake, cal, year=year)
    for index, row in enumerate(rows):
        if row["carried"]:
            # answered in the first weeks of the next year: carried over in the annual report
            closed = max(
                cal.working_days_after(dt.date(year + 1, 1, 4), rng.randint(0, 5)),
                cases[index].closed_on,
            )
            cases[index] = replace(cases[index], closed_on=min(closed, dues[index]))
    late = rng.sample(range(len(cases)), min(4, len(cases)))
    for index in late:  # a few answered late: the on-time rate is not a constant 100 %
        closed = cal.working_days_after(dues[index], rng.randint(1, 5))
        cases[index] = replace(cases[index], closed_on=closed)
    cases = [
        replace(
            case,
            archived_on=min(case.closed_on + dt.timedelta(days=30), today),
            extra={"source_note": f"示例数据（{label}）"},
        )
        for case in cases
    ]
    return _register(world, cases, label=label)


def _load_jtj_cases(world, rng, fake, jtj, today: dt.date) -> None:
    """市交通局: cases in every state, through the services, for the demo logins."""
    officer, reviewer, head = world.user("jtj_zy"), world.user("jtj_sh"), world.user("jtj_fz")
    zhangsan = world.user("zhangsan")
    cal_ok = True
    try:
        cal = _Calendar()
        cal.is_working(today)
    except Exception:
        cal_ok = False

    def back(n: int) -> dt.date:
        """n working days before today (calendar days when the calendar ends)."""
        if not cal_ok:
            return today - dt.timedelta(days=n + n // 5 * 2)
        day = today
        while n > 0:
            day -= dt.timedelta(days=1)
            if cal.is_working(day):
                n -= 1
        return day

    def person(user=None) -> dict[str, Any]:
        if user is not None:
            return {
                "type": "natural_person",
                "name": user.display_name,
                "id_number": "13990119900101001" + id_check_char("13990119900101001"),
                "phone": user.phone or "13800138000",
                "email": user.email,
                "address": "示例市和平路18号",
            }
        return {
            "type": "natural_person",
            "name": fake.name(),
            "id_number": _id_number(rng, today.year),
            "phone": fake.phone_number(),
            "address": f"示例市{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        }

    descriptions = iter(
        [
            "请求公开{road}道路改造工程的立项批复、投资概算及施工单位中标通知书",
            "请求公开本市{year}年公交线网优化方案及客流调查报告",
            "请求公开{road}公交站点迁移的论证材料及听证会记录",
            "请求公开{year}年城市道路养护资金的使用情况及明细",
            "请求公开出租汽车经营权有偿使用费的收取标准、依据及{year}年收支情况",
            "请求公开{road}至{place}公路拓宽工程的环境影响评价文件",
            "请求公开本市网约车经营许可的审批条件和{year}年许可名单",
            "请求公开{place}客运站搬迁的决策文件",
            "请求公开{year}年交通运输行政处罚案件的处罚决定书目录",
            "请求公开{road}过街天桥建设项目的设计方案和预算",
            "请求公开{year}年农村公路建设计划及资金安排",
            "请求公开{place}停车场收费标准的核定文件",
            "请求公开{road}交通拥堵治理方案",
            "请求公开{year}年驾驶员培训机构的考核结果",
            "请求公开{place}物流园区道路建设的土地使用审批文件",
            "请求公开{year}年城市公交补贴的发放标准和发放明细",
            "请求公开{road}桥梁检测报告",
            "请求公开{year}年交通运输局部门决算",
        ]
    )

    def desc() -> str:
        return next(descriptions).format(
            road=rng.choice(ROADS), place=rng.choice(PLACES), year=today.year - 1
        )

    released = (
        "2025年度城市道路养护资金使用情况\n全年支出合计3,250万元，其中日常养护1,800万元，"
        "大中修工程1,150万元，应急抢险300万元。\n资料来源：示例市交通运输局财务科。\n"
    ).encode()

    def new(days_ago: int, *, channel: str = "online", user=None, description: str | None = None):
        received = back(days_ago)
        kwargs: dict[str, Any] = {}
        if channel == "letter":
            kwargs = {
                "letter_kind": "registered",
                "submitted_on": received - dt.timedelta(days=2),
                "signed_for_on": received,
            }
        elif channel == "in_person":
            kwargs = {"submitted_on": received}
        else:
            kwargs = {"received_on": received, "submitted_on": received}
        app = svc.application_register(
            actor=officer if channel != "online" else (user or None),
            agency=jtj,
            channel=channel,
            applicant=person(user),
            description=description or desc(),
            applicant_user=user,
            delivery="online" if channel == "online" else "post",
            source_note="示例数据（本年度）",
            # the demo applicant takes notices by text and mail too (the demo's backends
            # write them to var/sms and var/mail)
            notify_by=["sms", "email"] if user is not None else [],
            **kwargs,
        )
        return app

    def accept(app, days_ago):
        return svc.application_accept(actor=officer, application=app, on=back(days_ago))

    if service_today() != today:  # the services count from the real today
        return
    # 已登记: one online from zhangsan, one letter
    new(0, user=zhangsan, description="请求公开本市2025年公交线网优化方案及客流调查报告")
    new(1, channel="letter")
    # 办理中: due soon, due today, overdue
    accept(new(17), 16)
    accept(new(20, channel="in_person"), 19)
    overdue = accept(new(24, channel="letter"), 23)
    # 待补正: one running (zhangsan can supply material), one lapsed
    corr = accept(new(4, user=zhangsan, description="请求公开道路改造工程的有关文件"), 3)
    svc.application_correction_request(
        actor=officer,
        application=corr,
        items="请写明所需文件的名称或文号\n请写明道路改造工程所在的路段",
        on=back(2),
    )
    lapsed = accept(new(30), 29)
    svc.application_correction_request(
        actor=officer,
        application=lapsed,
        items="请写明所需信息的时间范围",
        until=back(8),
        on=back(27),
    )
    # 征求意见中
    consult = accept(new(9), 8)
    svc.application_consult_start(
        actor=officer,
        application=consult,
        kind="third_party",
        party="示例市公交集团有限公司",
        matters="该公司报送的年度运营成本测算资料",
        on=back(5),
    )
    # 待缴费
    fee = accept(new(6, channel="letter"), 5)
    svc.application_fee_notice(
        actor=officer, application=fee, method="per_page", units=160, on=back(3)
    )
    # 待审核: a disclosure with the released file, awaiting jtj_sh
    review = accept(
        new(12, user=zhangsan, description="请求公开2025年城市道路养护资金的使用情况及明细"), 11
    )
    svc.application_document_add(
        actor=officer,
        application=review,
        kind="released",
        files=[("2025年道路养护资金明细.txt", released)],
    )
    svc.application_reply_draft(
        actor=officer, application=review, decision="disclosed", text="所申请的政府信息见附件。"
    )
    # 延期待审批 (jtj_fz)
    ext = accept(new(15, channel="letter"), 14)
    svc.application_extension_request(
        actor=officer,
        application=ext,
        days=15,
        reason="所申请信息涉及多年档案，需逐卷调取核对",
        on=back(1),
    )
    # 已答复 (awaiting delivery), 已送达, 已归档 with an appeal
    replied = accept(new(14), 13)
    svc.application_reply_draft(
        actor=officer,
        application=replied,
        decision="not_exist",
        text="经检索本机关档案和业务系统，未找到相关信息。",
    )
    svc.application_reply_approve(actor=reviewer, application=replied, on=back(2))
    delivered = accept(
        new(22, user=zhangsan, description="请求公开本市出租汽车经营权有偿使用费的收取标准和依据"),
        21,
    )
    svc.application_reply_draft(
        actor=officer,
        application=delivered,
        decision="already_public",
        text="该信息已在本机关门户网站“政府信息公开—法规文件”栏目公开，可检索获取。",
    )
    svc.application_reply_approve(actor=reviewer, application=delivered, on=back(12))
    svc.application_deliver(actor=officer, application=delivered, method="online", on=back(12))
    _released_after_masking(world, svc, accept, new, back, zhangsan, today)
    for days, decision, text in [
        (60, "withheld.process", "所申请信息为局长办公会讨论记录，属于过程性信息。"),
        (55, "not_this_agency", "所申请信息由公安机关制作并保存，本机关未制作或者获取该信息。"),
        (48, "partial", "所申请信息中涉及驾驶员个人信息的部分不予公开。"),
    ]:
        app = accept(new(days, channel=rng.choice(["online", "letter"])), days - 1)
        kwargs: dict[str, Any] = {}
        if decision == "partial":
            svc.application_document_add(
                actor=officer,
                application=app,
                kind="released",
                files=[("处罚决定书目录.txt", PENALTY_LIST.encode())],
            )
        if decision == "not_this_agency":
            kwargs = {
                "referred_agency": Agency.objects.filter(code="gaj").first(),
                "forward": False,
            }
        svc.application_reply_draft(
            actor=officer, application=app, decision=decision, text=text, **kwargs
        )
        if decision == "partial":  # the drivers' ID and phone numbers are masked
            _mask_release(reviewer, app)
        app = svc.application_reply_approve(actor=reviewer, application=app, on=back(days - 12))
        svc.application_deliver(
            actor=officer,
            application=app,
            method="post",
            ref=f"EA{rng.randrange(10**9):09d}CN",
            on=back(days - 13),
        )
        svc.application_archive(actor=officer, application=app, on=back(days - 15))
        if decision == "withheld.process":
            appeal = svc.appeal_record(
                actor=officer,
                application=app,
                kind="reconsideration",
                filed_on=back(days - 25),
                body="示例市人民政府",
                case_number=f"示政复〔{today.year}〕31号",
            )
            svc.appeal_decide(actor=head, appeal=appeal, result="upheld", decided_on=back(5))
    # 已撤回
    withdrawn = accept(new(10), 9)
    svc.application_withdraw(
        actor=officer, application=withdrawn, reason="申请人来电表示已通过其他途径获得", on=back(7)
    )
    # a repeat of an answered request by the same person (flagged for the handler)
    new(3, user=zhangsan, description="请求公开本市出租汽车经营权有偿使用费的收取标准和依据。")
    del overdue


# a released file with personal data planted in it: the review masks it, the applicant
# receives the masked copy (``gongkai privacy sweep --applicant zhangsan`` finds nothing)
PENALTY_LIST = (
    "交通运输行政处罚决定书目录\n"
    "示交罚〔2025〕41号 当事人：周某，身份证号码：410105198703152117，联系电话：13512340987，"
    "未取得道路运输经营许可擅自从事道路旅客运输经营，罚款20000元。\n"
    "示交罚〔2025〕57号 示例市顺达物流有限公司，超限运输，罚款3000元。\n"
)


def _hearing_roster() -> bytes:
    from docx import Document as Docx

    roster = Docx()
    roster.add_paragraph("公交票价调整听证会参加人名单")
    roster.add_paragraph("听证代表：吴九（身份证号370102198204051231，电话13698765432）")
    grid = roster.add_table(rows=2, cols=3)
    for cell, text in zip(grid.rows[0].cells, ("姓名", "身份证号", "联系电话"), strict=True):
        cell.text = text
    for cell, text in zip(
        grid.rows[1].cells, ("郑十", "320106197911230318", "18655550123"), strict=True
    ):
        cell.text = text
    buffer = io.BytesIO()
    roster.save(buffer)
    return buffer.getvalue()


def _mask_release(reviewer, app: Application) -> None:
    """The reviewer masks every finding of the released files' privacy review."""
    review = privacy_review_latest(app)
    if review is not None:
        privacy_review_mask_all(actor=reviewer, review=review)


def _released_after_masking(world, svc, accept, new, back, zhangsan, today: dt.date) -> None:
    """zhangsan asked for the hearing's roster: the DOCX released to him carries names, ID
    and phone numbers; the review masks them, the reply is approved and delivered online."""
    officer, reviewer = world.user("jtj_zy"), world.user("jtj_sh")
    app = accept(
        new(
            26,
            user=zhangsan,
            description=f"请求公开{today.year - 1}年公交票价调整听证会的参加人名单",
        ),
        25,
    )
    svc.application_document_add(
        actor=officer,
        application=app,
        kind="released",
        files=[("听证会参加人名单.docx", _hearing_roster())],
    )
    svc.application_reply_draft(
        actor=officer, application=app, decision="disclosed", text="所申请的政府信息见附件。"
    )
    _mask_release(reviewer, app)
    svc.application_reply_approve(actor=reviewer, application=app, on=back(10))
    svc.application_deliver(actor=officer, application=app, method="online", on=back(10))


# ── step 53: 2025 ─────────────────────────────────────────────────────────────────────────

REPORTED_YEAR = 2025  # the year of the published annual reports the demo loads (step 82)


def load_reported_year(world) -> None:
    """The whole of 2025, which the demo's published annual reports cover (表三 and 表四):
    requests across the agencies, a few received in the last fortnight and answered in
    January (结转下年度), and appeals, some still undecided at the year end."""
    year = REPORTED_YEAR
    if year >= world.today.year or Application.objects.filter(year=year).exists():
        return
    rng = world.rng_for(f"依申请公开{year}年度")
    apps = _load_closed_year(
        world,
        rng,
        _fake(rng),
        year=year,
        last_received=dt.date(year, 11, 20),
        count=640,
        carried=6,
        label=f"{year}年度",
        today=world.today,
    )
    if apps:
        plan = [
            ("reconsideration", "upheld", 9),
            ("reconsideration", "corrected", 2),
            ("reconsideration", "other", 1),
            ("reconsideration", "pending", 2),
            ("litigation_direct", "upheld", 4),
            ("litigation_direct", "other", 1),
            ("litigation_direct", "pending", 2),
            ("litigation_after", "upheld", 1),
        ]
        _load_appeals(rng, apps, year=year, plan=plan, filed_by=dt.date(year, 9, 30))


# ── step 52: the years between, so every annual report and its history has records ─────

BETWEEN_YEARS = range(2019, REPORTED_YEAR)


def load_between_years(world) -> None:
    """2019 to 2024: requests across the agencies each year (fewer than 2018's, as the city's
    proactive disclosure grew), a few carried into January, and appeals."""
    if Application.objects.filter(year__in=BETWEEN_YEARS).exists():
        return
    for year in BETWEEN_YEARS:
        rng = world.rng_for(f"依申请公开{year}年度")
        apps = _load_closed_year(
            world,
            rng,
            _fake(rng),
            year=year,
            last_received=dt.date(year, 11, 20),
            count=rng.randint(280, 460),
            carried=rng.randint(2, 7),
            label=f"{year}年度",
            today=world.today,
        )
        if apps:
            plan = [
                ("reconsideration", "upheld", rng.randint(4, 12)),
                ("reconsideration", "corrected", rng.randint(0, 3)),
                ("reconsideration", "other", rng.randint(0, 2)),
                ("litigation_direct", "upheld", rng.randint(2, 6)),
                ("litigation_direct", "other", rng.randint(0, 2)),
                ("litigation_after", "upheld", rng.randint(0, 2)),
            ]
            _load_appeals(rng, apps, year=year, plan=plan, filed_by=dt.date(year, 9, 30))


def register() -> None:
    register_demo_step(DemoStep(50, "依申请公开2018年度", load_2018))
    register_demo_step(DemoStep(51, "依申请公开本年度", load_current))
    register_demo_step(DemoStep(52, "依申请公开2019至2024年度", load_between_years))
    register_demo_step(DemoStep(53, f"依申请公开{REPORTED_YEAR}年度", load_reported_year))


__all__ = ["SEED_2018_OUTCOMES", "load_2018", "load_current", "register"]
