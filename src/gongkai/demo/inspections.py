"""Demo data for 双随机一公开 and 保障房摇号 (steps 70–73).

Modelled on the seed city's 2018 report: 597 inspection items in the 随机抽查事项清单, an entity
directory (a sample of 20,000 market entities — the seed city had about 860,000; the import
benchmark covers a million), inspectors, the rules, a set of 2018 draws with published records
and results, current-year tasks in every state for the 工商局 and 质监局 demo staff, and a
housing lottery for the 住建局.

The random sources of demo draws are fictional (示例市福利彩票, a lottery of the fictional demo
city): a real lottery's name with invented numbers would mislead anyone who checks.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from typing import Any

from django.utils import timezone

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.inspections import services
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    EntityStatus,
    EntityType,
    InspectionItem,
    InspectionRuleSet,
    Inspector,
    InspectorConflict,
    ItemLevel,
    MarketEntity,
    ResultCategory,
)
from gongkai.apps.inspections.services import ruleset_create, task_cancel
from gongkai.apps.organizations.models import Agency
from gongkai.apps.workcalendar.selectors import add_working_days
from gongkai.demo.organizations import COUNTIES
from gongkai.demo.steps import DemoStep, register_demo_login, register_demo_step
from gongkai.domain.codes import id_check_char, make_uscc
from gongkai.domain.draws.sources import SourceKind, SourceSpec
from gongkai.domain.inspections import InspectionAction

DISTRICTS = [name for _code, name in COUNTIES]
ENTITY_SAMPLE = 20_000

# (agency code, number of items, subjects, aspects, legal basis, share of 重点 items)
ITEM_PLAN: list[tuple[str, int, list[str], list[str], str, float]] = [
    (
        "gsj",
        150,
        [
            "企业",
            "个体工商户",
            "农民专业合作社",
            "外商投资企业",
            "广告经营者",
            "网络交易经营者",
            "直销企业",
            "拍卖企业",
            "商标代理机构",
            "合同格式条款使用者",
        ],
        [
            "年度报告公示情况",
            "即时公示信息情况",
            "登记事项",
            "经营范围",
            "住所（经营场所）",
            "注册资本实缴情况",
            "广告发布行为",
            "商标使用行为",
            "合同行为",
            "不正当竞争行为",
            "消费者权益保护",
            "营业执照使用",
            "股权出质登记",
            "动产抵押登记",
            "清算备案",
        ],
        "《企业信息公示暂行条例》《中华人民共和国公司登记管理条例》及相关法律法规",
        0.1,
    ),
    (
        "zljdj",
        70,
        [
            "特种设备使用单位",
            "锅炉使用单位",
            "压力容器使用单位",
            "电梯使用单位",
            "起重机械使用单位",
            "工业产品生产许可证获证企业",
            "计量器具使用单位",
            "加油站",
            "强制性认证产品生产企业",
            "检验检测机构",
        ],
        [
            "安全管理情况",
            "许可条件保持情况",
            "计量器具强制检定情况",
            "产品质量",
            "标准执行情况",
            "标志标识",
            "作业人员持证情况",
        ],
        "《中华人民共和国特种设备安全法》《中华人民共和国产品质量法》《中华人民共和国计量法》",
        0.4,
    ),
    (
        "sypj",
        90,
        [
            "食品生产企业",
            "食品销售者",
            "餐饮服务提供者",
            "保健食品生产企业",
            "药品零售企业",
            "药品批发企业",
            "医疗器械经营企业",
            "化妆品经营者",
            "学校食堂",
            "集中用餐配送单位",
        ],
        [
            "许可条件保持情况",
            "进货查验记录",
            "生产过程控制",
            "标签标识",
            "从业人员健康管理",
            "贮存条件",
            "追溯体系",
            "不合格产品处置",
            "广告宣传",
        ],
        "《中华人民共和国食品安全法》《中华人民共和国药品管理法》《医疗器械监督管理条例》",
        0.5,
    ),
    (
        "hbj",
        50,
        ["排污单位", "重点排污单位", "建设项目", "危险废物经营单位", "机动车排放检验机构"],
        [
            "污染物排放情况",
            "环境影响评价制度执行",
            "自动监控设施运行",
            "危险废物管理",
            "环境信息公开",
            "排污许可执行",
            "突发环境事件应急预案",
            "固体废物管理",
            "噪声污染防治",
            "在线监测数据",
        ],
        "《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》",
        0.3,
    ),
    (
        "ajj",
        45,
        ["危险化学品经营单位", "非煤矿山企业", "烟花爆竹经营单位", "工贸企业", "安全评价机构"],
        [
            "安全生产责任制落实",
            "隐患排查治理",
            "安全培训",
            "应急预案管理",
            "许可条件保持情况",
            "特种作业人员持证",
            "重大危险源管理",
            "职业病危害防治",
            "安全投入",
        ],
        "《中华人民共和国安全生产法》《危险化学品安全管理条例》",
        0.6,
    ),
    (
        "jtj",
        40,
        [
            "道路旅客运输企业",
            "道路货物运输企业",
            "机动车维修企业",
            "机动车驾驶员培训机构",
            "客运站",
            "货运站",
            "出租汽车企业",
            "公交企业",
        ],
        ["经营资质", "车辆技术管理", "安全生产管理", "从业人员资格", "服务质量"],
        "《中华人民共和国道路运输条例》",
        0.2,
    ),
    (
        "wjw",
        45,
        [
            "公共场所经营者",
            "生活饮用水供水单位",
            "医疗机构",
            "学校",
            "消毒产品生产企业",
            "放射诊疗机构",
            "职业健康检查机构",
            "母婴保健技术服务机构",
            "采供血机构",
        ],
        ["卫生许可", "从业人员健康证明", "传染病防治", "执业资格", "卫生管理制度"],
        "《公共场所卫生管理条例》《中华人民共和国传染病防治法》《医疗机构管理条例》",
        0.3,
    ),
    (
        "wgxj",
        30,
        [
            "互联网上网服务营业场所",
            "娱乐场所",
            "出版物发行单位",
            "印刷企业",
            "营业性演出场所",
            "广播电视设施",
        ],
        ["经营许可", "未成年人保护", "内容管理", "安全管理", "登记备案"],
        "《互联网上网服务营业场所管理条例》《娱乐场所管理条例》《印刷业管理条例》",
        0.1,
    ),
    (
        "nmj",
        30,
        ["农药经营者", "兽药经营企业", "种子经营者", "饲料生产企业", "肥料经营者", "畜禽养殖场"],
        ["经营许可", "产品质量", "购销台账", "标签标识", "禁限用产品管理"],
        "《农药管理条例》《兽药管理条例》《中华人民共和国种子法》",
        0.3,
    ),
    (
        "zjj",
        25,
        ["建筑施工企业", "房地产开发企业", "物业服务企业", "工程监理企业", "房地产经纪机构"],
        ["资质条件", "安全生产", "合同备案", "质量管理", "信息公示"],
        "《建设工程质量管理条例》《建设工程安全生产管理条例》《物业管理条例》",
        0.2,
    ),
    (
        "swj",
        12,
        ["取水单位", "河道采砂单位", "水利工程建设单位", "供水企业"],
        ["取水许可", "计量设施", "安全管理"],
        "《中华人民共和国水法》《取水许可和水资源费征收管理条例》",
        0.2,
    ),
    (
        "lyj",
        10,
        ["木材经营加工单位", "林木种苗生产经营者"],
        ["经营许可", "台账管理", "检疫情况", "来源合法性", "质量管理"],
        "《中华人民共和国森林法》《植物检疫条例》",
        0.1,
    ),
]

INDUSTRY_WEIGHTS = {
    "F": 34,
    "H": 14,
    "O": 10,
    "C": 9,
    "L": 7,
    "E": 5,
    "G": 5,
    "I": 4,
    "M": 3,
    "A": 3,
    "K": 2,
    "R": 2,
    "Q": 1,
    "N": 1,
}
SHOP_WORDS = {
    "F": ("商贸", "商行", "超市", "便利店"),
    "H": ("餐饮", "饭店", "小吃店", "酒店"),
    "O": ("家政服务", "美容美发", "汽车修理", "洗衣店"),
    "C": ("食品", "机械制造", "服装", "建材"),
    "L": ("商务咨询", "广告", "租赁", "企业管理"),
    "E": ("建筑工程", "装饰工程", "安装工程", "市政工程"),
    "G": ("物流", "运输", "仓储", "快递"),
    "I": ("网络科技", "软件", "信息技术", "数据服务"),
    "M": ("检测技术", "工程设计", "科技研发", "技术服务"),
    "A": ("农业", "养殖", "种植", "林业"),
    "K": ("房地产开发", "物业管理", "房产经纪", "置业"),
    "R": ("文化传媒", "健身", "娱乐", "体育"),
    "Q": ("诊所", "药房", "康复", "养老服务"),
    "N": ("环保科技", "园林绿化", "水利工程", "环境工程"),
}
BRAND = "鑫源华泰金诚宏达恒通瑞丰永安嘉和盛世天成福运新兴正大东升长城顺发祥和宇航博雅锦程联创汇丰德信荣昌远航"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏飞建华建国志强海燕春梅小红晓东文博子涵梓轩浩然欣怡雨涵思远佳琪俊杰"

RESULT_WEIGHTS = [
    (ResultCategory.NO_PROBLEM, 74),
    (ResultCategory.QUALIFIED, 6),
    (ResultCategory.RECTIFIED, 8),
    (ResultCategory.NOT_DISCLOSED, 4),
    (ResultCategory.NOT_FOUND, 4),
    (ResultCategory.NO_ACTIVITY, 2),
    (ResultCategory.FOLLOW_UP, 1),
    (ResultCategory.CLOSED, 1),
]
RESULT_NOTES = {
    ResultCategory.RECTIFIED: "已下达责令改正通知书，限期整改",
    ResultCategory.NOT_DISCLOSED: "未按规定报送公示年度报告，已列入经营异常名录",
    ResultCategory.NOT_FOUND: "通过登记的住所无法联系，已列入经营异常名录",
    ResultCategory.FOLLOW_UP: "涉嫌违法，已移交立案处理",
}


def _given(rng) -> str:
    text = GIVEN
    start = rng.randrange(len(text) - 1)
    return text[start : start + rng.choice((1, 2))]


def _weighted(rng, table: dict[str, int] | list[tuple[Any, int]]):
    pairs = list(table.items()) if isinstance(table, dict) else table
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def load_registers(world) -> None:
    """一单两库一细则: items, entity sample, inspectors, conflicts, rules."""
    rng = world.rng_for("inspections-registers")
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[p[0] for p in ITEM_PLAN])}
    items = []
    for code, count, subjects, aspects, basis, key_share in ITEM_PLAN:
        agency = agencies[code]
        names = [f"{s}{a}检查" for a in aspects for s in subjects][:count]
        assert len(names) == count, code
        for n, name in enumerate(names, start=1):
            items.append(
                InspectionItem(
                    agency=agency,
                    code=f"{code.upper()}-{n:03d}",
                    name=name,
                    legal_basis=basis,
                    object_type=_subject_of(name, subjects),
                    ratio_text="按细则分类比例" if n % 5 else "不低于5%",
                    frequency="每年1次" if n % 3 else "每年2次",
                    level=ItemLevel.KEY if rng.random() < key_share else ItemLevel.GENERAL,
                )
            )
    InspectionItem.objects.bulk_create(items)
    audit_record(
        actor=world.actor,
        action=InspectionAction.ITEM_DEMO_LOAD,
        object_type="inspections.inspectionitem",
        object_id="",
        object_label="随机抽查事项清单",
        after={"items": len(items)},
    )

    ruleset_create(
        actor=world.actor,
        agency=None,
        name="示例市随机抽查工作细则（2017年）",
        ratio_a="0.03",
        ratio_b="0.05",
        ratio_c="0.1",
        ratio_d="0.2",
        standby_ratio="0.1",
        valid_from=dt.date(2017, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        notes="依据国办发〔2015〕58号。抽查比例原则上不低于5%，对列入经营异常名录、投诉举报多的市场主体提高抽查比例。",
    )
    ruleset_create(
        actor=world.actor,
        agency=None,
        name="示例市部门联合“双随机、一公开”监管工作细则（2021年修订）",
        ratio_a="0.03",
        ratio_b="0.05",
        ratio_c="0.1",
        ratio_d="0.3",
        standby_ratio="0.1",
        by_industry=False,
        valid_from=dt.date(2021, 1, 1),
        notes="依据国发〔2019〕5号，按企业信用风险分类（A/B/C/D）实施差异化抽查；检查结果自检查结束之日起20个工作日内公示。",
    )

    _load_entities(world, rng)
    _load_inspectors(world, rng, agencies)


def _subject_of(name: str, subjects: list[str]) -> str:
    for subject in subjects:
        if name.startswith(subject):
            return subject
    return subjects[0]


def _load_entities(world, rng) -> None:
    district_weights = [(d, 14 if i < 5 else 4) for i, d in enumerate(DISTRICTS)]
    rows = []
    for i in range(ENTITY_SAMPLE):
        district = _weighted(rng, district_weights)
        region = f"1399{DISTRICTS.index(district) + 2:02d}"
        industry = _weighted(rng, INDUSTRY_WEIGHTS)
        kind = _weighted(
            rng,
            {
                EntityType.INDIVIDUAL: 58,
                EntityType.ENTERPRISE: 37,
                EntityType.COOPERATIVE: 3,
                EntityType.OTHER: 2,
            },
        )
        category = {"enterprise": "1", "individual": "2", "cooperative": "3", "other": "9"}[kind]
        word = rng.choice(SHOP_WORDS[industry])
        if kind == EntityType.INDIVIDUAL:
            name = f"{district}{rng.choice(SURNAMES)}记{word}"
        elif kind == EntityType.COOPERATIVE:
            name = f"示例市{district}{rng.choice(BRAND)}{rng.choice(BRAND)}{word}专业合作社"
        else:
            name = f"示例市{rng.choice(BRAND)}{rng.choice(BRAND)}{word}有限公司"
        rows.append(
            MarketEntity(
                uscc=make_uscc("9", category, region, f"{30000000 + i * 37:08d}"),
                name=name,
                entity_type=kind,
                district=district,
                industry=industry,
                risk_class=_weighted(rng, {"A": 30, "B": 55, "C": 12, "D": 3}),
                status=_weighted(
                    rng,
                    {
                        EntityStatus.ACTIVE: 94,
                        EntityStatus.CANCELLED: 3,
                        EntityStatus.REVOKED: 2,
                        EntityStatus.MOVED: 1,
                    },
                ),
            )
        )
    MarketEntity.objects.bulk_create(rows, batch_size=2000)
    audit_record(
        actor=world.actor,
        action=InspectionAction.ENTITY_IMPORT_DEMO_LOAD,
        object_type="inspections.marketentity",
        object_id="",
        object_label="检查对象名录库（示例样本）",
        after={"entities": len(rows)},
    )


INSPECTOR_COUNTS = {
    "gsj": 80,
    "zljdj": 40,
    "sypj": 50,
    "hbj": 25,
    "ajj": 25,
    "jtj": 20,
    "wjw": 25,
    "wgxj": 15,
    "nmj": 15,
    "zjj": 15,
    "swj": 8,
    "lyj": 8,
}


def _load_inspectors(world, rng, agencies) -> None:
    rows = []
    for index, (code, count) in enumerate(INSPECTOR_COUNTS.items(), start=1):
        for n in range(1, count + 1):
            districts = [] if n % 2 else sorted(rng.sample(DISTRICTS, rng.choice((2, 3, 4))))
            rows.append(
                Inspector(
                    agency=agencies[code],
                    name=f"{rng.choice(SURNAMES)}{_given(rng)}",
                    certificate_no=f"139{index:02d}{n:05d}",  # ten digits: not a mobile number
                    districts=districts,
                    residence_district=rng.choice(DISTRICTS),
                )
            )
    Inspector.objects.bulk_create(rows)
    entities = list(MarketEntity.objects.order_by("id").values_list("id", flat=True)[:2000])
    inspectors = list(Inspector.objects.values_list("id", flat=True))
    conflicts = {(rng.choice(inspectors), rng.choice(entities)) for _ in range(40)}
    InspectorConflict.objects.bulk_create(
        [
            InspectorConflict(
                inspector_id=i,
                entity_id=e,
                reason=rng.choice(("近亲属在该单位任职", "曾在该单位工作", "与负责人存在利害关系")),
            )
            for i, e in conflicts
        ]
    )
    audit_record(
        actor=world.actor,
        action=InspectionAction.INSPECTOR_DEMO_LOAD,
        object_type="inspections.inspector",
        object_id="",
        object_label="执法检查人员名录库",
        after={"inspectors": len(rows), "conflicts": len(conflicts)},
    )


def _sources(prefix: str, issue: str, on: dt.date) -> list[SourceSpec]:
    return [
        SourceSpec(
            f"{prefix}第{issue}期开奖号码（红球）",
            "示例市福利彩票中心开奖公告（演示数据）",
            on.isoformat(),
            kind=SourceKind.NUMBERS,
            count=6,
            minimum=1,
            maximum=33,
        ),
        SourceSpec(
            f"{prefix}第{issue}期开奖号码（蓝球）",
            "示例市福利彩票中心开奖公告（演示数据）",
            on.isoformat(),
            kind=SourceKind.NUMBERS,
            count=1,
            minimum=1,
            maximum=16,
        ),
    ]


def _observed(rng) -> list[str]:
    return [
        " ".join(f"{n:02d}" for n in sorted(rng.sample(range(1, 34), 6))),
        str(rng.randint(1, 16)),
    ]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _run_task(
    world,
    rng,
    *,
    agency,
    items,
    ruleset,
    title,
    year,
    check_start,
    check_end,
    freeze_on,
    draw_on,
    issue,
    stop_at: str,
    joint=(),
    results_share: float = 1.0,
    publish_on: dt.date | None = None,
    **filters,
):
    """Create a task and take it through the real services up to ``stop_at``."""
    actor = world.actor
    task = services.task_create(
        actor=actor,
        agency=agency,
        title=title,
        year=year,
        items=items,
        ruleset=ruleset,
        check_start=check_start,
        check_end=check_end,
        joint_agencies=list(joint),
        **filters,
    )
    if stop_at == "draft":
        return task
    task = services.task_freeze(
        actor=actor,
        task=task,
        sources=_sources("示例市福利彩票", issue, draw_on),
        today=freeze_on,
        now=_at(freeze_on, 9),
    )
    if stop_at == "frozen":
        return task
    task = services.draw_execute(
        actor=actor, task=task, observed=_observed(rng), today=draw_on, now=_at(draw_on, 21)
    )
    if stop_at == "cancelled":
        return task
    if stop_at == "drawn":
        _substitute_one(actor, task, at=_at(draw_on + dt.timedelta(days=1), 10))
    selections = list(
        task.selections.filter(is_standby=False).select_related("entity").order_by("draw_order")
    )
    done = selections[: int(len(selections) * results_share)]
    if done:
        span = max((check_end - check_start).days, 0)
        rows = []
        for s in done:
            result = _weighted(rng, RESULT_WEIGHTS)
            rows.append(
                (
                    s.entity.uscc,
                    result,
                    RESULT_NOTES.get(result, ""),
                    check_start + dt.timedelta(days=rng.randint(0, span)),
                )
            )
        last = publish_on or check_end
        services.task_results_record_many(
            actor=actor,
            task=task,
            rows=rows,
            today=max(last, check_end),
            now=_at(max(last, check_end), 17),
        )
    if stop_at == "published" and publish_on:
        task = services.task_results_publish(actor=actor, task=task, now=_at(publish_on, 16))
    return task


def _substitute_one(actor: Actor, task, *, at) -> None:
    """In a task under way, the last drawn entity turned out to be deregistered: the next
    standby of its stratum takes its place (递补), as the public page then shows."""
    last = task.selections.filter(is_standby=False).order_by("-draw_order").first()
    if last is None:
        return
    # when its stratum has no standby the service refuses, and the task shows no substitution
    with contextlib.suppress(InspectionError):
        services.task_substitute(
            actor=actor,
            selection=last,
            reason="已注销（检查前核查发现该主体已办理注销登记）",
            now=at,
        )


def load_2018(world) -> None:
    """A set of 2018 draws across the supervising departments, every result published."""
    rng = world.rng_for("inspections-2018")
    ruleset = InspectionRuleSet.objects.get(name="示例市随机抽查工作细则（2017年）")
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[p[0] for p in ITEM_PLAN])}
    plan = [
        ("gsj", 16),
        ("zljdj", 8),
        ("sypj", 10),
        ("hbj", 5),
        ("ajj", 5),
        ("jtj", 4),
        ("wjw", 4),
        ("wgxj", 2),
        ("nmj", 2),
        ("zjj", 2),
    ]
    issue = 10
    for code, count in plan:
        agency = agencies[code]
        items = list(InspectionItem.objects.filter(agency=agency).order_by("code"))
        for n in range(count):
            month = 3 + (n * 9) // max(count, 1)
            check_start = dt.date(2018, month, 5)
            check_end = check_start + dt.timedelta(days=24)
            freeze_on = check_start - dt.timedelta(days=6)
            draw_on = check_start - dt.timedelta(days=3)
            due = add_working_days(check_end, ruleset.results_days)
            publish_on = (
                due - dt.timedelta(days=rng.randint(0, 10)) if n % 7 else due + dt.timedelta(days=2)
            )
            districts = rng.sample(DISTRICTS[:5], 1) if n % 2 else rng.sample(DISTRICTS[5:], 3)
            issue += 3
            _run_task(
                world,
                rng,
                agency=agency,
                items=rng.sample(items, min(len(items), rng.choice((1, 2, 3)))),
                ruleset=ruleset,
                title=f"2018年{agency.display_short}第{n + 1}批随机抽查",
                year=2018,
                check_start=check_start,
                check_end=check_end,
                freeze_on=freeze_on,
                draw_on=draw_on,
                issue=f"2018{issue:03d}",
                stop_at="published",
                publish_on=publish_on,
                filter_districts=districts,
            )


def load_current(world) -> None:
    """Current-year tasks of the 工商局 and 质监局 in every state."""
    rng = world.rng_for("inspections-current")
    today = world.today
    year = today.year
    ruleset = InspectionRuleSet.objects.get(name__startswith="示例市部门联合")
    gsj = Agency.objects.get(code="gsj")
    zljdj = Agency.objects.get(code="zljdj")
    gsj_items = list(InspectionItem.objects.filter(agency=gsj).order_by("code")[:6])
    zl_items = list(InspectionItem.objects.filter(agency=zljdj).order_by("code")[:4])
    d = lambda days: today + dt.timedelta(days=days)  # noqa: E731 - dates relative to the demo day
    common = {"ruleset": ruleset, "year": year}
    issue = 100
    specs: list[tuple[Any, ...]] = [
        # (agency, items, title, check_start, check_end, freeze, draw, stop, results share, publish, filters, joint)
        (
            gsj,
            gsj_items[:2],
            "企业年度报告公示信息随机抽查",
            d(-80),
            d(-50),
            d(-90),
            d(-86),
            "published",
            1.0,
            d(-25),
            {"filter_districts": DISTRICTS[:3]},
            (),
        ),
        (
            gsj,
            gsj_items[2:3],
            "个体工商户登记事项随机抽查",
            d(-75),
            d(-62),
            d(-85),
            d(-82),
            "drawn",
            0.7,
            None,
            {"filter_districts": DISTRICTS[3:5], "filter_types": [EntityType.INDIVIDUAL]},
            (),
        ),
        (
            gsj,
            gsj_items[3:4],
            "广告发布行为随机抽查",
            d(-45),
            d(-30),
            d(-52),
            d(-49),
            "drawn",
            0.4,
            None,
            {"filter_districts": DISTRICTS[:2], "filter_industries": ["L", "I"]},
            (),
        ),
        (
            gsj,
            gsj_items[:1],
            "市场监管部门联合随机抽查（工商、质监）",
            d(-35),
            d(-12),
            d(-42),
            d(-39),
            "drawn",
            0.2,
            None,
            {"filter_districts": DISTRICTS[1:2], "filter_industries": ["C"]},
            (zljdj,),
        ),
        (
            gsj,
            gsj_items[4:5],
            "合同行为随机抽查",
            d(-3),
            d(25),
            d(-1),
            d(2),
            "frozen",
            0,
            None,
            {"filter_districts": DISTRICTS[2:3]},
            (),
        ),
        (
            gsj,
            gsj_items[5:6],
            "年末消费者权益保护随机抽查",
            d(10),
            d(30),
            None,
            None,
            "draft",
            0,
            None,
            {"filter_districts": DISTRICTS[:1]},
            (),
        ),
        (
            gsj,
            gsj_items[1:2],
            "住所（经营场所）核查随机抽查",
            d(5),
            d(20),
            d(-2),
            d(3),
            "cancel",
            0,
            None,
            {"filter_districts": DISTRICTS[4:5]},
            (),
        ),
        (
            zljdj,
            zl_items[:2],
            "特种设备使用单位安全管理随机抽查",
            d(-70),
            d(-40),
            d(-80),
            d(-77),
            "published",
            1.0,
            d(-20),
            {"filter_industries": ["C", "H"], "filter_districts": DISTRICTS[:2]},
            (),
        ),
        (
            zljdj,
            zl_items[2:3],
            "电梯使用单位随机抽查",
            d(-40),
            d(-15),
            d(-48),
            d(-45),
            "drawn",
            0.5,
            None,
            {"filter_industries": ["K", "H"], "filter_districts": DISTRICTS[:3]},
            (),
        ),
        (
            zljdj,
            zl_items[3:4],
            "计量器具强制检定情况随机抽查",
            d(1),
            d(25),
            d(-1),
            d(1),
            "frozen",
            0,
            None,
            {"filter_industries": ["F"], "filter_districts": DISTRICTS[5:8]},
            (),
        ),
    ]
    for (
        agency,
        items,
        title,
        start,
        end,
        freeze,
        draw,
        stop,
        share,
        publish,
        filters,
        joint,
    ) in specs:
        issue += 2
        stop_at = "frozen" if stop == "cancel" else stop
        task = _run_task(
            world,
            rng,
            agency=agency,
            items=items,
            title=f"{year}年{title}",
            check_start=start,
            check_end=end,
            freeze_on=freeze or today,
            draw_on=draw or today,
            issue=f"{year}{issue:03d}",
            stop_at=stop_at,
            results_share=share,
            publish_on=publish,
            joint=joint,
            **common,
            **filters,
        )
        if stop == "cancel":
            task_cancel(actor=world.actor, task=task, reason="抽查事项调整，本批次并入下一批次")


def load_lotteries(world) -> None:
    """住建局: one drawn 公租房 lottery and one waiting for its source."""
    rng = world.rng_for("inspections-lottery")
    zjj = Agency.objects.get(code="zjj")
    today = world.today
    year = today.year
    groups = [
        ("1", "优先保障家庭", 12),
        ("2", "城镇中等偏下收入住房困难家庭", 30),
        ("3", "新就业无房职工", 20),
    ]
    sizes = [36, 140, 110]

    def applicants_csv(prefix: str, seed: int) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["申请编号", "姓名", "身份证号码", "家庭人口", "类别"])
        n = 0
        for (code, _name, _units), size in zip(groups, sizes, strict=True):
            for _ in range(size):
                n += 1
                birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 40))
                body = f"139901{birth:%Y%m%d}{(seed * 1000 + n) % 1000:03d}"
                writer.writerow(
                    [
                        f"{prefix}-{n:04d}",
                        f"{rng.choice(SURNAMES)}{_given(rng)}",
                        body + id_check_char(body),
                        rng.randint(1, 5),
                        code,
                    ]
                )
        return out.getvalue().encode("utf-8")

    drawn = services.lottery_create(
        actor=world.actor,
        agency=zjj,
        title=f"{year}年示例市公共租赁住房第一批配租摇号",
        project="示例市幸福家园公共租赁住房小区（62套）",
        year=year,
        groups=groups,
        notice="按优先保障家庭、城镇中等偏下收入住房困难家庭、新就业无房职工的顺序分类摇号，顺序号在各类别之间连续编排；各类别排在房源套数以内的家庭入围，其余家庭按顺序号轮候。",
    )
    services.lottery_applicants_import(
        actor=world.actor,
        lottery=drawn,
        content=applicants_csv(f"GZF{year}A", 1),
        file_name="申请人名单.csv",
    )
    draw_day = today - dt.timedelta(days=20)
    services.lottery_freeze(
        actor=world.actor,
        lottery=drawn,
        sources=_sources("示例市福利彩票", f"{year}090", draw_day),
        today=draw_day - dt.timedelta(days=4),
        now=_at(draw_day - dt.timedelta(days=4)),
    )
    services.lottery_draw(
        actor=world.actor,
        lottery=drawn,
        observed=_observed(rng),
        today=draw_day,
        now=_at(draw_day, 21),
    )

    waiting = services.lottery_create(
        actor=world.actor,
        agency=zjj,
        title=f"{year}年示例市公共租赁住房第二批配租摇号",
        project="示例市安居苑公共租赁住房小区（40套）",
        year=year,
        groups=groups,
    )
    services.lottery_applicants_import(
        actor=world.actor,
        lottery=waiting,
        content=applicants_csv(f"GZF{year}B", 2),
        file_name="申请人名单.csv",
    )
    services.lottery_freeze(
        actor=world.actor,
        lottery=waiting,
        sources=_sources("示例市福利彩票", f"{year}140", today + dt.timedelta(days=3)),
        today=today,
        now=_at(today, 9),
    )


def register() -> None:
    register_demo_login(70, "市工商局 公开专员（双随机）", "gsj_zy")
    register_demo_login(71, "市质监局 公开专员（双随机）", "zljdj_zy")
    register_demo_login(72, "市住建局 公开专员（保障房摇号）", "zjj_zy")
    register_demo_step(DemoStep(70, "双随机一公开：一单两库一细则", load_registers))
    register_demo_step(DemoStep(71, "双随机一公开：2018年抽查与结果", load_2018))
    register_demo_step(DemoStep(72, "双随机一公开：本年度抽查任务", load_current))
    register_demo_step(DemoStep(73, "保障房摇号", load_lotteries))
