"""条例第三十五条 end to end: requests clearly beyond a reasonable number or frequency. The back
office asks for reasons (说明理由告知书, its period explained day by day, the answer period
running on); reasonable reasons that cannot be answered in time get a later answer date (延迟
答复告知书, the deadline carried on to it day by day); none or unreasonable ones a reply 不予处理,
counted in table 三 （五）4 of the annual report. Through the pages with CSRF and the API with a
token."""

import datetime as dt
import io
import json
import re

import pytest
from django.test import Client
from docx import Document

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import Application
from gongkai.apps.applications.selectors import application_deadline, application_report_facts
from gongkai.apps.applications.services.common import today
from gongkai.apps.audit.models import AuditEvent
from gongkai.domain.deadlines import DEFERRAL_LABEL, DayStatus
from gongkai.domain.vocabulary import action_label
from tests.apps.applications.factories import clear_rate_limits, person

pytestmark = pytest.mark.django_db

BASE = "/api/applications/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


def _last_year(month: int, day: int) -> dt.date:
    return dt.date(today().year - 1, month, day)


def _case(world, received: dt.date) -> Application:
    """A request handed in at the counter last year (so every step date lies in the past)."""
    app = svc.application_register(
        actor=world.officer_a,
        agency=world.dept_a,
        channel="in_person",
        applicant=person(),
        description="请求公开本局2020年以来全部行政处罚决定书及其卷宗",
        submitted_on=received,
        confirmed_on=received,
    )
    return svc.application_accept(actor=world.officer_a, application=app, on=received)


def _staff(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _act(client, app, action, data):
    page = client.get(f"/backoffice/applications/{app.pk}/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(
        f"/backoffice/applications/{app.pk}/act/{action}/",
        {**data, "csrfmiddlewaretoken": token},
    )


def _letter_text(client, app, kind) -> str:
    letter = app.letters.get(kind=kind)
    response = client.get(f"/backoffice/applications/{app.pk}/letters/{letter.pk}.docx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_without_the_csrf_token_nothing_changes(world):
    app = _case(world, _last_year(3, 2))
    client = _staff(world.officer_a)
    response = client.post(
        f"/backoffice/applications/{app.pk}/act/reasons_request/", {"grounds": "量大"}
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.state == "processing" and app.reasons_requested_on is None


def test_unreasonable_reasons_end_in_a_reply_counted_in_table_three(world):
    received = _last_year(3, 2)
    app = _case(world, received)
    officer = _staff(world.officer_a)
    asked = received + dt.timedelta(days=2)
    # 不予处理 is not offered before the applicant was asked for reasons
    page = officer.get(f"/backoffice/applications/{app.pk}/").content.decode()
    assert 'value="ignored.excessive"' not in page
    response = _act(
        officer,
        app,
        "reasons_request",
        {
            "grounds": "您自1月1日至3月1日共提出政府信息公开申请86件。",
            "on": asked.isoformat(),
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "reasons" and app.reasons_requested_on == asked
    due_before = app.due_date
    assert due_before is not None  # the answer period runs on

    letter = _letter_text(officer, app, "reasons")
    assert "政府信息公开申请说明理由告知书" in app.letters.get(kind="reasons").title
    assert "您自1月1日至3月1日共提出政府信息公开申请86件。" in letter
    assert "第三十五条的规定，请您于" in letter and "前以书面形式向本机关说明申请理由" in letter

    page = officer.get(f"/backoffice/applications/{app.pk}/").content.decode()
    assert "待说明理由" in page
    assert "说明理由期限逐日计算" in page and "说明理由期限届满" in page
    event = AuditEvent.objects.get(action="application.reasons_request")
    assert action_label(event.action) == "要求申请人说明理由（条例第三十五条）"
    assert "要求申请人说明理由（条例第三十五条）" in page  # the case history names the step

    # the only reply now is 不予处理 (第三十五条)
    assert 'value="ignored.excessive"' in page and 'value="disclosed"' not in page
    response = _act(
        officer,
        app,
        "reply_draft",
        {"decision": "ignored.excessive", "text": "您在期限内未说明理由。"},
    )
    assert response.status_code == 302
    reviewer = _staff(world.reviewer_a)
    replied_on = received + dt.timedelta(days=20)
    response = _act(reviewer, app, "review", {"verdict": "approve", "on": replied_on.isoformat()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "replied" and app.decision == "ignored.excessive"
    reply = _letter_text(reviewer, app, "reply")
    assert f"本机关已于{asked.year}年{asked.month}月{asked.day}日要求您说明理由" in reply
    assert "第三十五条的规定，本机关不予处理" in reply

    from gongkai.apps.reporting import services as reporting

    report = reporting.report_create(actor=world.officer_a, agency=world.dept_a, year=received.year)
    assert report.values["t3:ignored.excessive:natural_person"] == 1
    assert report.values["t3:ignored.excessive:total"] == 1


def test_reasonable_reasons_get_a_later_answer_date_day_by_day(world):
    received = _last_year(6, 1)
    app = _case(world, received)
    officer = _staff(world.officer_a)
    asked = received + dt.timedelta(days=1)
    assert (
        _act(
            officer,
            app,
            "reasons_request",
            {"grounds": "近30日内申请45件。", "on": asked.isoformat()},
        ).status_code
        == 302
    )
    app.refresh_from_db()
    old_due = app.due_date
    # a date not later than the statutory one is refused with the reason, nothing changes
    response = _act(
        officer,
        app,
        "reasons_accept",
        {"until": old_due.isoformat(), "on": (asked + dt.timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 400
    assert "应晚于现在的答复期限" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "reasons" and app.deferred_until is None

    until = old_due + dt.timedelta(days=14)
    accepted = asked + dt.timedelta(days=5)
    response = _act(
        officer,
        app,
        "reasons_accept",
        {
            "note": "用于学术研究，已说明用途。",
            "until": until.isoformat(),
            "on": accepted.isoformat(),
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "processing" and app.deferred_until == until
    assert until <= app.due_date <= until + dt.timedelta(days=10)

    deadline = application_deadline(app)
    assert deadline.due == app.due_date and deadline.due_without_deferral == old_due
    deferred = [n for n in deadline.days if n.reason == DEFERRAL_LABEL]
    assert deferred[0].day > old_due and deferred[-1].day == app.due_date
    assert deferred[-1].status == DayStatus.DUE and deadline.deferred_days == len(deferred)
    assert any("延迟答复（条例第三十五条）" in line for line in deadline.explain())

    page = officer.get(f"/backoffice/applications/{app.pk}/").content.decode()
    assert f"含延迟答复{deadline.deferred_days}个工作日（条例第三十五条）" in page

    letter = _letter_text(officer, app, "deferral")
    d = app.due_date
    assert f"确定延迟答复的期限为{d.year}年{d.month}月{d.day}日" in letter
    assert f"第三十三条规定的期限（{old_due.year}年{old_due.month}月{old_due.day}日）" in letter
    event = AuditEvent.objects.get(action="application.reasons_accept")
    recorded = json.loads(event.after)
    assert recorded["deferred_until"] == until.isoformat()
    assert recorded["due_date"] == app.due_date.isoformat()

    # the reply given by the later date is on time, and counts as extended (延期办结)
    svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="not_exist", text="经检索未找到。"
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app, on=app.due_date)
    assert app.on_time is True
    (fact,) = application_report_facts(agency_ids=[world.dept_a.pk], year=received.year)
    assert fact.extended is True


def test_the_api_runs_the_step_with_a_token(world, client):
    from gongkai.apps.accounts.services import api_token_create

    token = api_token_create(actor=world.officer_a, user=world.officer_a, name="测试")
    key = token[1] if isinstance(token, tuple) else token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    received = _last_year(9, 1)
    app = _case(world, received)

    def post(path, data):
        return client.post(
            f"{BASE}cases/{app.pk}/{path}",
            json.dumps(data),
            content_type="application/json",
            **headers,
        )

    r = post("reasons", {"grounds": "  "})
    assert r.status_code == 400 and "数量、频次明显超过合理范围" in r.json()["detail"]
    asked = received + dt.timedelta(days=1)
    until = received + dt.timedelta(days=12)
    r = post(
        "reasons",
        {"grounds": "一个月内申请60件。", "until": until.isoformat(), "on": asked.isoformat()},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == "reasons" and body["reasons_until"] == until.isoformat()
    assert "reasons_accept" in body["allowed_actions"]
    assert any(letter["title"] == "政府信息公开申请说明理由告知书" for letter in body["letters"])
    r = post("reasons", {"grounds": "再次要求。"})
    assert r.status_code in (400, 403)
    assert "不能" in r.json()["detail"]
    old_due = Application.objects.get(pk=app.pk).due_date
    later = old_due + dt.timedelta(days=7)
    r = post(
        "reasons-accepted",
        {
            "note": "理由合理",
            "until": later.isoformat(),
            "on": (asked + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == "processing" and body["deferred_until"] == later.isoformat()
    assert dt.date.fromisoformat(body["due_date"]) >= later
    assert any("延迟答复（条例第三十五条）" in line for line in body["deadline_explanation"])
    assert AuditEvent.objects.filter(action="application.reasons_accept").count() == 1
