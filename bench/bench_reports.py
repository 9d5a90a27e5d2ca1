"""Annual reports: a 2021 report for a city of 50 agencies and 200,000 requests, the roll-up of
its agencies' reports, and the checker reading 100 saved report pages.

    python -m bench bench_reports

A throw-away SQLite database under bench/data/reports/ holds the city (a government and 49
departments). The facts are handed to the reporting context through the same seam as in its
tests (the other contexts' selectors replaced by an in-memory source): 200,000 requests
received in 2021 plus 4,000 carried in from 2020, 2,000 appeals, catalogue and mailbox figures
per agency. What is timed is the reporting context's own work:

- build: facts → measures → the 2021 tables of the whole city (200 cells), validation of its
  42 identities and the narrative draft (``report_compute`` + ``validate`` + draft);
- report_create: the same through the service (database write, validation, audit event);
- roll-up: the city report from its 50 agencies' own reports, each carrying an adjustment
  (read from the database and summed agency by agency), and the pure sum of 50 reports;
- checker: 100 saved pages (Word-pasted 2019/2021 pages of ~100 KB and pages as this platform
  publishes them), found, mapped, and checked.
Targets: build and roll-up under 2 s each; the checker under 10 s for the 100 pages.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "reports"
FIXTURES = ROOT.parent / "tests" / "apps" / "reporting" / "fixtures"
AGENCIES = 50
REQUESTS = int(os.environ.get("BENCH_REPORTS_REQUESTS", "200000"))
PAGES = 100


def _setup() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_DATA_DIR"] = str(DATA)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _city():
    from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel

    def make(code, name, kind, parent=None):
        return Agency.objects.create(
            code=code,
            name=name,
            short_name=name[-6:],
            kind=kind,
            level=AgencyLevel.CITY,
            parent=parent,
            office_name=f"{name}办公室",
            office_address="人民路1号",
            office_hours="工作日",
            office_phone="0399-8000000",
        )

    city = make("bench", "基准市人民政府", AgencyKind.GOVERNMENT)
    departments = [
        make(f"bd{i:02d}", f"基准市第{i}局", AgencyKind.DEPARTMENT, city)
        for i in range(1, AGENCIES)
    ]
    return city, departments


def _facts(agency_ids: list[int]):
    from gongkai.domain.decisions import DECISIONS, ApplicantType
    from gongkai.domain.reportfacts import (
        AppealFact,
        AppealKind,
        AppealResult,
        CatalogFacts,
        MailboxFacts,
        PublicationChannel,
        RequestChannel,
        RequestFact,
    )

    rng = random.Random(2021)
    codes = [d.code for d in DECISIONS]
    weights = [
        30 if d.code in ("disclosed", "already_public", "not_exist") else 2 for d in DECISIONS
    ]
    types = list(ApplicantType)
    type_weights = [80, 12, 1, 1, 4, 2]
    channels = list(RequestChannel)
    requests = []
    start = dt.date(2021, 1, 1)
    for i in range(REQUESTS + 4000):
        carried = i >= REQUESTS
        received = (
            dt.date(2020, 12, 1) + dt.timedelta(days=rng.randrange(31))
            if carried
            else start + dt.timedelta(days=rng.randrange(365))
        )
        closed = received + dt.timedelta(days=rng.randrange(1, 45))
        if rng.random() < 0.02:
            closed = None
        requests.append(
            RequestFact(
                agency_id=rng.choice(agency_ids),
                applicant_type=rng.choices(types, type_weights)[0],
                channel=rng.choice(channels),
                received=received,
                closed=closed,
                decision=rng.choices(codes, weights)[0] if closed else None,
                extended=rng.random() < 0.03,
                on_time=(rng.random() > 0.01) if closed else None,
                ref=f"YSQ-{received.year}-{i:06d}",
            )
        )
    appeals = [
        AppealFact(
            rng.choice(agency_ids),
            rng.choice(list(AppealKind)),
            start + dt.timedelta(days=rng.randrange(365)),
            rng.choice(list(AppealResult)),
        )
        for _ in range(2000)
    ]
    catalog = [
        CatalogFacts(
            a,
            2021,
            {c: rng.randrange(50, 5000) for c in PublicationChannel},
            rules=(rng.randrange(3), 0, rng.randrange(40)),
            normative=(rng.randrange(10), rng.randrange(3), rng.randrange(200)),
        )
        for a in agency_ids
    ]
    mailbox = [MailboxFacts(a, 2021, 1000, rng.randrange(900, 1000)) for a in agency_ids]
    return requests, appeals, catalog, mailbox


class _Source:
    """The other contexts' report selectors, answered from memory."""

    def __init__(self, requests, appeals, catalog, mailbox) -> None:
        self.data = {
            "application_report_facts": requests,
            "appeal_report_facts": appeals,
            "catalog_report_facts": catalog,
            "mailbox_report_facts": mailbox,
        }

    def __call__(self, module: str, name: str):
        rows = self.data[name]

        def facts(*, agency_ids, year):
            wanted = set(agency_ids)
            if len(wanted) >= AGENCIES:
                return rows
            return [f for f in rows if f.agency_id in wanted]

        return facts


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _pages() -> list[Path]:
    """100 saved pages: Word-pasted fixtures with their digits varied, and platform pages."""
    from gongkai.domain.reports.checker.numbers import CellReading, parse_cell

    out_dir = DATA / "pages"
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = [
        (FIXTURES / name).read_text(encoding="utf-8")
        for name in (
            "hangzhou_style_2021.html",
            "layout_table_2019.html",
            "broken_identity_2021.html",
            "unmerged_labels_2021.html",
        )
    ]
    platform = (DATA / "platform.html").read_text(encoding="utf-8")
    rng = random.Random(100)
    paths = []
    for i in range(PAGES):
        text = platform if i % 5 == 4 else sources[i % 4]
        if i % 3 == 0:  # full-width digits, as some sites publish
            text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        path = out_dir / f"page-{i:03d}.html"
        path.write_text(
            text.replace("</body>", f"<!-- {rng.random()} --></body>"), encoding="utf-8"
        )
        paths.append(path)
    assert parse_cell("１２").reading is CellReading.NUMBER
    return paths


def main() -> None:
    started = time.perf_counter()
    _setup()
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.reporting import selectors, services
    from gongkai.apps.reporting.checker_files import check_file
    from gongkai.apps.reporting.models import ReportScope
    from gongkai.apps.reporting.render import ReportDoc, html_document
    from gongkai.domain.reports.build import evaluate, rollup
    from gongkai.domain.reports.formats import FORMATS
    from gongkai.domain.reports.identities import validate
    from gongkai.domain.reports.narrative import draft_narrative

    fmt = FORMATS["2021"]
    city, departments = _city()
    ids = [city.pk] + [d.pk for d in departments]
    requests, appeals, catalog, mailbox = _facts(ids)
    selectors._source = _Source(requests, appeals, catalog, mailbox)  # the seam the tests use
    print(
        f"setup (database, {len(requests):,} facts generated): {time.perf_counter() - started:.1f} s"
    )

    builds = []
    for _ in range(5):
        t = time.perf_counter()
        built, _bundle = selectors.report_compute(
            agency=city, year=2021, scope=ReportScope.CITY, fmt=fmt
        )
        result = validate(fmt, built.values)
        context = selectors.report_context(city, 2021, ReportScope.CITY)
        draft = draft_narrative(fmt, built.values, built.measures, context)
        builds.append(time.perf_counter() - t)
    assert result.ok and draft["overview"]
    print(
        f"build 2021 city report ({AGENCIES} agencies, {built.values[('t3', 'new', 'total')]:,} new "
        f"+ {built.values[('t3', 'carried', 'total')]:,} carried requests): "
        f"median {_median(builds):.3f} s, max {max(builds):.3f} s (target < 2 s)"
    )

    t = time.perf_counter()
    report = services.report_create(actor=SYSTEM, agency=city, year=2021, scope=ReportScope.CITY)
    create = time.perf_counter() - t
    print(f"report_create (service: build, store, validate, audit): {create:.3f} s")
    doc = ReportDoc.from_built(built, agency_name=city.name, context=context)
    (DATA / "platform.html").write_text(html_document(doc), encoding="utf-8")

    for agency in departments:
        own = services.report_create(actor=SYSTEM, agency=agency, year=2021)
        services.report_adjust(
            actor=SYSTEM, report=own, cell="t2:rules:in_force", value="7", reason="基准测试调整"
        )
    rollups = []
    for _ in range(5):
        t = time.perf_counter()
        rolled, _bundle = selectors.report_compute(
            agency=city, year=2021, scope=ReportScope.CITY, fmt=fmt, report_id=report.pk
        )
        rollups.append(time.perf_counter() - t)
    cell = ("t2", "rules", "in_force")
    # every department's own report says 7; the government's own figure comes from its records
    assert rolled.values[cell] == 7 * len(departments) + built.per_agency[city.pk][cell]
    parts = [evaluate(fmt, m) for m in _bundle.measures().by_agency.values()]
    t = time.perf_counter()
    for _ in range(100):
        rollup(fmt, parts)
    pure = (time.perf_counter() - t) / 100
    print(
        f"roll-up of {AGENCIES} agencies' reports (with their adjustments, from the records): "
        f"median {_median(rollups):.3f} s, max {max(rollups):.3f} s (target < 2 s); "
        f"summing {len(parts)} finished reports alone: {pure * 1000:.2f} ms"
    )

    paths = _pages()
    t = time.perf_counter()
    codes = [check_file(p).exit_code for p in paths]
    checker = time.perf_counter() - t
    size = sum(p.stat().st_size for p in paths) / 1024 / 1024
    print(
        f"checker: {len(paths)} saved pages ({size:.1f} MB): {checker:.2f} s "
        f"({checker / len(paths) * 1000:.0f} ms a page; exit codes {sorted(set(codes))}) (target < 10 s)"
    )
    print(f"total wall time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
