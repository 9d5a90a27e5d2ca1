"""The demo city's 2018 requests reproduce the seed report figure by figure, and the current
year has a case in every state for the demo logins."""

import time
from collections import Counter

import pytest

from gongkai.apps.applications.models import Application
from gongkai.apps.applications.selectors import appeal_report_facts, application_report_facts
from gongkai.apps.audit.services import audit_verify
from gongkai.demo.world import demo_load
from gongkai.domain.decisions import DECISIONS_BY_CODE, LegacyCategory
from gongkai.domain.reportfacts import AppealKind, AppealResult, RequestChannel

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FOUNDATION = ["网站设置", "机关名录", "工作人员和申请人账户"]

# 2018年，全市共办理依申请信息公开935件 … (seed report, section 八)
SEED = {
    "total": 935,
    "channels": {"当面": 96, "传真": 2, "网络": 95, "信函": 742},
    "timing": {"按时办结": 924, "延期办结": 11},
    "outcomes": {
        "属于已主动公开": 81,
        "同意公开": 238,
        "同意部分公开": 80,
        "不同意公开": 85,
        "不属于本行政机关公开": 121,
        "申请信息不存在": 243,
        "告知作出更改补充": 45,
        "告知通过其他途径办理": 42,
    },
    "reconsideration": {"维持": 49, "纠错": 9, "其他": 8},
    "litigation": {"维持或驳回": 42, "纠错": 2, "其他": 12},
}
CHANNEL_2008 = {
    RequestChannel.IN_PERSON: "当面",
    RequestChannel.FAX: "传真",
    RequestChannel.ONLINE: "网络",
    RequestChannel.EMAIL: "网络",
    RequestChannel.LETTER: "信函",
}
RESULT = {AppealResult.UPHELD: "维持", AppealResult.CORRECTED: "纠错", AppealResult.OTHER: "其他"}


@pytest.fixture
def demo_2018():
    from gongkai.apps.organizations.models import Agency

    demo_load(only=FOUNDATION)
    started = time.monotonic()
    demo_load(only=["依申请公开2018年度"])
    seconds = time.monotonic() - started
    return list(Agency.objects.values_list("id", flat=True)), seconds


def test_the_2018_demo_reproduces_every_seed_figure(demo_2018):
    agency_ids, seconds = demo_2018
    facts = application_report_facts(agency_ids=agency_ids, year=2018)
    assert len(facts) == SEED["total"]
    assert all(f.received.year == 2018 and f.closed and f.closed.year == 2018 for f in facts)
    assert Counter(CHANNEL_2008[f.channel] for f in facts) == SEED["channels"]
    timing = Counter("延期办结" if f.extended else "按时办结" for f in facts if f.on_time is True)
    assert timing == SEED["timing"]
    outcomes = Counter(DECISIONS_BY_CODE[f.decision].legacy.value for f in facts)
    assert outcomes == SEED["outcomes"]
    assert LegacyCategory.OTHER.value not in outcomes
    appeals = appeal_report_facts(agency_ids=agency_ids, year=2018)
    reconsideration = Counter(
        RESULT[a.result] for a in appeals if a.kind is AppealKind.RECONSIDERATION
    )
    litigation = Counter(
        RESULT[a.result].replace("维持", "维持或驳回")
        for a in appeals
        if a.kind is not AppealKind.RECONSIDERATION
    )
    assert reconsideration == SEED["reconsideration"]
    assert litigation == SEED["litigation"]
    assert all(a.decided and a.decided.year == 2018 for a in appeals)
    # spread over the city's agencies, numbered per agency without gaps
    per_agency = Counter(f.agency_id for f in facts)
    assert len(per_agency) >= 30
    for agency_id, count in per_agency.items():
        seqs = sorted(
            Application.objects.filter(agency_id=agency_id, year=2018).values_list("seq", flat=True)
        )
        assert seqs == list(range(1, count + 1))
    assert seconds < 60
    assert audit_verify().ok


def test_the_2018_demo_is_loaded_once_and_deterministic(demo_2018):
    first = list(Application.objects.order_by("id").values_list("number", "agency_id", "decision"))
    assert demo_load(only=["依申请公开2018年度"]) == []
    assert Application.objects.count() == len(first)
    names = Application.objects.values_list("applicant_name", flat=True)
    assert all(names) and len(set(names)) > 500


def test_current_year_has_every_state_for_the_demo_logins():
    demo_load(only=[*FOUNDATION, "依申请公开本年度"])
    jtj = Application.objects.filter(agency__code="jtj")
    states = set(jtj.values_list("state", flat=True))
    assert states >= {
        "registered",
        "processing",
        "correction",
        "consulting",
        "fee",
        "review",
        "replied",
        "delivered",
        "archived",
        "withdrawn",
    }
    assert jtj.filter(extension_status="requested").exists()
    assert jtj.filter(applicant_user__username="zhangsan", state="correction").exists()
    assert jtj.filter(repeat_of__isnull=False).exists()
    assert jtj.filter(appeals__isnull=False).exists()
    assert Application.objects.exclude(agency__code="jtj").filter(year__gte=2026).count() >= 150
    assert audit_verify().ok


def test_2025_fills_the_published_reports_tables_three_and_four():
    """The demo publishes its 2025 annual reports: their 依申请公开 tables come from 2025 cases,
    some carried into 2026, and 2025 appeals, some undecided at the year end."""
    from gongkai.apps.applications.models import CaseLetter
    from gongkai.apps.organizations.models import Agency

    demo_load(only=[*FOUNDATION, "依申请公开本年度", "依申请公开2025年度"])
    agency_ids = list(Agency.objects.values_list("id", flat=True))
    facts = application_report_facts(agency_ids=agency_ids, year=2025)
    assert len(facts) >= 600
    assert all(f.received.year == 2025 for f in facts)
    assert {f.received.month for f in facts} == set(range(1, 13))
    carried = [f for f in facts if f.closed and f.closed.year == 2026]
    assert 1 <= len(carried) <= 10
    assert sum(1 for f in facts if f.on_time is False) >= 1
    assert len({DECISIONS_BY_CODE[f.decision].legacy for f in facts}) >= 7
    appeals = appeal_report_facts(agency_ids=agency_ids, year=2025)
    assert {a.kind for a in appeals} == set(AppealKind)
    assert AppealResult.PENDING in {a.result for a in appeals}
    # reply letters of cases closed in 2026 continue the agency's 2026 numbering
    numbers = list(
        CaseLetter.objects.values_list("application__agency_id", "number").order_by("number")
    )
    assert len(numbers) == len(set(numbers))
    assert demo_load(only=["依申请公开2025年度"]) == []
    assert audit_verify().ok
