"""Pages: what the public sees, what staff may do, and that denied actions change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from gongkai import clock
from gongkai.apps.inspections.models import (
    DrawDocumentKind,
    InspectionTask,
    LotteryStatus,
    ResultCategory,
    TaskStatus,
)
from gongkai.apps.inspections.selectors import task_document
from gongkai.apps.inspections.services import (
    draw_execute,
    lottery_applicants_import,
    lottery_create,
    lottery_draw,
    lottery_freeze,
    task_freeze,
    task_result_record,
    task_results_publish,
)
from tests.apps.inspections.factories import OBSERVED, make_setup, sources

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def setup(world):
    return make_setup(world)


def frozen(setup):
    return task_freeze(actor=setup.world.officer_a, task=setup.task(), sources=sources(TODAY))


def drawn(setup):
    return draw_execute(actor=setup.world.officer_a, task=frozen(setup), observed=OBSERVED)


def published(setup):
    task = drawn(setup)
    for s in task.selections.filter(is_standby=False):
        task_result_record(
            actor=setup.world.officer_a,
            selection=s,
            result=ResultCategory.NO_PROBLEM,
            checked_on=task.check_start,
        )
    return task_results_publish(actor=setup.world.officer_a, task=task)


# ---- portal ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/",
        "/inspections/tasks/",
        "/inspections/items/",
        "/inspections/rules/",
        "/inspections/entities/?q=商贸",
        "/inspections/lotteries/",
        "/inspections/verify/",
    ],
)
def test_public_pages_open_for_anyone(client, setup, url):
    published(setup)
    response = client.get(url)
    assert response.status_code == 200
    assert "双随机一公开" in response.content.decode() or "摇号" in response.content.decode()


def test_a_draft_is_not_public(client, setup):
    task = setup.task()
    assert client.get(f"/inspections/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/inspections/tasks/{task.pk}/commitment.json").status_code == 404
    assert task.title not in client.get("/inspections/tasks/").content.decode()


def test_a_frozen_task_shows_its_commitment_and_future_sources(client, setup):
    task = frozen(setup)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert task.commitment_hash in page
    assert "双色球第2026138期红球" in page and "尚未公布" in page
    download = client.get(f"/inspections/tasks/{task.pk}/commitment.json")
    assert hashlib.sha256(download.content).hexdigest() == task.commitment_hash
    assert download["X-Content-SHA256"] == task.commitment_hash


def test_a_drawn_task_shows_the_record_and_the_drawn_entities_but_not_results_yet(client, setup):
    task = drawn(setup)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert task.record_hash in page and "3 9 16 21 27 33" in page
    first = task.selections.filter(is_standby=False).order_by("draw_order").first()
    assert first.entity.uscc in page
    assert "抽中的检查对象" in page and '<th scope="col">检查结果</th>' not in page
    assert client.get(f"/inspections/tasks/{task.pk}/results.csv").status_code == 404
    record = json.loads(client.get(f"/inspections/tasks/{task.pk}/record.json").content)
    assert record["record_hash"] == task.record_hash


def test_published_results_appear_with_their_deadline(client, setup):
    task = published(setup)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "未发现问题" in page and "按期公示" in page
    assert task.due_date.strftime("%Y年") in page or f"{task.due_date.year}年" in page
    csv_text = client.get(f"/inspections/tasks/{task.pk}/results.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("序号,统一社会信用代码")
    assert len(csv_text.splitlines()) == task.selected_count + 1
    entity = task.selections.filter(is_standby=False).first().entity
    history = client.get(f"/inspections/entities/{entity.uscc}/").content.decode()
    assert task.number in history and "未发现问题" in history


def test_task_list_query_count_does_not_grow_with_tasks(
    client, world, django_assert_max_num_queries
):
    setup = make_setup(world, entities=30)
    task_freeze(actor=world.officer_a, task=setup.task(), sources=sources(TODAY))
    one = _queries(client, "/inspections/tasks/", django_assert_max_num_queries)
    for _ in range(4):
        task_freeze(actor=world.officer_a, task=setup.task(), sources=sources(TODAY))
    assert _queries(client, "/inspections/tasks/", django_assert_max_num_queries) == one


def test_online_verification_says_ok_or_names_the_difference(client, setup):
    task = drawn(setup)
    record = task_document(task, DrawDocumentKind.RECORD).text_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(
        "/inspections/verify/",
        {"record": SimpleUploadedFile("r.json", record), "commitment_hash": task.commitment_hash},
    )
    assert "OK：抽取记录复算一致" in ok.content.decode()
    tampered = json.loads(record)
    tampered["observed"][1]["value"] = "8"
    bad = client.post(
        "/inspections/verify/",
        {"record": SimpleUploadedFile("r.json", json.dumps(tampered).encode())},
    )
    assert "不一致" in bad.content.decode() and "规范串" in bad.content.decode()
    junk = client.post(
        "/inspections/verify/", {"record": SimpleUploadedFile("r.json", b"not json")}
    )
    assert "无法读取" in junk.content.decode()


def test_the_verifier_script_is_downloadable(client):
    response = client.get("/inspections/verify/verify_draw.py")
    assert response.status_code == 200
    assert b"gongkai-keyed-v1" in b"".join(response.streaming_content)


# ---- back office -----------------------------------------------------------------------------


def test_back_office_needs_a_staff_login(client, client_for, world, setup):
    task = setup.task()
    assert client.get("/backoffice/inspections/").status_code == 302
    assert client_for(world.applicant).get("/backoffice/inspections/").status_code == 403
    assert (
        client_for(world.officer_a).get(f"/backoffice/inspections/tasks/{task.pk}/").status_code
        == 200
    )
    assert (
        client_for(world.officer_b).get(f"/backoffice/inspections/tasks/{task.pk}/").status_code
        == 403
    )
    assert (
        client_for(world.supervisor).get(f"/backoffice/inspections/tasks/{task.pk}/").status_code
        == 200
    )


def test_staff_create_freeze_and_draw_through_the_forms(client_for, world, setup):
    c = client_for(world.officer_a)
    response = c.post(
        "/backoffice/inspections/tasks/new/",
        {
            "title": "表单创建的抽查",
            "year": 2026,
            "items": [setup.item.pk],
            "ruleset": setup.ruleset.pk,
            "mode": "ratio",
            "check_start": "2026-11-02",
            "check_end": "2026-11-20",
        },
    )
    task = InspectionTask.objects.get(title="表单创建的抽查")
    assert response.status_code == 302 and task.status == TaskStatus.DRAFT
    freeze = {
        "confirm": "on",
        "s0_name": "双色球第2026139期红球",
        "s0_description": "福彩中心公告",
        "s0_expected_on": TODAY.isoformat(),
        "s0_kind": "numbers",
        "s0_count": 6,
        "s0_minimum": 1,
        "s0_maximum": 33,
        "s1_name": "",
        "s1_kind": "numbers",
        "s2_name": "",
        "s2_kind": "hex",
    }
    c.post(f"/backoffice/inspections/tasks/{task.pk}/freeze/", freeze)
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN and len(task.commitment_hash) == 64
    c.post(f"/backoffice/inspections/tasks/{task.pk}/draw/", {"v0": "1 2 3 4 5 6"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN and task.selections.exists()


def test_the_freeze_form_insists_on_a_real_issue_number(client_for, world, setup):
    task = setup.task()
    c = client_for(world.officer_a)
    response = c.post(
        f"/backoffice/inspections/tasks/{task.pk}/freeze/",
        {
            "confirm": "on",
            "s0_name": "中国福利彩票双色球第____期开奖号码（红球）",
            "s0_expected_on": TODAY.isoformat(),
            "s0_kind": "numbers",
            "s1_kind": "numbers",
            "s2_kind": "hex",
        },
        follow=True,
    )
    assert "换成具体期号" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_another_agency_cannot_freeze_draw_or_record(client_for, world, setup):
    task = frozen(setup)
    c = client_for(world.officer_b)
    assert (
        c.post(
            f"/backoffice/inspections/tasks/{task.pk}/draw/", {"v0": OBSERVED[0], "v1": OBSERVED[1]}
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN and not task.selections.exists()
    task = draw_execute(actor=world.officer_a, task=task, observed=OBSERVED)
    selection = task.selections.filter(is_standby=False).first()
    assert (
        c.post(
            f"/backoffice/inspections/tasks/{task.pk}/results/{selection.pk}/",
            {"result": "qualified"},
        ).status_code
        == 403
    )
    selection.refresh_from_db()
    assert selection.result == ""
    reviewer = client_for(world.reviewer_a)  # same agency, but not an officer or head
    assert reviewer.post(f"/backoffice/inspections/tasks/{task.pk}/publish/").status_code == 403


def test_results_are_recorded_inline_with_htmx(client_for, world, setup):
    task = drawn(setup)
    selection = task.selections.filter(is_standby=False).first()
    c = client_for(world.officer_a)
    response = c.post(
        f"/backoffice/inspections/tasks/{task.pk}/results/{selection.pk}/",
        {"result": "rectified", "note": "责令改正", "checked_on": "2026-11-05"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "已保存" in body
    selection.refresh_from_db()
    assert (selection.result, selection.checked_on) == ("rectified", dt.date(2026, 11, 5))
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = c.post(
        f"/backoffice/inspections/tasks/{task.pk}/results/{selection.pk}/",
        {"result": "qualified", "checked_on": future},
        HTTP_HX_REQUEST="true",
    )
    assert "不晚于今天" in response.content.decode()
    selection.refresh_from_db()
    assert selection.result == "rectified"


def _queries(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (site settings, calendar)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_result_pages_do_not_query_per_row(
    client_for, client, world, django_assert_max_num_queries
):
    small = make_setup(world, entities=40)
    task_small = draw_execute(
        actor=world.officer_a,
        task=task_freeze(
            actor=world.officer_a, task=small.task(mode="count", count=4), sources=sources(TODAY)
        ),
        observed=OBSERVED,
    )
    task_big = draw_execute(
        actor=world.officer_a,
        task=task_freeze(
            actor=world.officer_a, task=small.task(mode="count", count=30), sources=sources(TODAY)
        ),
        observed=OBSERVED,
    )
    staff = client_for(world.officer_a)
    for c, url in (
        (staff, "/backoffice/inspections/tasks/{}/results/"),
        (client, "/inspections/tasks/{}/"),
    ):
        few = _queries(c, url.format(task_small.pk), django_assert_max_num_queries)
        many = _queries(c, url.format(task_big.pk), django_assert_max_num_queries)
        assert many == few, url
    page = staff.get(f"/backoffice/inspections/tasks/{task_big.pk}/results/").content.decode()
    for s in task_big.selections.filter(is_standby=False).select_related("entity"):
        assert s.entity.uscc in page


def test_inspector_private_details_stay_in_the_agency(client_for, world, setup):
    inspector = setup.inspectors[0]
    assert (
        client_for(world.officer_b)
        .get(f"/backoffice/inspections/inspectors/{inspector.pk}/")
        .status_code
        == 403
    )
    page = (
        client_for(world.officer_a)
        .get(f"/backoffice/inspections/inspectors/{inspector.pk}/")
        .content.decode()
    )
    assert inspector.residence_district in page
    public = client_for(None).get(f"/inspections/tasks/{drawn(setup).pk}/").content.decode()
    assert "居住" not in public


# ---- housing lottery -------------------------------------------------------------------------


APPLICANTS = """申请编号,姓名,身份证号码,家庭人口,类别
GZF-001,张小明,11010519491231002X,3,1
GZF-002,李四,440524188001010014,2,2
GZF-003,欧阳娜娜,53010219200508011X,1,2
"""


def test_lottery_public_page_masks_names_and_never_shows_id_numbers(client, client_for, world):
    lottery = lottery_create(
        actor=world.officer_a,
        agency=world.dept_a,
        title="2026年公租房摇号",
        project="幸福家园",
        year=2026,
        groups=[("1", "优先保障家庭", 1), ("2", "一般家庭", 1)],
    )
    lottery_applicants_import(
        actor=world.officer_a, lottery=lottery, content=APPLICANTS.encode(), file_name="a.csv"
    )
    assert client.get(f"/inspections/lotteries/{lottery.pk}/").status_code == 404  # draft
    lottery = lottery_freeze(actor=world.officer_a, lottery=lottery, sources=sources(TODAY))
    lottery = lottery_draw(actor=world.officer_a, lottery=lottery, observed=OBSERVED)
    assert lottery.status == LotteryStatus.DRAWN
    page = client.get(f"/inspections/lotteries/{lottery.pk}/").content.decode()
    assert "张*明" in page and "欧**娜" in page and "GZF-003" in page
    for secret in ("张小明", "欧阳娜娜", "11010519491231002X", "440524188001010014", "110105"):
        assert secret not in page
    for name in ("commitment", "record"):
        text = client.get(f"/inspections/lotteries/{lottery.pk}/{name}.json").content.decode()
        assert "张小明" not in text and "11010519491231002X" not in text and "张*明" in text
    staff = (
        client_for(world.officer_a)
        .get(f"/backoffice/inspections/lotteries/{lottery.pk}/")
        .content.decode()
    )
    assert (
        "张小明" in staff and "11010519491231002X" not in staff
    )  # even staff see the number masked
    assert (
        client_for(world.officer_b)
        .get(f"/backoffice/inspections/lotteries/{lottery.pk}/")
        .status_code
        == 403
    )


def test_online_verification_sends_large_records_to_the_offline_script(client, setup, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.apps.inspections.views import portal

    task = drawn(setup)
    record = task_document(task, DrawDocumentKind.RECORD).text_bytes()
    monkeypatch.setattr(portal, "ONLINE_LIMIT", len(record) - 1)
    response = client.post("/inspections/verify/", {"record": SimpleUploadedFile("r.json", record)})
    assert "请下载校验程序" in response.content.decode() and "OK：" not in response.content.decode()


def test_the_allocation_table_is_read_from_the_commitment_once(setup):
    import gzip

    from gongkai.apps.inspections.models import DrawDocument
    from gongkai.apps.inspections.selectors import commitment_strata

    task = frozen(setup)
    rows = commitment_strata(task)
    assert sum(r.seats for r in rows) == task.selected_count
    DrawDocument.objects.filter(task=task).update(content=gzip.compress(b"{}"))
    assert commitment_strata(task) == rows  # served from the cache, keyed by the commitment hash


def test_the_task_page_lists_the_hash_of_each_committed_part(client, setup):
    from gongkai.apps.inspections.services.documents import document_load
    from gongkai.domain.draws.canonical import document_hash

    task = frozen(setup)
    commitment = document_load(task_document(task, DrawDocumentKind.COMMITMENT))
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "候选名单（各分层）" in page and document_hash(commitment["strata"]) in page
    assert document_hash(commitment["rules"]) in page
