"""The demo city's agency tree: 示例市人民政府, 34 departments, 23 counties/districts with their
departments and townships — modelled on the seed report's city (34 departments, 24 counties)."""

from __future__ import annotations

from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.apps.organizations.services import agency_create
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.codes import make_uscc

CITY = "示例市"
CITY_REGION = "139900"

# (code, name, short name) — names as the seed-era (2018) city used them
CITY_DEPARTMENTS = [
    ("bgs", "示例市人民政府办公室", "市政府办公室"),
    ("fgw", "示例市发展和改革委员会", "市发改委"),
    ("jyj", "示例市教育局", "市教育局"),
    ("kjj", "示例市科学技术局", "市科技局"),
    ("gxj", "示例市工业和信息化局", "市工信局"),
    ("gaj", "示例市公安局", "市公安局"),
    ("mzj", "示例市民政局", "市民政局"),
    ("sfj", "示例市司法局", "市司法局"),
    ("czj", "示例市财政局", "市财政局"),
    ("rsj", "示例市人力资源和社会保障局", "市人社局"),
    ("gtj", "示例市国土资源局", "市国土局"),
    ("hbj", "示例市环境保护局", "市环保局"),
    ("zjj", "示例市住房和城乡建设局", "市住建局"),
    ("cgw", "示例市城市管理委员会", "市城管委"),
    ("jtj", "示例市交通运输局", "市交通局"),
    ("swj", "示例市水务局", "市水务局"),
    ("nmj", "示例市农业畜牧局", "市农牧局"),
    ("swuj", "示例市商务局", "市商务局"),
    ("wgxj", "示例市文化广电新闻出版局", "市文广新局"),
    ("wjw", "示例市卫生和计划生育委员会", "市卫计委"),
    ("sjj", "示例市审计局", "市审计局"),
    ("gzw", "示例市人民政府国有资产监督管理委员会", "市国资委"),
    ("gsj", "示例市工商行政管理局", "市工商局"),
    ("zljdj", "示例市质量技术监督局", "市质监局"),
    ("sypj", "示例市食品药品监督管理局", "市食药监局"),
    ("ajj", "示例市安全生产监督管理局", "市安监局"),
    ("tjj", "示例市统计局", "市统计局"),
    ("xzspj", "示例市行政审批局", "市行政审批局"),
    ("jrb", "示例市人民政府金融工作办公室", "市金融办"),
    ("lyj", "示例市林业局", "市林业局"),
    ("lyw", "示例市旅游发展委员会", "市旅发委"),
    ("mzzj", "示例市民族宗教事务局", "市民宗局"),
    ("rfb", "示例市人民防空办公室", "市人防办"),
    ("wjj", "示例市物价局", "市物价局"),
]

# (code, name) — districts first, then counties and county-level cities
COUNTIES = [
    ("dcq", "东城区"),
    ("xcq", "西城区"),
    ("ncq", "南城区"),
    ("bcq", "北城区"),
    ("gxq", "高新区"),
    ("qsx", "青山县"),
    ("bhx", "白河县"),
    ("pyx", "平原县"),
    ("smx", "石门县"),
    ("ytx", "云台县"),
    ("jcx", "金川县"),
    ("anx", "安宁县"),
    ("yhx", "永和县"),
    ("flx", "丰乐县"),
    ("qhx", "清河县"),
    ("ljx", "临江县"),
    ("hpx", "和平县"),
    ("cls", "长乐市"),
    ("xas", "新安市"),
    ("thx", "泰和县"),
    ("mdx", "明德县"),
    ("xlx", "兴隆县"),
    ("nyx", "宁远县"),
]
COUNTY_DEPARTMENTS = [
    ("jyj", "教育局"),
    ("mzj", "民政局"),
    ("czj", "财政局"),
    ("zjj", "住房和城乡建设局"),
]
TOWNSHIP_NAMES = [("z1", "城关镇"), ("z2", "东关街道"), ("z3", "新兴乡")]

OFFICE_HOURS = "工作日上午8:30—12:00，下午14:30—17:30"


def _org_body(index: int) -> str:
    return f"{40000000 + index * 7919:08d}"[-8:]


def _agency_fields(
    index: int, code: str, name: str, short: str, kind: str, level: str, region: str, parent
):
    number = 8000000 + index * 131
    office = "政府信息公开办公室" if kind == AgencyKind.GOVERNMENT else "办公室"
    street_no = 1 + index % 300
    return {
        "code": code,
        "name": name,
        "short_name": short,
        "kind": kind,
        "level": level,
        "parent": parent,
        "region_code": region,
        "uscc": make_uscc("1", "1", region, _org_body(index)),
        "site_id_code": f"{region}{index:04d}" if kind == AgencyKind.GOVERNMENT else "",
        "office_name": f"{name}{office}",
        "office_address": f"{CITY}人民路{street_no}号"
        if level == AgencyLevel.CITY
        else f"{CITY}{short}政府路{street_no}号",
        "office_postcode": "139900" if level == AgencyLevel.CITY else region,
        "office_hours": OFFICE_HOURS,
        "office_phone": f"0399-{number:07d}"[:13],
        "office_fax": f"0399-{number + 1:07d}"[:13],
        "office_email": f"gongkai@{code.replace('-', '')}.example.gov.cn",
        "office_website": f"https://www.example.gov.cn/{code}/",
        "sort_order": index,
    }


def demo_agency_specs() -> list[dict]:
    """Every demo agency as keyword arguments, parents given by code (for tests too)."""
    specs: list[dict] = []
    counter = iter(range(1, 10_000))
    specs.append(
        {
            **_agency_fields(
                next(counter),
                "sz",
                f"{CITY}人民政府",
                f"{CITY}政府",
                AgencyKind.GOVERNMENT,
                AgencyLevel.CITY,
                CITY_REGION,
                None,
            ),
            "office_name": f"{CITY}人民政府办公室",
        }
    )
    for code, name, short in CITY_DEPARTMENTS:
        specs.append(
            _agency_fields(
                next(counter),
                code,
                name,
                short,
                AgencyKind.DEPARTMENT,
                AgencyLevel.CITY,
                CITY_REGION,
                "sz",
            )
        )
    for c_index, (ccode, cname) in enumerate(COUNTIES, start=1):
        region = f"1399{c_index + 1:02d}"
        specs.append(
            _agency_fields(
                next(counter),
                ccode,
                f"{CITY}{cname}人民政府",
                cname,
                AgencyKind.GOVERNMENT,
                AgencyLevel.COUNTY,
                region,
                "sz",
            )
        )
        for dcode, dname in COUNTY_DEPARTMENTS:
            specs.append(
                _agency_fields(
                    next(counter),
                    f"{ccode}-{dcode}",
                    f"{CITY}{cname}{dname}",
                    f"{cname}{dname}",
                    AgencyKind.DEPARTMENT,
                    AgencyLevel.COUNTY,
                    region,
                    ccode,
                )
            )
        for tcode, tname in TOWNSHIP_NAMES:
            kind_name = f"{cname}{tname}"
            specs.append(
                _agency_fields(
                    next(counter),
                    f"{ccode}-{tcode}",
                    f"{CITY}{kind_name}",
                    kind_name,
                    AgencyKind.TOWNSHIP,
                    AgencyLevel.TOWNSHIP,
                    region,
                    ccode,
                )
            )
    return specs


def load_agencies(world) -> None:
    by_code: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
    for spec in demo_agency_specs():
        if spec["code"] in by_code:
            continue
        parent_code = spec.pop("parent")
        spec["parent"] = by_code[parent_code] if parent_code else None
        by_code[spec["code"]] = agency_create(actor=world.actor, **spec)


register_demo_step(DemoStep(10, "机关名录", load_agencies))
