"""Demo data of the annual reports (steps 80–84). Every published report is filed in the
catalogue's 政府信息公开年报 column as it was computed: one report per agency and year.

- 80 填报数据: 行政许可、行政处罚、行政强制决定数量和行政事业性收费 for 2025 and this year.
- 81 the city's 2018 report in the seed-era format, computed from the 2018 records the
  catalogue, mailbox and 依申请公开 steps load (so its figures are the seed's), published on
  the seed report's own date.
- 82 2019 to 2024: the city's reports and a few departments', so history charts compare years.
- 83 the 2025 reports: most departments published in January 2026, some late, some left as
  drafts, some never started; most governments by 31 March — the supervisor's dashboard.
  Their tables 三 and 四 count the 2025 requests and appeals of step 53.
- 84 this year's drafts for the 市交通局 logins and the city office.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongkai.apps.audit.services import audit_record
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.apps.reporting.models import EnteredFigure, Report, ReportScope
from gongkai.apps.reporting.selectors import scope_subject
from gongkai.apps.reporting.services import (
    report_create,
    report_files_enqueue,
    report_narrative_save,
    report_publish_now,
)
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.reports.states import ReportAction

SEED_OVERVIEW = (
    "本报告按照《中华人民共和国政府信息公开条例》要求，结合全市各级各部门政府信息公开情况编制而成。"
    "报告所列数据统计期限为2018年1月1日至2018年12月31日。如对本报告有疑问，请与示例市人民政府办公室联系。\n"
    "2018年，按照国家和省、市关于推进政务公开工作的安排部署，围绕市委市政府中心工作，研究制定了"
    "《示例市2018年政务公开工作要点》，进一步扩大了公开范围，明确了工作责任，强化了工作措施，狠抓工作落实。"
)
SEED_PROBLEMS = (
    "2018年，我市政务公开工作虽然取得了一些成绩，但依然存在一些不足。一是大多数单位没有政务公开专职人员，"
    "有的甚至身兼数职，导致业务能力不够强；二是个别单位政府信息公开方式和公开渠道较为单一；三是土地征收、"
    "房屋拆迁等涉及群众切身利益的信息公开与群众期待还有一定差距。\n"
    "2019年，我市将加大主动公开力度，加强政策解读和舆情回应，提升政务服务质量，加强公开平台建设，"
    "加强培训督导，推进政务公开工作再上新台阶。"
)
SEED_OTHER = "全市各级各部门为申请人复印、邮寄政府信息公开文件资料等全部予以免费。"

PROBLEMS = (
    "一是政策解读的形式还比较单一，图解、音视频解读偏少；二是个别栏目更新不够及时；"
    "三是工作人员业务能力有待提高。下一步，将加强培训，完善栏目维护责任，丰富解读形式。",
    "一是依申请公开答复文书的规范化水平有待提升；二是基层政务公开标准化工作推进不平衡。"
    "下一步，将制定答复文书范本，加强对基层的业务指导。",
    "一是主动公开的深度和广度与群众期待仍有差距；二是政务新媒体互动回应不够及时。"
    "下一步，将梳理公开事项清单，健全舆情回应机制。",
)


def _city_departments() -> list[Agency]:
    return list(
        Agency.objects.filter(kind=AgencyKind.DEPARTMENT, level=AgencyLevel.CITY).order_by(
            "sort_order", "id"
        )
    )


def load_figures(world: Any) -> None:
    """Entered figures of city departments and county governments, 2025 and this year."""
    rng = world.rng_for("年度报告填报数据")
    agencies = _city_departments() + list(
        Agency.objects.filter(kind=AgencyKind.GOVERNMENT, level=AgencyLevel.COUNTY)
    )
    existing = set(EnteredFigure.objects.values_list("agency_id", "year", "key"))
    rows: list[EnteredFigure] = []
    for year in (2025, world.today.year):
        for agency in agencies:
            scale = rng.choice((0, 1, 1, 2, 5))
            figures = {
                "licensing.decisions": scale * rng.randint(40, 900),
                "penalty.decisions": scale * rng.randint(0, 120),
                "coercion.decisions": rng.choice((0, 0, scale * rng.randint(1, 15))),
                "fees.amount_wan": Decimal(scale * rng.randint(0, 60000)) / 100,
            }
            new = [(k, v) for k, v in figures.items() if (agency.pk, year, k) not in existing]
            if not new:
                continue
            rows.extend(
                EnteredFigure(agency=agency, year=year, key=k, value=v, note="据本机关业务台账填报")
                for k, v in new
            )
            audit_record(
                actor=world.actor,
                action=ReportAction.FIGURE_SET,
                object_type="reporting.enteredfigure",
                object_id=f"{agency.pk}:{year}",
                object_label=f"{agency.name}{year}年填报数据",
                agency_id=agency.pk,
                after={k: str(v) for k, v in new},
            )
    EnteredFigure.objects.bulk_create(rows)


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _publish(world: Any, report: Report, narrative: dict[str, str], when: dt.date) -> Report:
    """Publish as the agency did on ``when``, and file the very report in the catalogue's
    政府信息公开年报 column (one report, one source: the catalogue shows what was computed)."""
    report = report_narrative_save(actor=world.actor, report=report, narrative=narrative)
    # the slow PDF (and DOCX/XLSX) are left to the background worker, as a site's own
    # worker renders them right after publication (the demo loads in less time)
    report = report_publish_now(
        actor=world.actor,
        report=report,
        kinds=("html",),
        published_at=_aware(when),
        file_in_catalogue=True,
        quiet=True,
    )
    report_files_enqueue(actor=world.actor, report=report)
    return report


def load_seed_report(world: Any) -> None:
    """示例市人民政府's 2018 report, from the 2018 records, published (and filed in the
    catalogue) on the seed report's own date."""
    city = world.agency("sz")
    if Report.objects.filter(agency=city, year=2018).exists():
        return
    report = report_create(actor=world.actor, agency=city, year=2018, scope=ReportScope.CITY)
    overview = report.narrative["overview"].split("【待填写")[0].strip()
    narrative = {
        "overview": f"{SEED_OVERVIEW}\n{overview}",
        "problems": SEED_PROBLEMS,
        "other": SEED_OTHER,
    }
    _publish(world, report, narrative, dt.date(2019, 1, 17))


def _narrative(report: Report, rng: Any) -> dict[str, str]:
    draft = dict(report.narrative)
    figures = draft["overview"].split("【待填写")[0].strip()

    subject = scope_subject(report.agency, report.scope)
    return {
        "overview": (
            f"{report.year}年，{subject}认真贯彻落实《中华人民共和国政府信息公开条例》，"
            f"围绕中心工作推进决策、执行、管理、服务、结果公开。{figures}"
        ),
        "problems": rng.choice(PROBLEMS),
        "other": draft.get("other", "").split("【待填写")[0].strip() or "无。",
    }


BETWEEN_YEARS = range(2019, 2025)


def load_between_years(world: Any) -> None:
    """2019 to 2024: the city's report (全辖区) and those of a few departments, the 市交通局
    among them, each published by the deadline of the year after, in order, so that every
    year's catalogue figures include the reports filed in it."""
    if Report.objects.filter(year__in=BETWEEN_YEARS).exists():
        return
    city = world.agency("sz")
    departments = [a for a in _city_departments() if a.code != "jtj"]
    for year in BETWEEN_YEARS:
        rng = world.rng_for(f"年度报告{year}年度")
        chosen = [world.agency("jtj"), *rng.sample(departments, k=2)]
        for agency in chosen:
            report = report_create(actor=world.actor, agency=agency, year=year)
            when = dt.date(year + 1, 1, rng.randint(10, 28))
            _publish(world, report, _narrative(report, rng), when)
        report = report_create(actor=world.actor, agency=city, year=year, scope=ReportScope.CITY)
        _publish(world, report, _narrative(report, rng), dt.date(year + 1, 3, rng.randint(20, 28)))


def load_2025(world: Any) -> None:
    """2025 reports as they stood at the deadlines: on time, late, drafts and missing."""
    rng = world.rng_for("年度报告2025年度")
    year = 2025
    if Report.objects.filter(year=year).exists():
        return
    departments = _city_departments()
    rng.shuffle(departments)
    n = len(departments)
    for i, agency in enumerate(departments):
        if i >= n - 3:
            continue  # never started: the dashboard shows them as 未建立
        report = report_create(actor=world.actor, agency=agency, year=year)
        if i >= n - 6:
            continue  # left as drafts
        late = i >= n - 9
        when = (
            dt.date(2026, 2, rng.randint(3, 26)) if late else dt.date(2026, 1, rng.randint(6, 30))
        )
        _publish(world, report, _narrative(report, rng), when)
    counties = list(Agency.objects.filter(kind=AgencyKind.GOVERNMENT, level=AgencyLevel.COUNTY))
    for i, county in enumerate(counties):
        if i % 6 == 5:
            continue
        report = report_create(actor=world.actor, agency=county, year=year, scope=ReportScope.CITY)
        _publish(world, report, _narrative(report, rng), dt.date(2026, 3, rng.randint(10, 31)))
    city = world.agency("sz")
    report = report_create(actor=world.actor, agency=city, year=year, scope=ReportScope.CITY)
    _publish(world, report, _narrative(report, rng), dt.date(2026, 3, 28))


def load_drafts(world: Any) -> None:
    """This year's drafts: the 市交通局's (for jtj_zy / jtj_fz) and the city's (for gkb)."""
    year = world.today.year
    for code, scope in (("jtj", ReportScope.SELF), ("sz", ReportScope.CITY)):
        agency = world.agency(code)
        if not Report.objects.filter(agency=agency, year=year, scope=scope).exists():
            report_create(actor=world.actor, agency=agency, year=year, scope=scope)


def register() -> None:
    register_demo_step(DemoStep(80, "年度报告填报数据", load_figures))
    register_demo_step(DemoStep(81, "年度报告2018年度全市年报", load_seed_report))
    register_demo_step(DemoStep(82, "年度报告2019至2024年度", load_between_years))
    register_demo_step(DemoStep(83, "年度报告2025年度", load_2025))
    register_demo_step(DemoStep(84, "年度报告本年度草稿", load_drafts))
