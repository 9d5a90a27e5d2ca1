"""A realistic 1,000,000-document catalogue for the search benchmark (bench/data/search/).

    python -m bench bench_search_corpus            # builds corpus.tsv once (kept, git-ignored)
    GONGKAI_BENCH_DOCS=100000 python -m bench bench_search_corpus   # a smaller one

Documents look like the demo city's: the same agencies, columns, topics and genres, titles
and bodies from the templates of the demo catalogue widened with more subjects, company,
project and place names (Faker zh_CN) and numbers, 300–3,000 characters (log-normal, median
about 600), published 2010–2026. Generated in parallel, deterministic per chunk.
"""

from __future__ import annotations

import csv
import math
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# GONGKAI_BENCH_SEARCH_DATA keeps catalogues of several sizes apart
DATA = Path(os.environ.get("GONGKAI_BENCH_SEARCH_DATA") or ROOT / "data" / "search")
CORPUS = DATA / "corpus.tsv"
CHUNK = 50_000
FIELDS = (
    "id",
    "agency",
    "column",
    "topic",
    "genre",
    "legal_kind",
    "published",
    "written",
    "doc_number",
    "title",
    "keywords",
    "body",
)


def target_size() -> int:
    return int(os.environ.get("GONGKAI_BENCH_DOCS", "1000000"))


# vocabulary ---------------------------------------------------------------------------------

EXTRA_SUBJECTS = [
    "城市更新",
    "海绵城市建设",
    "智慧城市",
    "数字政府",
    "一网统管",
    "营商环境评价",
    "市场主体培育",
    "民营经济发展",
    "招商引资",
    "开发区改革",
    "综合保税区",
    "跨境电子商务",
    "冷链物流",
    "现代物流",
    "制造业高质量发展",
    "新能源汽车推广",
    "充电基础设施",
    "清洁取暖",
    "煤改气",
    "散煤治理",
    "秸秆综合利用",
    "农村厕所革命",
    "美丽乡村",
    "高素质农民培育",
    "家庭农场",
    "农民专业合作社",
    "农村集体产权制度改革",
    "宅基地管理",
    "耕地占补平衡",
    "地质灾害防治",
    "矿山生态修复",
    "河湖“清四乱”",
    "地下水超采治理",
    "节水型社会建设",
    "再生水利用",
    "城市排水防涝",
    "燃气安全",
    "电梯安全",
    "消防安全",
    "校园安全",
    "食品小作坊",
    "农贸市场改造",
    "早餐工程",
    "菜篮子工程",
    "价格监测预警",
    "粮食安全",
    "储备粮管理",
    "应急物资储备",
    "防灾减灾",
    "森林草原防火",
    "全民健身",
    "体育场馆开放",
    "公共图书馆",
    "非物质文化遗产",
    "历史文化街区",
    "文物保护利用",
    "旅游厕所",
    "红色旅游",
    "研学旅行",
    "托育服务",
    "普惠性幼儿园",
    "义务教育均衡发展",
    "课后服务",
    "“双减”",
    "高中阶段教育",
    "职业技能培训",
    "高校毕业生就业",
    "退役军人服务",
    "农民工工资支付",
    "工伤保险",
    "城乡居民医保",
    "长期护理保险",
    "家庭医生签约",
    "分级诊疗",
    "医联体建设",
    "公立医院改革",
    "药品集中采购",
    "疫苗接种",
    "爱国卫生运动",
    "健康城市",
    "居家养老",
    "社区养老服务",
    "残疾人两项补贴",
    "困境儿童保障",
    "留守儿童关爱",
    "殡葬改革",
    "婚姻登记",
    "社会组织管理",
    "志愿服务",
    "社区治理",
    "网格化管理",
    "矛盾纠纷化解",
    "信访积案化解",
    "扫黑除恶",
    "法治政府建设",
    "行政复议体制改革",
    "合法性审查",
    "重大行政决策",
    "政务诚信",
    "信用修复",
    "守信激励",
    "失信惩戒",
    "统计造假治理",
    "审计整改",
    "政府债务管理",
    "国有资产管理",
    "预算绩效",
    "政府采购意向公开",
    "公共资源交易平台",
    "工程建设项目审批",
    "施工许可",
    "不动产登记",
    "住房公积金",
    "租赁住房",
    "棚户区改造",
    "老旧小区加装电梯",
    "物业服务",
    "生活垃圾分类",
    "餐厨垃圾处理",
    "建筑垃圾资源化",
    "园林绿化",
    "城市照明",
    "停车设施",
    "共享单车管理",
    "公交都市",
    "城市轨道交通",
    "城际铁路",
    "机场改扩建",
    "高速公路建设",
    "农村客运",
    "网约车管理",
    "危险货物运输",
    "超限超载治理",
    "水运安全",
    "邮政快递",
    "5G基站建设",
    "工业互联网",
    "数据中心",
    "大数据产业",
    "人工智能",
    "生物医药",
    "新材料产业",
    "装备制造",
    "钢铁去产能",
    "化工园区整治",
    "碳达峰碳中和",
    "节能监察",
    "清洁生产",
    "排污权交易",
    "环境影响评价",
    "生态环境损害赔偿",
]
TITLE_TEMPLATES = [
    "{agency}关于印发《{city}{subject}实施方案》的通知",
    "{agency}关于进一步加强{subject}工作的通知",
    "{agency}关于做好{year}年{subject}工作的通知",
    "{agency}关于{year}年{subject}工作情况的通报",
    "关于推进{subject}高质量发展的实施意见",
    "{city}{subject}管理办法",
    "{city}{subject}三年行动计划（{year}—{year2}年）",
    "{agency}{year}年{subject}工作要点",
    "{agency}关于开展{subject}专项行动的公告",
    "{year}年{month}月{city}{subject}情况",
    "{company}{subject}项目中标结果公示",
    "关于{place}{subject}项目的批复",
    "{agency}{year}年部门预算",
    "{agency}{year1}年度部门决算",
    "对市政协第{n}号提案（关于{subject}的建议）的答复",
    "《{city}{subject}实施方案》政策解读",
    "{city}{subject}新闻发布会",
    "{agency}行政处罚决定书（{company}）",
    "{agency}{year}年第{n}批行政许可事项办理结果",
    "{year}年{city}{subject}监督检查结果",
]


def _worker(args: tuple[int, int, int]) -> tuple[str, int]:
    """Generate documents [start, stop) into a chunk file; deterministic per chunk."""
    start, stop, chunk_no = args
    from faker import Faker

    from gongkai.demo.catalog_text import (
        AGENCY_CODES,
        AGENCY_SUBJECTS,
        CLOSINGS,
        COUNTY_SUBJECTS,
        OPENINGS,
        SECTION_NUMBERS,
        SECTION_TITLES,
        SENTENCES,
    )
    from gongkai.domain.catalogmeta import (
        EXTRA_GENRES,
        KEY_AREAS,
        OFFICIAL_GENRES,
        default_columns,
        topic_paths,
    )

    rng = random.Random(f"bench-search:{chunk_no}")
    fake = Faker("zh_CN")
    fake.seed_instance(chunk_no)
    companies = [fake.company() for _ in range(3000)]
    places = [fake.city_name() + fake.street_name() for _ in range(800)]
    projects = [
        fake.company_prefix()
        + rng.choice(["产业园", "安置区", "综合体", "物流园", "污水处理厂", "学校", "医院"])
        for _ in range(800)
    ]
    from gongkai.demo.organizations import CITY, CITY_DEPARTMENTS, COUNTIES, COUNTY_DEPARTMENTS

    names = {"sz": f"{CITY}人民政府"}
    names.update({code: name for code, name, _short in CITY_DEPARTMENTS})
    for ccode, cname in COUNTIES:
        names[ccode] = f"{CITY}{cname}人民政府"
        names.update(
            {f"{ccode}-{dcode}": f"{CITY}{cname}{dname}" for dcode, dname in COUNTY_DEPARTMENTS}
        )
    agencies = list(names)
    agency_weights = [
        8.0 if a in ("sz", "bgs") else 2.0 if a in AGENCY_CODES else 0.6 for a in agencies
    ]
    subjects = sorted(
        {p for _t, _k, ps in AGENCY_SUBJECTS.values() for p in ps}
        | set(EXTRA_SUBJECTS)
        | set(COUNTY_SUBJECTS)
    )
    columns = [
        c.slug
        for c in default_columns()
        if c.parent
        or c.slug
        in ("guide", "system", "gazette", "interpretation", "press", "proposals", "annual-reports")
    ]
    column_weights = [
        6.0 if c.startswith("statutory-") else 4.0 if c.startswith("key-") else 1.0 for c in columns
    ]
    topics = [t for t in topic_paths() if "\\" in t]
    genres = list(OFFICIAL_GENRES + EXTRA_GENRES)
    key_subjects = {f"key-{slug}": name for slug, name in KEY_AREAS}
    first, last = (
        time.mktime((2010, 1, 1, 0, 0, 0, 0, 0, -1)),
        time.mktime((2026, 11, 20, 0, 0, 0, 0, 0, -1)),
    )
    path = DATA / f"corpus-{chunk_no:04d}.tsv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(
            fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n"
        )
        for doc_id in range(start, stop):
            agency = rng.choices(agencies, agency_weights)[0]
            column = rng.choices(columns, column_weights)[0]
            subject = (
                key_subjects.get(column)
                if column in key_subjects and rng.random() < 0.5
                else rng.choice(subjects)
            )
            ts = rng.uniform(first, last)
            year = time.localtime(ts).tm_year
            city_agency = names[agency]
            values = {
                "agency": city_agency,
                "city": "示例市",
                "subject": subject,
                "year": year,
                "year1": year - 1,
                "year2": year + 2,
                "month": rng.randint(1, 12),
                "company": rng.choice(companies),
                "place": rng.choice(places),
                "n": rng.randint(1, 800),
            }
            title = rng.choice(TITLE_TEMPLATES).format(**values)
            length = int(min(3000, max(300, rng.lognormvariate(math.log(600), 0.6))))
            paras = [rng.choice(OPENINGS).format(phrase=subject, issuer=city_agency, year=year)]
            size = len(paras[0])
            sections = rng.sample(SECTION_TITLES, k=len(SECTION_TITLES))
            number = 0
            while size < length:
                if number < len(sections) and rng.random() < 0.35:
                    paras.append(f"{SECTION_NUMBERS[number]}、{sections[number]}")
                    number += 1
                filler = rng.choice(SENTENCES)
                sentence = filler.format(
                    phrase=rng.choice([subject, subject, rng.choice(subjects)]),
                    year=year,
                    pct=rng.choice([80, 85, 90, 92, 95, 98, 100]),
                    n1=rng.randint(5, 900),
                    n2=rng.randint(10, 9000),
                    n3=rng.randint(1, 90),
                    money=rng.randint(10, 99000),
                    money2=rng.randint(10, 9000),
                    day=rng.choice([5, 10, 15, 20, 25]),
                    month=rng.randint(1, 12),
                    office=rng.choice(
                        ["政府办公室", "发展改革委", "财政局", "司法局", "应急管理局"]
                    ),
                )
                if rng.random() < 0.25:
                    sentence += f"{rng.choice(places)}{rng.choice(projects)}由{rng.choice(companies)}承建，计划{year + rng.randint(0, 2)}年{rng.randint(1, 12)}月完工。"
                paras.append(sentence)
                size += len(sentence)
            paras.append(rng.choice(CLOSINGS).format(issuer=city_agency))
            written = ts - rng.uniform(0, 20) * 86400
            code = AGENCY_CODES.get(agency) or (names[agency][3] + "政")
            doc_number = (
                f"{code}{rng.choice(['发', '函', '字'])}〔{year}〕{rng.randint(1, 400)}号"
                if rng.random() < 0.55
                else ""
            )
            out.writerow(
                [
                    doc_id,
                    agency,
                    column,
                    rng.choice(topics),
                    rng.choice(genres),
                    rng.choices(["other", "normative", "rule"], [90, 9, 1])[0],
                    int(ts),
                    int(written),
                    doc_number,
                    title.replace("\t", " "),
                    f"{subject} {rng.choice(subjects)}",
                    "\u2029".join(p.replace("\t", " ") for p in paras),
                ]
            )
    return str(path), stop - start


def build(size: int | None = None, *, workers: int | None = None) -> Path:
    size = size or target_size()
    DATA.mkdir(parents=True, exist_ok=True)
    marker = DATA / f"corpus.{size}.done"
    if marker.exists() and CORPUS.exists():
        return CORPUS
    started = time.perf_counter()
    tasks = [(i + 1, min(i + CHUNK, size) + 1, n) for n, i in enumerate(range(0, size, CHUNK))]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(_worker, tasks))
    with CORPUS.open("wb") as out:
        for path, _count in parts:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    out.write(chunk)
            os.remove(path)
    marker.write_text(f"{size}\n")
    print(
        f"corpus: {size:,} documents, {CORPUS.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return CORPUS


def read(path: Path = CORPUS):
    """Rows of the corpus as dicts (body paragraphs as a list)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"):
            record = dict(zip(FIELDS, row, strict=True))
            record["paragraphs"] = record.pop("body").split("\u2029")
            yield record


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()  # the workers (forked) read the demo city's agency list
    build()


if __name__ == "__main__":
    main()
