"""The 12345 API (bearer tokens) and the public mailbox API."""

import pytest

from gongkai import clock
from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.services import api_token_create
from gongkai.apps.mailbox.models import Letter, LetterStatus
from gongkai.apps.mailbox.services import (
    letter_answer,
    letter_publication_prepare,
    letter_publish,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ORDER = {
    "order_no": "12345-20261009-0001",
    "called_at": "2026-10-09T09:30:00+08:00",
    "caller_name": "王先生",
    "caller_phone": "13800000001",
    "content": "请问公交卡在哪里办理？",
    "agency": "depta",
}


@pytest.fixture
def hotline(world):
    """A token of the 12345 centre's account in the dispatch office (the city government)."""
    user = make_staff(world.city, Role.OFFICER, username="rx12345")
    _token, key = api_token_create(actor=user, user=user, name="12345热线工单推送")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_an_order_is_taken_in_once(client, world, hotline):
    first = post(client, "/api/mailbox/hotline/orders", ORDER, hotline)
    assert first.status_code == 201
    body = first.json()
    assert (body["created"], body["status"], body["agency_code"], body["due_date"]) == (
        True,
        LetterStatus.HANDLING,
        "depta",
        "2026-10-15",
    )
    again = post(client, "/api/mailbox/hotline/orders", {**ORDER, "content": "改过的内容"}, hotline)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["number"] == body["number"]
    assert Letter.objects.get().content == ORDER["content"]  # the first version stands


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"agency": "nowhere"}, "承办单位“nowhere”不存在", id="unknown agency"),
        pytest.param({"content": "  "}, "缺少内容", id="empty content"),
        pytest.param({"order_no": "短"}, "格式不对", id="bad order number"),
        pytest.param({"caller_phone": "请回电"}, "不是电话号码", id="bad phone"),
        pytest.param({"called_at": "下周一"}, "来电时间“下周一”无法识别", id="bad time"),
        pytest.param({"order_no": None}, "缺少工单编号", id="no order number"),
    ],
)
def test_bad_orders_get_a_chinese_reason_and_nothing_is_stored(
    client, world, hotline, change, message
):
    order = {k: v for k, v in {**ORDER, **change}.items() if v is not None}
    response = post(client, "/api/mailbox/hotline/orders", order, hotline)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Letter.objects.exists()


def test_no_token_or_a_token_outside_the_dispatch_office(client, world):
    assert post(client, "/api/mailbox/hotline/orders", ORDER, {}).status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer gk_not-a-real-token"}
    assert post(client, "/api/mailbox/hotline/orders", ORDER, bad).status_code == 401
    _token, key = api_token_create(actor=world.officer_a, user=world.officer_a, name="x")
    other = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = post(client, "/api/mailbox/hotline/orders", ORDER, other)
    assert response.status_code == 403 and "无权" in response.json()["detail"]
    assert (
        client.get(f"/api/mailbox/hotline/orders/{ORDER['order_no']}", **other).status_code == 403
    )
    assert not Letter.objects.exists()


def test_batch_reports_each_order(client, world, hotline):
    orders = [
        ORDER,
        {**ORDER, "order_no": "12345-20261009-0002", "agency": ""},
        {**ORDER, "order_no": "12345-20261009-0003", "called_at": "2099-01-01T00:00:00"},
        ORDER,
    ]
    post(client, "/api/mailbox/hotline/orders", ORDER, hotline)
    body = post(client, "/api/mailbox/hotline/orders/batch", {"orders": orders}, hotline).json()
    assert (body["created"], body["existing"], body["failed"]) == (1, 1, 2)
    assert [(i["index"], i["result"]) for i in body["items"]] == [
        (1, "exists"),
        (2, "created"),
        (3, "error"),
        (4, "error"),
    ]
    assert "晚于当前时间" in body["items"][2]["reason"]
    assert "重复" in body["items"][3]["reason"]
    assert (
        Letter.objects.get(hotline_order_no="12345-20261009-0002").status == LetterStatus.RECEIVED
    )


def test_the_hotline_reads_the_reply_and_sends_the_callback_rating(client, world, hotline):
    post(client, "/api/mailbox/hotline/orders", ORDER, hotline)
    letter = Letter.objects.get()
    letter_answer(actor=world.reviewer_a, letter=letter, text="您好，公交卡可在各公交营业厅办理。")
    body = client.get(f"/api/mailbox/hotline/orders/{ORDER['order_no']}", **hotline).json()
    assert (body["status"], body["reply"]) == ("answered", "您好，公交卡可在各公交营业厅办理。")
    rated = post(
        client,
        f"/api/mailbox/hotline/orders/{ORDER['order_no']}/rating",
        {"satisfaction": "satisfied"},
        hotline,
    )
    assert rated.status_code == 200 and rated.json()["satisfaction"] == "satisfied"
    twice = post(
        client,
        f"/api/mailbox/hotline/orders/{ORDER['order_no']}/rating",
        {"satisfaction": "unsatisfied"},
        hotline,
    )
    assert twice.status_code == 400 and "不能重复评价" in twice.json()["detail"]
    missing = client.get("/api/mailbox/hotline/orders/nope-0000", **hotline)
    assert missing.status_code == 404


def test_public_api_lists_only_published_masked_letters(client, world, hotline):
    post(client, "/api/mailbox/hotline/orders", ORDER, hotline)
    from tests.apps.mailbox.helpers import write

    letter = write(
        world.dept_a,
        consent_publish=True,
        content="我是王小明，电话13912345678，请问公交首班几点？",
    ).letter
    letter_answer(actor=world.reviewer_a, letter=letter, text="王小明您好，首班车6:00发车。")
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    letter_publish(actor=world.officer_a, letter=letter)
    body = client.get("/api/mailbox/letters").json()
    assert body["total"] == 1 and [i["number"] for i in body["items"]] == [letter.number]
    text = str(body)
    assert "13912345678" not in text and "王小明" not in text and "13800000001" not in text
    detail = client.get(f"/api/mailbox/letters/{letter.number}")
    assert detail.status_code == 200 and detail.json()["agency_code"] == "depta"
    hidden = Letter.objects.get(hotline_order_no=ORDER["order_no"]).number
    assert client.get(f"/api/mailbox/letters/{hidden}").status_code == 404
    assert client.get("/api/mailbox/letters?agency=nowhere").status_code == 400


def test_public_stats(client, world, hotline):
    post(client, "/api/mailbox/hotline/orders", ORDER, hotline)
    letter_answer(
        actor=world.reviewer_a, letter=Letter.objects.get(), text="您好，公交卡可在营业厅办理。"
    )
    body = client.get("/api/mailbox/stats?year=2026").json()
    october = body["months"][9]
    assert (body["received"], october["month"], october["received"]) == (1, 10, 1)
    assert client.get(f"/api/mailbox/stats?year={clock.today().year + 2}").status_code == 400
