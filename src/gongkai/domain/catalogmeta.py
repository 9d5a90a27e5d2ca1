"""The national metadata vocabularies of the 政府信息公开目录 (cn-rules §9).

These are the defaults every installation starts with; the catalogue stores them as rows an
administrator may rename, extend or hide (per-site overrides), so nothing here is consulted at
run time except to seed and to map legacy values on import.
"""

from __future__ import annotations

from dataclasses import dataclass

# 主题分类: the 中国政府网 政策文件库 tree, 22 top-level topics (cn-rules §9.3)
TOPIC_TREE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "国务院组织机构",
        (
            "国务院",
            "国务院办公厅",
            "国务院组成部门",
            "国务院直属特设机构",
            "国务院直属机构",
            "国务院办事机构",
            "国务院直属事业单位",
            "国务院部委管理的国家局",
            "国务院议事协调机构",
            "其他",
        ),
    ),
    (
        "综合政务",
        (
            "政务公开",
            "政务督查",
            "应急管理",
            "电子政务",
            "文秘工作",
            "保密工作",
            "信访",
            "参事、文史",
            "其他",
        ),
    ),
    (
        "国民经济管理、国有资产监管",
        ("宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"),
    ),
    (
        "财政、金融、审计",
        (
            "财政",
            "税务",
            "银行",
            "货币（含外汇）",
            "证券",
            "保险",
            "社会信用体系建设",
            "审计",
            "其他",
        ),
    ),
    ("国土资源、能源", ("土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他")),
    ("农业、林业、水利", ("农业、畜牧业、渔业", "林业", "水利", "其他")),
    (
        "工业、交通",
        (
            "机械制造与重工业",
            "轻工纺织",
            "化工",
            "国防工业",
            "航天、航空",
            "信息产业（含电信）",
            "公路",
            "水运",
            "铁路",
            "民航",
            "邮政",
            "其他",
        ),
    ),
    (
        "商贸、海关、旅游",
        ("对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"),
    ),
    (
        "市场监管、安全生产监管",
        ("工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"),
    ),
    (
        "城乡建设、环境保护",
        (
            "城市规划",
            "城乡建设（含住房）",
            "环境监测、保护与治理",
            "节能与资源综合利用",
            "气象、水文、测绘、地震",
            "其他",
        ),
    ),
    ("科技、教育", ("科技", "教育", "知识产权", "其他")),
    ("文化、广电、新闻出版", ("文化", "文物", "新闻出版", "广播、电影、电视", "其他")),
    ("卫生、体育", ("卫生", "医药管理", "体育", "其他")),
    ("人口与计划生育、妇女儿童工作", ("人口与计划生育", "妇女儿童", "其他")),
    (
        "劳动、人事、监察",
        ("劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"),
    ),
    ("公安、安全、司法", ("公安", "国家安全", "司法", "其他")),
    (
        "民政、扶贫、救灾",
        ("减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"),
    ),
    ("民族、宗教", ("民族事务", "宗教事务")),
    ("对外事务", ("外交、外事", "国际条约、国际组织", "其他")),
    ("港澳台侨工作", ("港澳工作", "对台工作", "侨务工作")),
    ("国防", ("国防建设", "国防动员")),
    ("其他", ()),
)

TOPIC_SEPARATOR = "\\"  # stored and exchanged as "一级\二级", e.g. 综合政务\政务公开


def topic_paths() -> list[str]:
    """Every topic as its path: top-level names and "一级\\二级" names, in tree order."""
    out: list[str] = []
    for top, children in TOPIC_TREE:
        out.append(top)
        out.extend(f"{top}{TOPIC_SEPARATOR}{child}" for child in children)
    return out


# 体裁分类: the 15 公文种类 of 《党政机关公文处理工作条例》 Art. 8, then common site extensions
OFFICIAL_GENRES: tuple[str, ...] = (
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
)
EXTRA_GENRES: tuple[str, ...] = ("规划", "计划", "方案", "统计数据", "解读", "公示", "其他")

# legacy and colloquial names → the current genre (2000 rules had 会议纪要, 指示, 布告 …)
GENRE_ALIASES: dict[str, str] = {
    "会议纪要": "纪要",
    "命令": "命令（令）",
    "令": "命令（令）",
    "布告": "通告",
    "指示": "通知",
    "政策解读": "解读",
    "工作方案": "方案",
    "实施方案": "方案",
}


def genre_canonical(name: str) -> str:
    value = name.strip().replace("(", "（").replace(")", "）")
    return GENRE_ALIASES.get(value, value)


class ColumnKind:
    """What a column holds; decides its page layout and what the annual report counts."""

    GENERAL = "general"
    GUIDE = "guide"
    SYSTEM = "system"
    STATUTORY = "statutory"
    KEY_AREA = "key_area"
    GAZETTE = "gazette"
    INTERPRETATION = "interpretation"
    PRESS = "press"
    PROPOSALS = "proposals"
    ANNUAL_REPORT = "annual_report"


@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    name: str
    kind: str
    parent: str | None = None
    on_home: bool = False  # shown as a key column on the portal home page
    description: str = ""


# 条例（2019）第二十条: what every agency must disclose proactively, item by item
ARTICLE_20_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("fgwj", "（一）", "行政法规、规章和规范性文件"),
    ("jgzn", "（二）", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    ("ghjh", "（三）", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    ("tjxx", "（四）", "国民经济和社会发展统计信息"),
    ("xzxk", "（五）", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    (
        "xzcf",
        "（六）",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    ("yjs", "（七）", "财政预算、决算信息"),
    ("sfxm", "（八）", "行政事业性收费项目及其依据、标准"),
    ("zfcg", "（九）", "政府集中采购项目的目录、标准及实施情况"),
    ("zdxm", "（十）", "重大建设项目的批准和实施情况"),
    ("msbz", "（十一）", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    ("yjgl", "（十二）", "突发公共事件的应急预案、预警信息及应对情况"),
    ("jdjc", "（十三）", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    ("gwyzk", "（十四）", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    ("qtxx", "（十五）", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
)

# the seed city's 重点领域 columns (its 2018 report, sections 二 and 三)
KEY_AREAS: tuple[tuple[str, str], ...] = (
    ("czyjs", "财政预决算"),
    ("zdxx", "征地信息"),
    ("hjbh", "环境保护"),
    ("jy", "教育"),
    ("spyp", "食品药品"),
    ("ws", "卫生健康"),
    ("ggzy", "公共资源交易"),
    ("shjz", "社会救助"),
    ("bzxzf", "保障性住房"),
    ("gzgq", "国资国企"),
    ("aqsc", "安全生产"),
    ("cpzl", "产品质量"),
    ("jjzb", "经济指标"),
    ("nync", "农业农村"),
)


def default_columns() -> list[ColumnSpec]:
    """The column tree every site starts with (administrators may change it)."""
    k = ColumnKind
    cols = [
        ColumnSpec(
            "guide", "政府信息公开指南", k.GUIDE, description="公开的范围、方式、程序和受理机构"
        ),
        ColumnSpec("system", "政府信息公开制度", k.SYSTEM, description="政府信息公开的规章制度"),
        ColumnSpec(
            "statutory",
            "法定主动公开内容",
            k.STATUTORY,
            on_home=True,
            description="《中华人民共和国政府信息公开条例》第二十条规定应当主动公开的政府信息",
        ),
    ]
    cols += [
        ColumnSpec(f"statutory-{slug}", f"{no}{title}", k.STATUTORY, parent="statutory")
        for slug, no, title in ARTICLE_20_ITEMS
    ]
    cols.append(
        ColumnSpec(
            "key-areas",
            "重点领域信息公开",
            k.KEY_AREA,
            on_home=True,
            description="重点领域信息公开",
        )
    )
    cols += [
        ColumnSpec(f"key-{slug}", name, k.KEY_AREA, parent="key-areas") for slug, name in KEY_AREAS
    ]
    cols += [
        ColumnSpec(
            "gazette", "政府公报", k.GAZETTE, on_home=True, description="按期刊登的政府公报"
        ),
        ColumnSpec(
            "interpretation",
            "政策解读",
            k.INTERPRETATION,
            on_home=True,
            description="文字、图解、音视频解读",
        ),
        ColumnSpec("press", "新闻发布会", k.PRESS, description="新闻发布会实录和发布材料"),
        ColumnSpec(
            "proposals",
            "建议提案办理结果",
            k.PROPOSALS,
            description="人大代表建议和政协委员提案办理复文",
        ),
        ColumnSpec(
            "annual-reports",
            "政府信息公开年报",
            k.ANNUAL_REPORT,
            on_home=True,
            description="各机关政府信息公开工作年度报告",
        ),
    ]
    return cols


# columns whose content another column holds: 条例第二十条（七）财政预算、决算信息 is the key area
# 财政预决算, filed there once; the statutory column counts and shows that column
SAME_CONTENT: dict[str, str] = {"statutory-yjs": "key-czyjs"}


# the forms a 政策解读 takes
INTERPRETATION_FORMS: tuple[tuple[str, str], ...] = (
    ("text", "文字解读"),
    ("graphic", "图解"),
    ("audio", "音频解读"),
    ("video", "视频解读"),
)
