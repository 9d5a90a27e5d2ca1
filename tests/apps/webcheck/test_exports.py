"""The exported check results: text a spreadsheet would run stays text; an agency's export
holds only its own sites and accounts."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from gongkai import clock
from gongkai.apps.webcheck.media import media_check
from gongkai.apps.webcheck.models import MediaAccount, Site
from gongkai.apps.webcheck.services import check_record
from gongkai.demo.webcheck import recorded_observations
from tests.test_exports_formulas import EVIL, assert_xlsx_safe

pytestmark = pytest.mark.django_db


def _site(world, name: str, agency, code: str) -> Site:
    return Site.objects.create(
        name=name,
        site_code=code,
        domain=f"s{code}.test.gov.cn",
        home_url=f"http://s{code}.test.gov.cn/",
        sponsor=agency,
        operator=agency,
        level="department",
    )


def test_exports_keep_formula_text_as_text_and_show_only_what_the_user_may_see(world, client_for):
    import random

    mine = _site(world, EVIL, world.dept_a, "1399000001")
    other = _site(world, "教育局网站", world.dept_b, "1399000002")
    for site in (mine, other):
        obs = recorded_observations(site, clock.today(), random.Random(7))
        check_record(actor=world.supervisor, site=site, obs=obs, now=clock.now())
    account = MediaAccount.objects.create(platform="weibo", name="交通发布", sponsor=world.dept_a)
    media_check(actor=world.supervisor, account=account, now=clock.now())

    content = client_for(world.supervisor).get("/backoffice/webcheck/export.xlsx").content
    assert_xlsx_safe(content, EVIL)
    book = load_workbook(io.BytesIO(content))
    assert [r[1] for r in book["网站检查结果"].iter_rows(min_row=2, values_only=True)] == [
        EVIL,
        "教育局网站",
    ]
    accounts = list(book["新媒体检查结果"].iter_rows(min_row=2, values_only=True))
    assert [(*r[:3], r[3].date(), *r[4:]) for r in accounts] == [
        ("微博", "交通发布", world.dept_a.name, clock.today(), "无法检查", 100, None, None)
    ]

    own = client_for(world.officer_b)
    rows = load_workbook(io.BytesIO(own.get("/backoffice/webcheck/export.xlsx").content))
    assert [r[1] for r in rows["网站检查结果"].iter_rows(min_row=2, values_only=True)] == [
        "教育局网站"
    ]
    assert rows["新媒体检查结果"].max_row == 1
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(own.get("/backoffice/webcheck/export.docx").content)
        ).paragraphs
    )
    assert "全市开设政府网站1个，已检查1个" in text
    assert client_for(world.applicant).get("/backoffice/webcheck/export.xlsx").status_code in (
        302,
        403,
    )
