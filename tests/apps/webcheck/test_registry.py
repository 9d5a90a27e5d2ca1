"""The registry and its import, through the page, with row-level errors."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.webcheck.models import MediaAccount, Site
from tests.apps.webcheck.sites import xlsx_with

HEADER = [
    "类型",
    "网站名称",
    "网站标识码",
    "首页地址",
    "主办单位",
    "承办单位",
    "网站类别",
    "状态",
    "批复",
    "应更新栏目",
    "平台",
]


def _client(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def _post(client: Client, name: str, data: bytes):
    page = client.get("/backoffice/webcheck/import/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(
        "/backoffice/webcheck/import/",
        {"file": SimpleUploadedFile(name, data), "csrfmiddlewaretoken": token.group(1)},
    )


def _csv(rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


ROWS = [
    [
        "网站",
        "测试市交通运输局网站",
        "1399000002",
        "http://jtj.test.gov.cn/",
        "测试市交通运输局",
        "",
        "部门网站",
        "开设",
        "",
        "要闻动态|/ywdt/|dynamic；通知公告|/tzgg/|通知公告",
        "",
    ],
    [
        "网站",
        "测试市教育局网站",
        "13990X",
        "http://jyj.test.gov.cn/",
        "测试市教育局",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "网站",
        "已关停网站",
        "1399000003",
        "http://old.test.gov.cn/",
        "测试市教育局",
        "",
        "",
        "关停",
        "",
        "",
        "",
    ],
    [
        "网站",
        "不存在单位的网站",
        "1399000004",
        "http://x.test.gov.cn/",
        "外市某局",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["新媒体", "测试交通", "", "", "测试市交通运输局", "", "", "开设", "", "", "微信公众号"],
]


@pytest.mark.django_db
def test_import_stores_good_rows_and_names_each_bad_one(world):
    response = _post(_client(world.supervisor), "名录.csv", _csv(ROWS))
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 5 行：新增 2，更新 0，有错 3" in page
    assert "网站标识码“13990X”应为10位数字" in page
    assert "整合或关停的网站、账号应填写批复" in page
    assert "单位“外市某局”不在机关名录中" in page
    site = Site.objects.get(site_code="1399000002")
    assert site.operator == world.dept_a
    assert site.columns == [
        {"name": "要闻动态", "url": "http://jtj.test.gov.cn/ywdt/", "kind": "dynamic"},
        {"name": "通知公告", "url": "http://jtj.test.gov.cn/tzgg/", "kind": "notice"},
    ]
    assert MediaAccount.objects.get(name="测试交通").platform == "wechat"
    assert AuditEvent.objects.filter(action="webcheck.site_create").count() == 1
    assert AuditEvent.objects.filter(action="webcheck.registry_import").count() == 1


@pytest.mark.django_db
def test_xlsx_import_updates_by_site_code_and_keeps_what_is_stored(world):
    _post(_client(world.supervisor), "名录.csv", _csv(ROWS[:1]))
    changed = [*ROWS[0]]
    changed[1] = "测试市交通运输局门户"
    changed[9] = ""
    broken = [*ROWS[1]]
    response = _post(_client(world.supervisor), "名录.xlsx", xlsx_with([HEADER, changed, broken]))
    assert "新增 0，更新 1，有错 1" in response.content.decode()
    site = Site.objects.get(site_code="1399000002")
    assert site.name == "测试市交通运输局门户"
    assert len(site.columns) == 2  # an empty column cell keeps the registered columns


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese(world):
    response = _post(_client(world.supervisor), "名录.xlsx", b"PK\x03\x04not really a zip")
    page = response.content.decode()
    assert response.status_code == 200
    assert Site.objects.count() == 0
    assert re.search(r"(无法读取|文件)", page)
    response = _post(_client(world.supervisor), "名录.csv", "网站名称\n甲\n".encode())
    assert "表头缺少列：主办单位" in response.content.decode()


@pytest.mark.django_db
def test_only_the_city_office_imports(world):
    client = _client(world.officer_a)
    assert client.get("/backoffice/webcheck/import/").status_code == 403
