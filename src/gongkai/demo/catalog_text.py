"""Realistic government prose for the demo catalogue: titles, bodies and numbers by template.

Everything is generated from a seeded RNG (and Faker zh_CN for company and project names), so
every machine gets the same catalogue; no real person appears anywhere.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

CITY = "示例市"
CN_NUM = "〇一二三四五六七八九十"
SECTION_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八"]

# 发文机关代字 of the demo city's agencies (organizations/demo.py codes)
AGENCY_CODES = {
    "sz": "示政",
    "bgs": "示政办",
    "fgw": "示发改",
    "jyj": "示教",
    "kjj": "示科",
    "gxj": "示工信",
    "gaj": "示公",
    "mzj": "示民",
    "sfj": "示司",
    "czj": "示财",
    "rsj": "示人社",
    "gtj": "示国土资",
    "hbj": "示环",
    "zjj": "示建",
    "cgw": "示城管",
    "jtj": "示交",
    "swj": "示水",
    "nmj": "示农牧",
    "swuj": "示商",
    "wgxj": "示文广新",
    "wjw": "示卫计",
    "sjj": "示审",
    "gzw": "示国资",
    "gsj": "示工商",
    "zljdj": "示质监",
    "sypj": "示食药监",
    "ajj": "示安监",
    "tjj": "示统",
    "xzspj": "示审批",
    "jrb": "示金融",
    "lyj": "示林",
    "lyw": "示旅发",
    "mzzj": "示民宗",
    "rfb": "示人防",
    "wjj": "示价",
}

# agency code → (topic path, key-area column slug or "", subject phrases)
AGENCY_SUBJECTS: dict[str, tuple[str, str, list[str]]] = {
    "sz": (
        "综合政务\\政务督查",
        "",
        ["全域旅游发展", "大气污染防治", "优化营商环境", "城市精细化管理", "乡村振兴", "民生实事"],
    ),
    "bgs": (
        "综合政务\\政务公开",
        "",
        [
            "政务公开",
            "政务服务“一网通办”",
            "政府网站集约化",
            "重大建设项目信息公开",
            "公共资源配置信息公开",
            "社会公益事业信息公开",
        ],
    ),
    "fgw": (
        "国民经济管理、国有资产监管\\宏观经济",
        "",
        ["重点项目建设", "“4+4”现代产业", "社会信用体系建设", "价格监测", "节能降耗"],
    ),
    "jyj": (
        "科技、教育\\教育",
        "key-jy",
        [
            "义务教育招生入学",
            "学前教育发展",
            "中小学校舍安全",
            "职业教育产教融合",
            "教师队伍建设",
            "校外培训机构治理",
        ],
    ),
    "kjj": ("科技、教育\\科技", "", ["高新技术企业培育", "科技成果转化", "科技创新平台建设"]),
    "gxj": ("工业、交通\\信息产业（含电信）", "", ["工业转型升级", "中小企业发展", "5G网络建设"]),
    "gaj": ("公安、安全、司法\\公安", "", ["道路交通安全", "户籍管理服务", "电信网络诈骗防范"]),
    "mzj": (
        "民政、扶贫、救灾\\社会福利",
        "key-shjz",
        ["城乡低保", "特困人员救助供养", "临时救助", "养老服务体系建设", "节地生态安葬"],
    ),
    "sfj": ("公安、安全、司法\\司法", "", ["法律援助", "人民调解", "行政执法公示"]),
    "czj": (
        "财政、金融、审计\\财政",
        "key-czyjs",
        ["预算绩效管理", "政府采购", "财政资金直达", "“三公”经费管理"],
    ),
    "rsj": (
        "劳动、人事、监察\\劳动就业",
        "",
        ["稳就业", "职业技能提升", "社会保险扩面", "根治欠薪"],
    ),
    "gtj": (
        "国土资源、能源\\土地",
        "key-zdxx",
        ["土地征收", "耕地保护", "不动产登记", "国土空间规划"],
    ),
    "hbj": (
        "城乡建设、环境保护\\环境监测、保护与治理",
        "key-hjbh",
        ["重污染天气应对", "水污染防治", "土壤污染防治", "排污许可", "环境空气质量"],
    ),
    "zjj": (
        "城乡建设、环境保护\\城乡建设（含住房）",
        "key-bzxzf",
        ["保障性住房", "老旧小区改造", "建筑施工扬尘治理", "物业管理"],
    ),
    "cgw": (
        "城乡建设、环境保护\\城市规划",
        "",
        ["道路扬尘治理", "渣土运输管理", "生活垃圾分类", "市容环境整治"],
    ),
    "jtj": (
        "工业、交通\\公路",
        "",
        ["城市公共交通", "农村公路建设", "道路运输安全", "出租汽车管理", "公路养护"],
    ),
    "swj": ("农业、林业、水利\\水利", "", ["河长制", "水土保持", "城市供水安全", "防汛抗旱"]),
    "nmj": (
        "农业、林业、水利\\农业、畜牧业、渔业",
        "key-nync",
        ["农产品价格监测", "病死畜禽无害化处理", "高标准农田建设", "农产品质量安全"],
    ),
    "swuj": (
        "商贸、海关、旅游\\国内贸易（含供销）",
        "",
        ["消费促进", "外贸稳增长", "电子商务进农村"],
    ),
    "wgxj": ("文化、广电、新闻出版\\文化", "", ["公共文化服务", "文物保护", "全民阅读"]),
    "wjw": (
        "卫生、体育\\卫生",
        "key-ws",
        ["健康扶贫", "妇幼健康管理", "中医药事业发展", "重大疾病防控", "医疗机构监督"],
    ),
    "sjj": ("财政、金融、审计\\审计", "", ["预算执行审计", "审计整改"]),
    "gzw": (
        "国民经济管理、国有资产监管\\国有资产监管",
        "key-gzgq",
        ["国有企业改革", "国有资产保值增值", "监管企业负责人薪酬"],
    ),
    "gsj": ("市场监管、安全生产监管\\工商", "", ["商事制度改革", "反不正当竞争", "双随机一公开"]),
    "zljdj": (
        "市场监管、安全生产监管\\质量监督",
        "key-cpzl",
        ["产品质量监督抽查", "特种设备安全", "计量能力建设"],
    ),
    "sypj": (
        "市场监管、安全生产监管\\食品药品监管",
        "key-spyp",
        ["食品安全监督抽检", "药品安全", "餐饮服务食品安全"],
    ),
    "ajj": (
        "市场监管、安全生产监管\\安全生产监管",
        "key-aqsc",
        ["危险化学品安全", "非煤矿山安全", "安全生产大检查", "烟花爆竹安全"],
    ),
    "tjj": (
        "国民经济管理、国有资产监管\\统计",
        "key-jjzb",
        ["国民经济运行", "经济普查", "统计执法"],
    ),
    "xzspj": (
        "综合政务\\电子政务",
        "key-ggzy",
        ["行政审批制度改革", "公共资源交易", "政务大厅窗口服务", "中介服务事项清理"],
    ),
    "jrb": ("财政、金融、审计\\银行", "", ["防范化解金融风险", "非法集资防范", "地方金融监管"]),
    "lyj": ("农业、林业、水利\\林业", "", ["植树造林", "森林防火"]),
    "lyw": ("商贸、海关、旅游\\旅游", "", ["全域旅游", "旅游市场秩序"]),
    "mzzj": ("民族、宗教\\民族事务", "", ["民族团结进步", "宗教活动场所管理"]),
    "rfb": ("国防\\国防动员", "", ["人防工程建设", "防空警报试鸣"]),
    "wjj": ("国民经济管理、国有资产监管\\物价", "", ["价格监督检查", "行政事业性收费"]),
}
COUNTY_SUBJECTS = [
    "乡村振兴",
    "农村人居环境整治",
    "脱贫攻坚成果巩固",
    "城乡低保",
    "义务教育",
    "安全生产",
    "河道治理",
]

OPENINGS = [
    "为深入贯彻落实党中央、国务院和省委、省政府关于{phrase}的决策部署，进一步做好{phrase}工作，经{issuer}同意，现就有关事项通知如下。",
    "根据《中华人民共和国政府信息公开条例》和上级有关要求，结合我市实际，现就{phrase}工作提出如下意见。",
    "为切实加强{phrase}工作，推动各项任务落地见效，制定本方案。",
    "{year}年，{issuer}围绕{phrase}，认真履行职责，各项工作取得积极进展。现将有关情况报告如下。",
]
SECTION_TITLES = [
    "总体要求",
    "主要任务",
    "工作措施",
    "职责分工",
    "时间安排",
    "保障措施",
    "工作要求",
    "监督检查",
]
SENTENCES = [
    "各县（市、区）人民政府、市政府各有关部门要充分认识{phrase}的重要意义，切实加强组织领导，明确责任分工，确保各项工作落到实处。",
    "坚持以人民为中心的发展思想，以{phrase}为重点，着力解决群众反映强烈的突出问题。",
    "到{year}年底，全市{phrase}工作机制基本健全，重点任务完成率达到{pct}%以上。",
    "建立健全{phrase}工作台账，实行清单化管理、项目化推进，每月{day}日前报送工作进展情况。",
    "市财政安排专项资金{money}万元，统筹用于{phrase}相关项目建设，严格资金管理，专款专用。",
    "全年共组织检查{n1}次，检查单位{n2}家，发现问题{n3}个，已全部督促整改到位。",
    "依托市政府门户网站、政务新媒体等平台，及时公开{phrase}相关政策文件、办事指南和工作进展，主动回应社会关切。",
    "对工作推进不力、敷衍塞责的单位和个人，依法依规严肃追究责任。",
    "各有关单位要加强协调配合，形成工作合力，重大问题及时向市政府报告。",
    "严格落实“双随机、一公开”监管要求，抽查结果通过“信用中国（示例市）”网站向社会公示。",
    "加强政策解读，采取图文、音视频等多种形式，提高政策知晓度和社会参与度。",
    "本年度共受理相关申请{n1}件，办结{n2}件，群众满意率{pct}%。",
    "推进“互联网+政务服务”，实现{phrase}相关事项“一网通办”，压缩办理时限{pct}%以上。",
    "健全考核评价机制，将{phrase}工作纳入年度目标责任考核，考核结果作为评优评先的重要依据。",
    "加强宣传引导，通过报刊、电视、网站等媒体广泛宣传{phrase}的政策措施和典型经验。",
    "严格执行保密审查制度，涉及国家秘密、商业秘密和个人隐私的信息依法不予公开。",
    "各县（市、区）要结合本地实际，制定具体实施方案，于{month}月底前报市{office}备案。",
    "完善应急预案，加强应急演练，提升突发事件应对处置能力。",
    "统筹推进重点项目{n1}个，总投资{money}万元，其中年内完成投资{money2}万元。",
    "加强队伍建设，组织开展业务培训{n3}期，培训人员{n2}人次。",
]
CLOSINGS = [
    "本通知自印发之日起施行。",
    "本办法自发布之日起施行，有效期五年。",
    "特此通知。",
    "以上意见，请认真贯彻执行。",
    "执行中遇到的问题，请及时与{issuer}联系。",
]


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Doc:
    """One generated catalogue entry (before it becomes a Document row)."""

    agency_code: str
    title: str
    column: str
    genre: str
    topic: str
    published: dt.datetime
    written: dt.date
    body: str
    doc_number: str = ""
    legal_kind: str = "other"
    keywords: str = ""
    summary: str = ""
    validity: str = "valid"
    validity_on: dt.date | None = None
    interprets: int | None = None  # index into the generated list
    interpretation_form: str = ""
    joint: list[str] = field(default_factory=list)
    attachment: str = ""  # "xlsx" | "docx" | ""
    key: str = ""


class Writer:
    """Builds titles and bodies; one per demo load, driven by a seeded RNG."""

    def __init__(self, rng: random.Random, fake) -> None:
        self.rng = rng
        self.fake = fake
        self.numbers: dict[tuple[str, int], int] = {}

    def phrase(self, code: str) -> str:
        if code in AGENCY_SUBJECTS:
            return self.rng.choice(AGENCY_SUBJECTS[code][2])
        return self.rng.choice(COUNTY_SUBJECTS)

    def doc_number(self, code: str, year: int, *, kind: str = "发", county_prefix: str = "") -> str:
        base = AGENCY_CODES.get(code) or (county_prefix + "政")
        key = (base + kind, year)
        self.numbers[key] = self.numbers.get(key, 0) + self.rng.randint(1, 4)
        return f"{base}{kind}〔{year}〕{self.numbers[key]}号"

    def fill(self, template: str, **values) -> str:
        values.setdefault("pct", self.rng.choice([85, 90, 92, 95, 98]))
        values.setdefault("n1", self.rng.randint(12, 480))
        values.setdefault("n2", self.rng.randint(30, 2600))
        values.setdefault("n3", self.rng.randint(3, 60))
        values.setdefault("money", self.rng.randint(50, 98000))
        values.setdefault("money2", self.rng.randint(20, 9000))
        values.setdefault("day", self.rng.choice([5, 10, 15, 25]))
        values.setdefault("month", self.rng.randint(1, 12))
        values.setdefault("office", self.rng.choice(["政府办公室", "发展改革委", "财政局"]))
        return template.format(**values)

    def body(self, *, phrase: str, issuer: str, year: int, target: int, signed: dt.date) -> str:
        """HTML paragraphs of roughly ``target`` characters."""
        parts = [
            f"<p>{self.fill(self.rng.choice(OPENINGS), phrase=phrase, issuer=issuer, year=year)}</p>"
        ]
        length = len(parts[0])
        sections = self.rng.sample(
            SECTION_TITLES, k=min(len(SECTION_TITLES), max(2, target // 350))
        )
        for number, title in zip(SECTION_NUMBERS, sections, strict=False):
            parts.append(f"<h3>{number}、{title}</h3>")
            for _ in range(self.rng.randint(1, 3)):
                text = self.fill(self.rng.choice(SENTENCES), phrase=phrase, year=year)
                text += self.fill(
                    self.rng.choice(SENTENCES),
                    phrase=self.rng.choice([phrase, "政务公开"]),
                    year=year,
                )
                parts.append(f"<p>{text}</p>")
                length += len(text)
            if length >= target:
                break
        parts.append(f"<p>{self.fill(self.rng.choice(CLOSINGS), issuer=issuer)}</p>")
        parts.append(f'<p class="signature">{issuer}<br>{cn_date(signed)}</p>')
        return "".join(parts)

    def company(self) -> str:
        return self.fake.company()

    def budget_rows(self, year: int) -> list[tuple[str, int]]:
        items = [
            "一般公共服务支出",
            "教育支出",
            "社会保障和就业支出",
            "卫生健康支出",
            "节能环保支出",
            "城乡社区支出",
            "农林水支出",
            "交通运输支出",
        ]
        return [(item, self.rng.randint(20, 9000) * 10) for item in self.rng.sample(items, k=5)]
