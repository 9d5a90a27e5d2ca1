"""The demo city's 63 websites: each with a scored check, the sample re-runnable, tasks queued."""

from __future__ import annotations

import io
import time

import pytest
from docx import Document
from openpyxl import load_workbook

from gongkai import clock
from gongkai.apps.webcheck.models import (
    Check,
    MediaAccount,
    MediaCheck,
    Rectification,
    Sample,
    Site,
)
from gongkai.demo.world import demo_load
from gongkai.domain.draws.record import verify_record

STEPS = ["网站设置", "机关名录", "工作人员和申请人账户", "政府网站检查：名录、监测、抽查与评分"]


@pytest.mark.django_db
def test_demo_webcheck(client):
    started = time.monotonic()
    assert demo_load(only=STEPS) == STEPS
    assert time.monotonic() - started < 120
    assert Site.objects.count() == 63
    latest = {}
    for check in Check.objects.filter(state="done").order_by("checked_on", "pk"):
        latest[check.site_id] = check
    assert len(latest) == 63
    assert all(c.result and c.result["results"] for c in latest.values())
    verdicts = {c.verdict for c in latest.values()}
    assert {"pass", "fail"} <= verdicts
    assert any(c.vetoes for c in latest.values())
    for check in latest.values():
        for row in check.result["results"]:
            if row["outcome"] in ("veto", "deduct"):
                assert row["evidence"], (check.site.name, row["key"])
    sample = Sample.objects.get()
    assert verify_record(sample.record, expected_commitment_hash=sample.commitment_hash).ok
    assert len(sample.drawn_codes) == 19
    assert Check.objects.filter(sample=sample).count() == 19
    assert Rectification.objects.filter(state="open").exists()
    client.force_login(_supervisor())
    queue = client.get("/backoffice/").content.decode()
    assert "网站检查：整改任务" in queue
    assert client.get("/backoffice/webcheck/").status_code == 200
    report = client.get("/backoffice/webcheck/report/").content.decode()
    assert "<svg" in report
    _media(client)
    _exports(client, latest)
    _annual_report_figures(latest)


def _media(client):
    """Every registered account has a check from its records; failing ones have tasks."""
    accounts = MediaAccount.objects.count()
    assert accounts == 24
    checks = {c.account_id: c for c in MediaCheck.objects.all()}
    assert len(checks) == accounts
    verdicts = {c.verdict for c in checks.values()}
    assert {"pass", "fail"} <= verdicts
    for check in checks.values():
        for row in check.result["results"]:
            if row["outcome"] in ("veto", "deduct"):
                assert row["evidence"], (str(check.account), row["key"])
    assert Rectification.objects.filter(account__isnull=False, state="open").exists()
    page = client.get("/backoffice/webcheck/media/").content.decode()
    assert page.count("/backoffice/webcheck/media/checks/") == accounts
    assert "内容不更新" in page
    failing = next(c for c in checks.values() if c.verdict == "fail")
    report = client.get(failing.get_backoffice_url()).content.decode()
    assert "新媒体检查报告" in report and "不合格" in report and "证据" in report
    account = client.get(failing.account.get_backoffice_url()).content.decode()
    assert "最近的发布" in account and failing.veto_labels.split("、")[0] in account


def _exports(client, latest):
    """The workbook and the circular open, and hold what the pages show."""
    response = client.get("/backoffice/webcheck/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["网站检查结果", "新媒体检查结果", "问题与证据", "整改任务"]
    sites = list(book["网站检查结果"].iter_rows(min_row=2, values_only=True))
    assert len(sites) == 63
    failed = sum(1 for c in latest.values() if c.verdict == "fail")
    assert sum(1 for row in sites if row[5] == "不合格") == failed
    findings = list(book["问题与证据"].iter_rows(min_row=2, values_only=True))
    assert findings and all(row[9] for row in findings)
    open_tasks = Rectification.objects.filter(state="open").count()
    assert book["整改任务"].max_row - 1 == open_tasks
    response = client.get("/backoffice/webcheck/export.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "政府网站与政务新媒体检查情况通报" in text
    assert "全市开设政府网站63个，已检查63个" in text
    assert f"不合格{failed}个" in text


def _annual_report_figures(latest):
    """The city's annual report draft states the year's checks from the records."""
    from gongkai.apps.organizations.selectors import agency_root
    from gongkai.apps.reporting.selectors import report_compute
    from gongkai.domain.reports.narrative import Context, draft_narrative

    year = clock.today().year
    this_year = [c for c in latest.values() if c.checked_on.year == year]
    root = agency_root()
    built, _bundle = report_compute(agency=root, year=year, scope="city")
    text = draft_narrative(
        built.fmt, built.values, built.measures, Context(year, root.name, "全市")
    )
    checks = Check.objects.filter(state="done", checked_on__year=year).count()
    passed = sum(1 for c in this_year if c.verdict == "pass")
    assert f"全年开展政府网站检查{checks}次，覆盖网站{len(this_year)}个" in text["overview"]
    assert f"最近一次检查合格{passed}个" in text["overview"]
    assert "检查政务新媒体账号24个" in text["overview"]


def _supervisor():
    from gongkai.apps.accounts.models import RoleGrant

    return RoleGrant.objects.filter(role="supervisor").first().user
