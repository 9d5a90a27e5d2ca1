"""The demo city's 63 websites: each with a scored check, the sample re-runnable, tasks queued."""

from __future__ import annotations

import time

import pytest

from gongkai.apps.webcheck.models import Check, Rectification, Sample, Site
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


def _supervisor():
    from gongkai.apps.accounts.models import RoleGrant

    return RoleGrant.objects.filter(role="supervisor").first().user
