"""The seed city's 2018 report, reproduced from the demo city's records, figure by figure.

The seed report (fixtures/seed_2018.txt: the real 2018 report with the city's name replaced by
示例市, every figure kept) is read with the checker's seed-era text reading, then compared with
`gongkai report build --agency 示例市人民政府 --year 2018 --format 2008 --scope city` run, as an
operator runs it, on a freshly migrated database holding the demo data the catalogue, mailbox
and 依申请公开 steps load (a database of its own, so no other test's flush can empty the rows
the data migrations seed).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.domain.reports.checker.check import check_page
from gongkai.domain.reports.checker.htmlpage import read_text
from gongkai.domain.reports.formats import FORMATS

SEED = Path(__file__).parent / "fixtures" / "seed_2018.txt"

# the steps that load 2018 (and what they need)
STEPS = [
    "网站设置",
    "机关名录",
    "工作人员和申请人账户",
    "主动公开目录",
    "依申请公开2018年度",
    "政府信箱设置和分办规则",
    "政府信箱2018年来信",
]

# the seed's figures as its text states them, to prove the reading found each one
STATED = {
    ("t1", "total"): 248766,
    ("t1", "website"): 129396,
    ("t1", "gazette"): 157,
    ("t1", "weibo"): 20635,
    ("t1", "wechat"): 41115,
    ("t1", "media"): 57463,
    ("t2", "received"): 23608,
    ("t2", "answered"): 23311,
    ("t3", "total"): 935,
    ("t3", "in_person"): 96,
    ("t3", "fax"): 2,
    ("t3", "online"): 95,
    ("t3", "letter"): 742,
    ("t3", "on_time"): 924,
    ("t3", "extended"): 11,
    ("t3", "already_public"): 81,
    ("t3", "agreed"): 238,
    ("t3", "agreed_partial"): 80,
    ("t3", "refused"): 85,
    ("t3", "not_this_agency"): 121,
    ("t3", "not_exist"): 243,
    ("t3", "asked_to_amend"): 45,
    ("t3", "other_channel"): 42,
    ("t4", "rec_total"): 66,
    ("t4", "rec_upheld"): 49,
    ("t4", "rec_corrected"): 9,
    ("t4", "rec_other"): 8,
    ("t4", "lit_total"): 56,
    ("t4", "lit_upheld"): 42,
    ("t4", "lit_corrected"): 2,
    ("t4", "lit_other"): 12,
    ("t5", "fee"): 0,
}


def seed_figures():
    page = read_text(SEED.read_text(encoding="utf-8"))
    report = check_page(page.tables, page.text, source=SEED.name)
    assert report.exit_code == 0, report.lines()
    return report.extraction.values


def test_the_seed_text_is_read_figure_by_figure():
    figures = seed_figures()
    for (table, row), value in STATED.items():
        assert figures[(table, row, "n")] == value, (table, row)
    assert str(figures[("t2", "rate", "n")]) == "98.74"


def _run(args, data_dir, timeout=900):
    """Run in a fresh process on its own database, as an operator would (not the test DB)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    for name in ("DATABASE_URL", "REDIS_URL", "GONGKAI_TEST_DATA_DIR", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


DJANGO = (
    "import json, os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'gongkai.config.settings'); django.setup(); "
    "from gongkai.demo.world import demo_load; "
)


@pytest.mark.slow
def test_the_demo_city_reproduces_the_seed_report(tmp_path):
    data = tmp_path / "var"
    _run(["-m", "gongkai.cli", "migrate", "--verbosity", "0"], data)
    _run(["-c", DJANGO + f"demo_load(only={STEPS!r})"], data)
    out = tmp_path / "seed.json"
    _run(
        [
            "-m",
            "gongkai.cli",
            "report",
            "build",
            "--agency",
            "示例市人民政府",
            "--year",
            "2018",
            "--format",
            "2008",
            "--scope",
            "city",
            "--json",
            "-o",
            str(out),
        ],
        data,
    )
    built = json.loads(out.read_text(encoding="utf-8"))
    assert built["warnings"] == []
    values = {
        (t["table"], r["row"], col): v
        for t in built["tables"]
        for r in t["rows"]
        for col, v in r["values"].items()
    }
    seed = seed_figures()
    fmt = FORMATS["2008"]
    mismatches = []
    for cell in fmt.cells():
        stated = seed[cell]
        got = values[cell]
        if fmt.kind(cell) == "percent":
            got, stated = str(got), str(stated)
        if got != stated:
            mismatches.append(f"{fmt.cell_label(cell)}：年报 {stated}，平台 {got}")
    assert mismatches == []
    assert built["identities"]["ok"]

    # the reporting demo steps then publish that report and the 2025 round, once
    mine = [
        "年度报告填报数据",
        "年度报告2018年度全市年报",
        "年度报告2025年度",
        "年度报告本年度草稿",
    ]
    summary = _run(
        [
            "-c",
            DJANGO
            + "from gongkai.apps.reporting.models import Report; "
            + "from gongkai.apps.reporting.selectors import reports_due; "
            + f"first = demo_load(only={mine!r}); second = demo_load(only={mine!r}); "
            + "r = Report.objects.get(agency__code='sz', year=2018); "
            + "print(json.dumps({'first': first, 'second': second, 'status': r.status, "
            + "'valid': r.is_valid, 'published': r.published_at.date().isoformat(), "
            + "'total': r.values['t1:total:n'], 'requests': r.values['t3:total:n'], "
            + "'html': '全市共办理依申请信息公开935件' in r.published_html, "
            + "'filed': sorted((d.title, __import__('re').findall(r'\\d+', d.body_text) == "
            + "__import__('re').findall(r'\\d+', __import__('gongkai.apps.catalog.richtext', "
            + "fromlist=['html_to_text']).html_to_text(Report.objects.get(agency__code='sz', "
            + "scope='city', year=int(d.external_id[-4:])).published_html)), "
            + "d.published_at.date().isoformat()) for d in __import__("
            + "'gongkai.apps.catalog.models', fromlist=['Document']).Document.objects.filter("
            + "column__kind='annual_report', agency__code='sz')), "
            + "'statuses': sorted({d.status for d in reports_due(year=2025)}), "
            + "'invalid_published': Report.objects.filter(status='published', "
            + "is_valid=False).count()}, ensure_ascii=False))",
        ],
        data,
    )
    result = json.loads(summary.strip().splitlines()[-1])
    assert result["first"] == mine and result["second"] == []
    assert (result["status"], result["valid"], result["published"]) == (
        "published",
        True,
        "2019-01-17",
    )
    assert (result["total"], result["requests"], result["html"]) == (248766, 935, True)
    # the catalogue holds that very report, once: one source for both pages
    assert result["filed"] == [
        ["示例市人民政府2018年政府信息公开工作年度报告", True, "2019-01-17"],
        ["示例市人民政府2025年政府信息公开工作年度报告", True, "2026-03-28"],
    ]
    assert result["statuses"] == sorted(["按时发布", "逾期发布", "草稿未发布", "未建立"])
    assert result["invalid_published"] == 0
