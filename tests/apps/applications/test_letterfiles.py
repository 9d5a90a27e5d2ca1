"""Every letter, as the applicant or the other party downloads it, is A4 on the GB/T 9704
page: 版头 with the agency's mark and number, 版记 with 抄送 when the request was forwarded."""

import io

import pytest
from docx import Document

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.letterfiles import letter_file, render_docx, render_pdf
from gongkai.apps.applications.models import CaseLetter, LetterType
from tests.apps.applications.factories import register
from tests.pagecheck import assert_gbt9704_docx, assert_gbt9704_pdf, pdf_glyphs

pytestmark = pytest.mark.django_db


def _letter(app, kind):
    return CaseLetter.objects.create(
        application=app,
        kind=kind,
        number=f"测交信息公开告〔2026〕{len(kind)}号",
        issued_on=app.received_on,
        title=LetterType(kind).label,
        addressee="欧阳明远",
        body="　　本机关于2026年11月2日收到您的申请。\n" + "　　正文段落。" * 30,
        sha256=kind.ljust(64, "0"),
    )


@pytest.mark.parametrize("kind", [k.value for k in LetterType])
def test_every_letter_kind_is_a4_with_gbt9704_margins(world, kind):
    app = register(world)
    letter = _letter(app, kind)
    docx = render_docx(letter)
    assert_gbt9704_docx(docx)
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert paragraphs[0] == app.agency.name and paragraphs[1] == letter.number
    pdf = render_pdf(letter)
    assert_gbt9704_pdf(pdf)
    first_line = "".join(g[5] for g in pdf_glyphs(pdf) if g[0] == 0)[:20]
    assert first_line.startswith(app.agency.name)


def test_a_forwarded_reply_has_a_record_block_with_the_copy(world):
    app = register(world)
    app = svc.application_accept(actor=world.officer_a, application=app)
    app = svc.application_reply_draft(
        actor=world.officer_a,
        application=app,
        decision="not_this_agency",
        text="所申请信息由教育部门制作并保存。",
        referred_agency=world.dept_b,
        forward=True,
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    letter = app.letters.get(kind="reply")
    docx = letter_file(letter, "docx")
    assert_gbt9704_docx(docx)
    text = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert text[-1] == f"抄送：{world.dept_b.name}。"
    # the contact is the office, never an account
    assert f"联系人：{app.agency.office_name}" in letter.body
    assert str(world.officer_a) not in letter.body
    pdf = letter_file(letter, "pdf")
    assert_gbt9704_pdf(pdf)
    assert "抄送" in "".join(g[5] for g in pdf_glyphs(pdf))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_blank_application_form_is_a4(client, fmt):
    response = client.get(f"/apply/blank-form.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "docx":
        assert_gbt9704_docx(response.content)
        text = "\n".join(
            cell.text
            for table in Document(io.BytesIO(response.content)).tables
            for row in table.rows
            for cell in row.cells
        )
    else:
        assert_gbt9704_pdf(response.content)
        text = "".join(g[5] for g in pdf_glyphs(response.content))
    assert "所需政府信息的名称、文号或者便于查询的其他特征性描述" in text
    assert "申请人签名或者盖章" in text


def test_public_statistics_count_requests_by_year_and_outcome(world, client):
    app = register(world)
    app = svc.application_accept(actor=world.officer_a, application=app)
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="not_exist", text=""
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    year = app.closed_on.year
    page = client.get(f"/apply/stats/?year={year}&agency={world.dept_a.code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{world.dept_a.name}依申请公开办理情况" in html
    assert f'<th scope="row">{year}年</th><td class="num">1</td>' in html
    assert '<th scope="row">无法提供</th><td class="num">1</td>' in html
    assert world.applicant.username not in html and "王小明" not in html
    assert client.get("/apply/stats/?agency=nosuch").status_code == 404
