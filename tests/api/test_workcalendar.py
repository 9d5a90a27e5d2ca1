import pytest

pytestmark = pytest.mark.django_db


def test_days_lists_each_day_with_its_kind(client):
    data = client.get("/api/calendar/days", {"start": "2024-09-28", "end": "2024-10-01"}).json()
    assert data == [
        {
            "date": "2024-09-28",
            "kind": "weekend",
            "name": "",
            "working": False,
            "provisional": False,
        },
        {
            "date": "2024-09-29",
            "kind": "makeup_workday",
            "name": "国庆节",
            "working": True,
            "provisional": False,
        },
        {
            "date": "2024-09-30",
            "kind": "workday",
            "name": "",
            "working": True,
            "provisional": False,
        },
        {
            "date": "2024-10-01",
            "kind": "holiday",
            "name": "国庆节",
            "working": False,
            "provisional": False,
        },
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2024-10-02", "end": "2024-10-01"}, "结束日期不能早于开始日期"),
        ({"start": "2024-01-01", "end": "2025-12-31"}, "一次最多查询366天"),
        ({"start": "2003-12-30", "end": "2004-01-02"}, "尚未载入2003年"),
    ],
)
def test_days_refuses_bad_ranges_in_chinese(client, params, message):
    response = client.get("/api/calendar/days", params)
    assert response.status_code == 400 and message in response.json()["detail"]


def test_deadline_calculator(client):
    data = client.get("/api/calendar/deadline", {"received": "2024-09-27"}).json()
    assert data["due"] == "2024-10-30" and data["regulation"] == "2019"
    assert data["working_days"] == 20
    assert data["days"][-1] == {
        "date": "2024-10-30",
        "status": "due",
        "reason": "工作日",
        "ordinal": 20,
    }
    assert "不计入：2024年10月1日至10月7日，国庆节（7天）。" in data["explanation"]
    legacy = client.get(
        "/api/calendar/deadline", {"received": "2019-01-30", "regulation": "2008"}
    ).json()
    assert legacy["due"] == "2019-02-25"
    provisional = client.get("/api/calendar/deadline", {"received": "2026-12-10"}).json()
    assert (provisional["due"], provisional["provisional"]) == ("2027-01-08", True)
    assert provisional["provisional_reason"].startswith("暂定：2027年的国务院节假日安排尚未载入")
    days = client.get("/api/calendar/days", {"start": "2026-12-31", "end": "2027-01-01"}).json()
    assert [(d["date"], d["kind"], d["provisional"]) for d in days] == [
        ("2026-12-31", "workday", False),
        ("2027-01-01", "holiday", True),
    ]
