"""Text extraction with locations, and masked copies that keep the file's layout."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from gongkai.documents.extract import (
    ExtractionError,
    TextBlock,
    extract_document,
    extract_plain_text,
    extract_text,
)
from gongkai.documents.mask import mask_file

ID = "11010519491231002X"


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("关于低保对象的公示")
    paragraph = document.add_paragraph("户主张伟，身份证号")
    paragraph.add_run("110105194912").bold = True  # the number is split over two runs
    paragraph.add_run("31002X，特此公示。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "姓名", "联系电话"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "李娜", "13812345678"], strict=True):
        cell.text = text
    document.sections[0].footer.paragraphs[0].text = "联系人王芳 13900001111"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["2024年临时救助名单"])
    sheet.append(["序号", "姓名", "身份证号码", "联系电话"])
    sheet.append([1, "赵敏", ID, 13812345678])
    sheet["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HTML = (
    "<!doctype html><html><head><title>公示</title><script>var x = '<p>13812345678</p>';</script>"
    "</head><body><p class='lead'>申请人<b>张</b>伟，电话13812345678 &amp; 邮箱</p>"
    "<table><tr><th>姓名</th><th>身份证号码</th></tr><tr><td>李娜</td><td>"
    + ID
    + "</td></tr></table>"
    "</body></html>"
)


def test_docx_blocks_have_locations_headers_and_rows():
    blocks = extract_text("公示.docx", _docx())
    assert blocks[0] == TextBlock("第1段", "关于低保对象的公示")
    assert blocks[1].text == f"户主张伟，身份证号{ID}，特此公示。"
    cell = next(b for b in blocks if b.text == "李娜")
    assert cell == TextBlock("表1 第2行 第2列", "李娜", "姓名", "表1 第2行")
    assert any(b.location.endswith("页脚 第3段") and "王芳" in b.text for b in blocks)


def test_xlsx_cells_use_the_header_row_below_a_title():
    blocks = extract_text("名单.xlsx", _xlsx())
    by_location = {b.location: b for b in blocks}
    assert by_location["工作表“名单” B3"] == TextBlock(
        "工作表“名单” B3", "赵敏", "姓名", "工作表“名单” 第3行"
    )
    assert by_location["工作表“名单” D3"].text == "13812345678"  # a number cell read as digits
    assert by_location["工作表“名单” C3"].header == "身份证号码"


def test_html_blocks_skip_scripts_and_know_table_headers():
    blocks = extract_text("page.html", HTML.encode())
    texts = [b.text for b in blocks]
    assert "申请人张伟，电话13812345678 & 邮箱" in texts
    assert not any("var x" in t for t in texts)
    cell = next(b for b in blocks if b.text == ID)
    assert cell.header == "身份证号码" and cell.location == "表1 第2行 第2列"


def test_text_tables_get_their_header_line():
    text = "资助名单\n序号\t姓名\t联系电话\n1\t王磊\t13600001111\n".encode("gb18030")
    blocks = extract_text("名单.txt", text)
    assert blocks[-1].header == "序号 姓名 联系电话"
    assert extract_plain_text("名单.txt", text).splitlines()[0] == "资助名单"


def test_pdf_text_layer_is_read_page_by_page():
    from gongkai.documents.pdf import html_to_pdf

    pdf = html_to_pdf("<p>申请人张伟，手机13812345678。</p>")
    extraction = extract_document("a.pdf", pdf)
    assert extraction.pages == 1 and extraction.pages_without_text == []
    assert extraction.blocks[0].location == "第1页 第1行"
    assert "13812345678" in extraction.blocks[0].text


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("旧文件.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        ("名单.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("扫描件.jpg", b"\xff\xd8", "图片"),
        ("a.zip", b"PK", "不支持的文件格式"),
        ("坏文件.docx", b"not a zip", "已损坏"),
        ("坏文件.xlsx", b"not a zip", "已损坏"),
        ("坏文件.pdf", b"%PDF-1.4 broken", "已损坏"),
    ],
)
def test_unreadable_files_get_a_chinese_reason(filename, content, message):
    with pytest.raises(ExtractionError, match=message):
        extract_text(filename, content)


def _mask_numbers(blocks):
    """A stand-in policy for layout tests: mask every mobile number 138… found in a block."""
    edits = []
    for block in blocks:
        index = block.text.find("138")
        edits.append([(index, index + 11, "138****5678")] if index >= 0 else [])
    return edits


def test_masked_docx_keeps_runs_and_formatting():
    masked = mask_file("公示.docx", _docx(), _mask_numbers)
    document = Document(io.BytesIO(masked))
    assert document.tables[0].rows[1].cells[2].text == "138****5678"
    paragraph = document.paragraphs[1]
    assert [r.bold for r in paragraph.runs] == [None, True, None]  # run structure untouched
    assert document.sections[0].footer.paragraphs[0].text == "联系人王芳 13900001111"


def test_masked_xlsx_keeps_sheet_and_styles():
    masked = mask_file("名单.xlsx", _xlsx(), _mask_numbers)
    sheet = load_workbook(io.BytesIO(masked))["名单"]
    assert sheet["D3"].value == "138****5678"
    assert sheet["B3"].value == "赵敏" and sheet["A3"].value == 1
    assert sheet["A1"].font.bold is True


def test_masked_html_keeps_markup_and_scripts():
    masked = mask_file("page.html", HTML.encode(), _mask_numbers).decode()
    assert "<p class='lead'>申请人<b>张</b>伟，电话138****5678 &amp; 邮箱</p>" in masked
    assert "var x = '<p>13812345678</p>';" in masked  # scripts are not text
    assert masked.count("<td>") == 2


def test_edits_spanning_two_runs_go_into_the_first():
    def mask_id(blocks):
        return [
            [(b.text.find(ID), b.text.find(ID) + len(ID), "110105********002X")]
            if ID in b.text
            else []
            for b in blocks
        ]

    document = Document(io.BytesIO(mask_file("a.docx", _docx(), mask_id)))
    runs = [r.text for r in document.paragraphs[1].runs]
    assert runs == ["户主张伟，身份证号", "110105********002X", "，特此公示。"]


def test_form_tables_are_read_label_then_value():
    """申请表-style tables (姓名 | 张三 | 性别 | 男) have no header row: the label cell is context."""
    from gongkai.domain.privacy import scan_blocks

    document = Document()
    table = document.add_table(rows=3, cols=4)
    rows = [
        ["姓名", "张三", "性别", "男"],
        ["身份证号", ID, "联系电话", "13812345678"],
        ["家庭住址", "东城区人民路8号2单元301室", "申请事项", "临时救助"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.rows[r].cells[c].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    blocks = extract_text("申请表.docx", buffer.getvalue())
    assert all(b.header is None for b in blocks)  # not mistaken for a header row
    found = [
        (blocks[f.block].location, f.finding.kind.value, f.finding.text)
        for f in scan_blocks(blocks)
        if f.finding.score >= 0.5
    ]
    assert found == [
        ("表1 第1行 第2列", "name", "张三"),
        ("表1 第2行 第2列", "id_number", ID),
        ("表1 第2行 第4列", "mobile", "13812345678"),
        ("表1 第3行 第2列", "address", "8号2单元301室"),
    ]


ROLE_LINES = (
    f"听证代表：王五（身份证号{ID}）",
    "申请人李明，要求公开道路养护资金明细。",
    "听证代表：张建国（联系电话13900001111）",
)


def _roles_docx() -> bytes:
    document = Document()
    for line in ROLE_LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate(
        (
            ("姓名", "身份证号", "联系电话"),
            ("赵六", "110105194912310021", "13612345678"),
            ("钱小红", "", ""),
        )
    ):
        for c, value in enumerate(values):
            table.rows[r].cells[c].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _roles_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in ROLE_LINES:
        sheet.append([line])
    sheet.append(["姓名", "身份证号", "联系电话"])
    sheet.append(["赵六", "110105194912310021", "13612345678"])
    sheet.append(["钱小红", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("filename, make", [("名单.docx", _roles_docx), ("名单.xlsx", _roles_xlsx)])
def test_names_in_roles_and_tables_are_flagged_and_masked_in_files(filename, make):
    """Issue 15, Deliver 6: 听证代表：王五（…）, 申请人李明， and names under a 姓名 column are
    found in DOCX/XLSX as in bodies, and the published rendition of the file masks them."""
    from gongkai.apps.privacy.rendition import privacy_render_file
    from gongkai.apps.privacy.services import ReviewSource, scan_source

    content = make()
    scanned = scan_source(ReviewSource(label=filename, filename=filename, content=content))
    names = {f.finding.text for f in scanned.findings if f.finding.kind.value == "name"}
    assert {"王五", "李明", "张建国", "赵六", "钱小红"} <= names
    assert all(f.finding.score >= 0.5 for f in scanned.findings if f.finding.text in names)

    out = privacy_render_file(filename, content, review=None)  # an untouched review: all masked
    text = extract_plain_text(filename, out.content)
    for value in ("王五", "李明", "张建国", "赵六", "钱小红", ID, "110105194912310021"):
        assert value not in text, value
    for masked in (
        "听证代表：王*（身份证号110105********002X）",
        "申请人李*，",
        "赵*",
        "钱*红",
        "张*国",
    ):
        assert masked in text, masked
