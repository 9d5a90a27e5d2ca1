import datetime as dt
import json

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import audit_verify
from gongkai.apps.notifications.models import Notice
from gongkai.apps.reporting import services
from gongkai.apps.reporting.errors import ReportError, ReportInvalid
from gongkai.apps.reporting.models import (
    EnteredFigure,
    Report,
    ReportFile,
    ReportReminder,
    ReportScope,
    ReportStatus,
)
from gongkai.apps.reporting.selectors import deadline_for, report_drilldown, reports_due
from gongkai.domain.reportfacts import CatalogFacts
from tests.apps.reporting.conftest import FILLED
from tests.pagecheck import assert_gbt9704_docx, assert_gbt9704_pdf

pytestmark = pytest.mark.django_db


def make(world, agency=None, **kw):
    return services.report_create(
        actor=kw.pop("actor", world.officer_a), agency=agency or world.dept_a, year=2025, **kw
    )


def state(report):
    report.refresh_from_db()
    return (report.status, dict(report.values), dict(report.narrative), report.is_valid)


def test_a_report_is_computed_from_the_records_with_a_draft_stating_the_figures(world, year_2025):
    report = make(world)
    assert report.format_code == "2021" and report.scope == ReportScope.SELF
    assert report.title == "测试市交通运输局2025年政府信息公开工作年度报告"
    v = report.values
    assert v["t3:new:total"] == 8 and v["t3:carried:total"] == 1
    assert v["t3:disclosed:natural_person"] == 6
    assert v["t3:partial:commercial"] == 1
    assert v["t3:unavailable.not_held:total"] == 1
    assert v["t3:carry_next:total"] == 1
    assert v["t4:n:reconsideration.upheld"] == 1
    assert v["t2:normative:in_force"] == 15
    assert (
        "全年新收政府信息公开申请8件，上年结转1件，办结8件，结转下年度继续办理1件"
        in (report.narrative["overview"])
    )
    assert report.validation["errors"] == []
    assert not report.is_valid  # the draft still has 【待填写】 markers
    assert any("待填写" in p for p in report.validation["narrative"])
    event = AuditEvent.objects.get(action="report.create")
    assert event.agency_id == world.dept_a.pk


def test_a_government_report_rolls_up_its_departments(world, year_2025):
    city = make(world, agency=world.city, scope=ReportScope.GOVERNMENT, actor=world.supervisor)
    assert city.values["t3:new:total"] == 9  # dept_a 8 + dept_b 1
    assert city.values["t3:withheld.third_party:total"] == 1
    assert city.title == "测试市人民政府（本级）2025年政府信息公开工作年度报告"
    assert "测试市政府本级" in city.narrative["overview"]


def test_creation_is_refused_with_a_reason_and_nothing_is_stored(world, year_2025):
    make(world)
    count = Report.objects.count()
    with pytest.raises(ReportError, match="已存在"):
        make(world)
    with pytest.raises(ReportError, match="不能编制"):
        make(world, scope=ReportScope.CITY)
    with pytest.raises(ReportError, match="尚未开始"):
        services.report_create(actor=world.officer_a, agency=world.dept_a, year=2030)
    with pytest.raises(ReportError, match="未知的年度报告格式"):
        make(world, agency=world.dept_b, format_code="1999")
    assert Report.objects.count() == count


def test_one_changed_cell_is_refused_at_publication_with_the_cell_named(world, year_2025):
    report = make(world)
    services.report_narrative_save(actor=world.officer_a, report=report, narrative=FILLED)
    report.refresh_from_db()
    assert report.is_valid
    services.report_adjust(
        actor=world.officer_a,
        report=report,
        cell="t3:disclosed:natural_person",
        value="7",
        reason="一件纸质申请未录入平台",
    )
    report.refresh_from_db()
    assert not report.is_valid
    assert report.validation["suspects"] == ["t3:disclosed:natural_person"]
    before = state(report)
    with pytest.raises(ReportInvalid) as refused:
        services.report_publish_request(actor=world.head_a, report=report)
    assert "表三“（一）予以公开”行“自然人”列" in str(refused.value)
    assert any("（七）总计等于各项办理结果之和" in p for p in refused.value.problems)
    assert state(report) == before
    assert not AuditEvent.objects.filter(action="report.publish_request").exists()
    # correcting the totals the same way makes it publishable again
    for cell, value in (
        ("t3:total:natural_person", "8"),
        ("t3:disclosed:total", "7"),
        ("t3:total:total", "9"),
        ("t3:new:natural_person", "8"),
        ("t3:new:total", "9"),
    ):
        services.report_adjust(
            actor=world.officer_a,
            report=report,
            cell=cell,
            value=value,
            reason="一件纸质申请未录入平台",
        )
    report.refresh_from_db()
    assert report.is_valid, report.validation


def test_adjustment_input_errors_are_chinese_and_change_nothing(world, year_2025):
    report = make(world)
    before = state(report)
    for cell, value, reason, message in (
        ("t3:nope:total", "1", "原因说明写清楚", "没有单元格"),
        ("t3:new:total", "1.5", "原因说明写清楚", "整数"),
        ("t3:new:total", "-1", "原因说明写清楚", "负数"),
        ("t3:new:total", "abc", "原因说明写清楚", "不是有效的数字"),
        ("t3:new:total", "3", "短", "调整原因"),
    ):
        with pytest.raises(ReportError, match=message):
            services.report_adjust(
                actor=world.officer_a, report=report, cell=cell, value=value, reason=reason
            )
    assert state(report) == before


def test_publication_renders_files_and_files_the_report(
    world, year_2025, django_capture_on_commit_callbacks
):
    report = make(world)
    services.report_narrative_save(actor=world.officer_a, report=report, narrative=FILLED)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_publish_request(actor=world.head_a, report=report)
    job.refresh_from_db()
    assert job.status == "done", job.error
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_by == world.head_a
    kinds = set(ReportFile.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == {"html", "docx", "xlsx", "pdf"}
    pdf = ReportFile.objects.get(report=report, kind="pdf")
    content = pdf.file.read()
    assert content[:4] == b"%PDF"
    assert_gbt9704_pdf(content)
    assert_gbt9704_docx(ReportFile.objects.get(report=report, kind="docx").file.read())
    assert "三、收到和处理政府信息公开申请情况" in report.published_html
    assert "公开目录" in job.result["公开目录"]
    actions = list(
        AuditEvent.objects.filter(agency_id=world.dept_a.pk).values_list("action", flat=True)
    )
    for action in ("report.publish_request", "report.publish", "report.catalogue_file"):
        assert action in actions
    assert Notice.objects.filter(user=world.supervisor, kind="reporting.published").exists()
    assert audit_verify().ok
    with pytest.raises(ReportError, match="已发布"):
        services.report_narrative_save(actor=world.officer_a, report=report, narrative=FILLED)


def test_a_failed_rendering_puts_the_report_back_to_draft(
    world, year_2025, monkeypatch, django_capture_on_commit_callbacks
):
    report = make(world)
    services.report_narrative_save(actor=world.officer_a, report=report, narrative=FILLED)

    def broken(*args, **kwargs):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(services, "report_render_all", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_publish_request(actor=world.head_a, report=report)
    job.refresh_from_db()
    assert job.status == "failed" and "字体缺失" in job.error
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not ReportFile.objects.filter(report=report).exists()
    event = AuditEvent.objects.get(action="report.publish_fail")
    assert "字体缺失" in event.after


def test_entered_figures_reach_drafts_and_are_marked(world, year_2025):
    report = make(world)
    services.entered_figure_set(
        actor=world.officer_a,
        agency=world.dept_a,
        year=2025,
        key="licensing.decisions",
        value="1,520",
        note="双公示系统",
    )
    report.refresh_from_db()
    assert report.values["t2:licensing:decisions"] == 1520
    services.entered_figure_set(
        actor=world.officer_a, agency=world.dept_a, year=2025, key="fees.amount_wan", value="12.5"
    )
    report.refresh_from_db()
    assert report.values["t2:fees:amount"] == "12.5000"
    with pytest.raises(ReportError, match="没有填报项目"):
        services.entered_figure_set(
            actor=world.officer_a, agency=world.dept_a, year=2025, key="x", value="1"
        )
    with pytest.raises(ReportError, match="整数"):
        services.entered_figure_set(
            actor=world.officer_a,
            agency=world.dept_a,
            year=2025,
            key="penalty.decisions",
            value="2.5",
        )
    assert EnteredFigure.objects.filter(agency=world.dept_a).count() == 2
    services.entered_figure_set(
        actor=world.officer_a, agency=world.dept_a, year=2025, key="licensing.decisions", value=""
    )
    report.refresh_from_db()
    assert report.values["t2:licensing:decisions"] == 0
    assert AuditEvent.objects.filter(action="entered_figure.set").count() == 3


def test_refresh_takes_new_records_and_keeps_text_and_adjustments(world, year_2025):
    report = make(world)
    services.report_narrative_save(actor=world.officer_a, report=report, narrative=FILLED)
    services.report_adjust(
        actor=world.officer_a,
        report=report,
        cell="t2:rules:in_force",
        value="3",
        reason="规章由市政府统一发布",
    )
    year_2025.case(world.dept_a, dt.date(2025, 8, 1), dt.date(2025, 8, 5))
    report = services.report_refresh(actor=world.officer_a, report=report)
    assert report.values["t3:new:total"] == 9
    assert report.values["t2:rules:in_force"] == 3
    assert report.computed["t2:rules:in_force"] == 0
    assert report.narrative["overview"] == FILLED["overview"]
    services.report_adjustment_remove(
        actor=world.officer_a, report=report, cell="t2:rules:in_force"
    )
    report.refresh_from_db()
    assert report.values["t2:rules:in_force"] == 0


def test_last_years_carry_over_is_checked(world, year_2025):
    last = services.report_create(actor=world.officer_a, agency=world.dept_a, year=2024)
    assert last.values["t3:carry_next:total"] == 1
    report = make(world)
    assert report.validation["errors"] == []
    services.report_adjust(
        actor=world.officer_a,
        report=last,
        cell="t3:carry_next:natural_person",
        value="2",
        reason="补录一件跨年案件",
    )
    report = services.report_refresh(actor=world.officer_a, report=report)
    keys = [e["key"] for e in report.validation["errors"]]
    assert "t3.carry_over[natural_person]" in keys


def test_drilldown_lists_agencies_and_cases(world, year_2025):
    report = make(world, agency=world.city, scope=ReportScope.GOVERNMENT, actor=world.supervisor)
    found = report_drilldown(report, ("t3", "new", "total"))
    assert [(r.agency.code, r.value) for r in found.rows] == [("depta", 8), ("deptb", 1)]
    assert found.total == 9 and len(found.records) == 9 and found.hidden == 0
    assert all(r.ref.startswith("YSQ-2025-") for r in found.records)
    found = report_drilldown(report, ("t4", "n", "reconsideration.upheld"))
    assert found.total == 1 and found.records[0].what == "行政复议：结果维持"
    # a reader of one agency sees the other agencies' figures but not their cases
    found = report_drilldown(report, ("t3", "new", "total"), readable={world.dept_b.pk})
    assert len(found.rows) == 2 and found.total == 9 and found.hidden == 8
    assert {r.agency.code for r in found.records} == {"deptb"}


def test_deadlines_are_data_and_reminders_go_once(world, year_2025):
    assert deadline_for(world.dept_a, 2025) == dt.date(2026, 1, 31)
    assert deadline_for(world.city, 2025) == dt.date(2026, 3, 31)
    assert deadline_for(world.dept_a, 2018) == dt.date(2019, 3, 31)
    sent = services.report_reminders_send(today=dt.date(2026, 1, 2))
    assert sent == 4  # city, two departments, county
    assert Notice.objects.filter(user=world.officer_a, kind="reporting.reminder").count() == 1
    assert services.report_reminders_send(today=dt.date(2026, 1, 3)) == 0
    assert services.report_reminders_send(today=dt.date(2026, 1, 25)) == 2  # departments' week
    assert services.report_reminders_send(today=dt.date(2026, 2, 1)) == 2  # departments overdue
    assert ReportReminder.objects.filter(agency=world.dept_a).count() == 3
    assert services.report_reminders_send(today=dt.date(2026, 3, 31)) == 2  # governments' day
    due = {d.agency.code: d for d in reports_due(year=2025)}
    assert due["depta"].status == "未建立" and due["city"].deadline == dt.date(2026, 3, 31)


def test_deadline_rules_are_edited_as_data_and_default_when_emptied(world):
    from gongkai.apps.reporting.models import ReportDeadline

    ReportDeadline.objects.all().delete()
    ReportDeadline.objects.create(
        agency_kind="department", month=1, day=26, first_year=2019, basis="地方规定"
    )
    assert deadline_for(world.dept_a, 2025) == dt.date(2026, 1, 26)
    assert deadline_for(world.city, 2025) is None  # only the rows an administrator keeps
    ReportDeadline.objects.all().delete()
    assert deadline_for(world.dept_a, 2025) == dt.date(2026, 1, 31)
    assert deadline_for(world.city, 2025) == dt.date(2026, 3, 31)


def test_a_township_report_with_rules_is_refused_publication(world, year_2025):
    """Documents a 乡镇 tagged as 规章 reach table 二; the builder marks the report invalid."""
    from gongkai.apps.organizations.models import Agency

    Agency.objects.filter(pk=world.dept_a.pk).update(level="township")
    world.dept_a.refresh_from_db()
    year_2025.catalog[0] = CatalogFacts(world.dept_a.pk, 2025, rules=(1, 0, 1))
    report = make(world)
    assert report.values["t2:rules:made"] == 1
    report.refresh_from_db()
    assert report.is_valid is False
    assert "乡镇人民政府、街道办事处不能制定规章" in json.dumps(
        report.validation, ensure_ascii=False
    )
