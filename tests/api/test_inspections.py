"""双随机一公开 API: public reads, re-verification, and results pushed by the inspecting agency."""

from __future__ import annotations

import json

import pytest

from gongkai import clock
from gongkai.apps.inspections.models import DrawDocumentKind, TaskStatus
from gongkai.apps.inspections.selectors import task_document
from gongkai.apps.inspections.services import draw_execute, task_freeze, task_results_publish
from tests.apps.inspections.factories import OBSERVED, make_setup, sources

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def task(world):
    setup = make_setup(world)
    frozen = task_freeze(actor=world.officer_a, task=setup.task(), sources=sources(TODAY))
    return draw_execute(actor=world.officer_a, task=frozen, observed=OBSERVED)


def test_tasks_and_detail_are_public(client, task, world):
    listing = client.get("/api/inspections/tasks").json()
    assert listing["count"] == 1 and listing["results"][0]["record_hash"] == task.record_hash
    detail = client.get(f"/api/inspections/tasks/{task.pk}").json()
    assert detail["key_string"] == "3.9.16.21.27.33./7./"
    assert [s["value"] for s in detail["sources"]] == OBSERVED
    record = client.get(f"/api/inspections/tasks/{task.pk}/record").json()
    assert record["record_hash"] == task.record_hash
    assert (
        client.get(f"/api/inspections/tasks/{task.pk}/results").status_code == 404
    )  # not yet published


def test_verify_endpoint(client, task):
    raw = task_document(task, DrawDocumentKind.RECORD).text_bytes()
    ok = client.post(
        f"/api/inspections/verify?commitment_hash={task.commitment_hash}",
        raw,
        content_type="application/json",
    ).json()
    assert ok["ok"] is True and ok["difference"] == ""
    record = json.loads(raw)
    record["result"]["assignments"][0]["inspectors"].reverse()
    bad = client.post(
        "/api/inspections/verify", json.dumps(record), content_type="application/json"
    ).json()
    assert bad["ok"] is False and "第 1 个检查对象" in bad["difference"]
    assert (
        client.post("/api/inspections/verify", "x", content_type="application/json").status_code
        == 400
    )


def test_results_push_permission_matrix(client, client_for, task, world):
    selections = list(task.selections.filter(is_standby=False).select_related("entity"))
    body = {
        "results": [
            {"uscc": s.entity.uscc, "result": "未发现问题", "checked_on": "2026-11-10"}
            for s in selections
        ]
    }
    url = f"/api/inspections/tasks/{task.pk}/results"
    assert client.post(url, body, content_type="application/json").status_code == 401
    for user in (world.applicant, world.officer_b, world.reviewer_a):
        assert client_for(user).post(url, body, content_type="application/json").status_code == 403
    assert not task.selections.exclude(result="").exists()
    bad = {
        "results": [*body["results"][:-1], {"uscc": selections[-1].entity.uscc, "result": "不知道"}]
    }
    response = client_for(world.officer_a).post(url, bad, content_type="application/json")
    assert response.status_code == 400 and "无法识别的检查结果" in response.json()["detail"]
    assert not task.selections.exclude(result="").exists()  # all or nothing
    assert client_for(world.officer_a).post(url, body, content_type="application/json").json() == {
        "saved": len(selections)
    }
    task_results_publish(actor=world.officer_a, task=task)
    results = client.get(url).json()
    assert len(results) == len(selections) and results[0]["result_label"] == "未发现问题"
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED


def test_a_draft_is_not_in_the_api(client, world):
    setup = make_setup(world, entities=10)
    draft = setup.task()
    assert client.get(f"/api/inspections/tasks/{draft.pk}").status_code == 404
    assert client.get("/api/inspections/tasks").json()["count"] == 0


def test_lottery_api_publishes_masked_names_only(client, world):
    from gongkai.apps.inspections.services import (
        lottery_applicants_import,
        lottery_create,
        lottery_draw,
        lottery_freeze,
    )

    lottery = lottery_create(
        actor=world.officer_a,
        agency=world.dept_a,
        title="公租房摇号",
        project="安居苑",
        year=2026,
        groups=[("1", "一般家庭", 1)],
    )
    lottery_applicants_import(
        actor=world.officer_a,
        lottery=lottery,
        content="申请编号,姓名,身份证号码,类别\nA-1,张小明,11010519491231002X,1\nA-2,李四,440524188001010014,1\n".encode(),
        file_name="a.csv",
    )
    assert client.get("/api/inspections/lotteries").json() == []  # a draft is not public
    lottery_draw(
        actor=world.officer_a,
        lottery=lottery_freeze(actor=world.officer_a, lottery=lottery, sources=sources(TODAY)),
        observed=OBSERVED,
    )
    (listed,) = client.get("/api/inspections/lotteries").json()
    assert listed["record_hash"] and [s["value"] for s in listed["sources"]] == OBSERVED
    rows = client.get(f"/api/inspections/lotteries/{lottery.pk}/applicants").json()
    assert {r["masked_name"] for r in rows} == {"李*", "张*明"}
    text = json.dumps(rows, ensure_ascii=False)
    assert "张小明" not in text and "11010519491231002X" not in text
    assert [r["sequence"] for r in rows] == [1, 2] and sum(r["selected"] for r in rows) == 1
