"""The blank 政府信息公开申请表 for letter, fax and in-person applications (DOCX and PDF), with
the items of 条例第二十九条, on the GB/T 9704 page."""

from __future__ import annotations

from django.template.loader import render_to_string

from gongkai.documents import docx as docx_helpers
from gongkai.documents.pdf import html_to_pdf

TITLE = "政府信息公开申请表"
# (group, label, hint) rows; a group label spans its rows
ROWS: list[tuple[str, str, str]] = [
    ("申请人信息（公民）", "姓名", ""),
    ("申请人信息（公民）", "证件名称", "居民身份证／护照／其他"),
    ("申请人信息（公民）", "证件号码", ""),
    ("申请人信息（法人或其他组织）", "名称", ""),
    ("申请人信息（法人或其他组织）", "统一社会信用代码", ""),
    ("申请人信息（法人或其他组织）", "联系人", ""),
    ("联系方式", "联系电话", ""),
    ("联系方式", "电子邮箱", ""),
    ("联系方式", "通信地址及邮政编码", ""),
    ("所需政府信息", "受理机关", ""),
    ("所需政府信息", "所需政府信息的名称、文号或者便于查询的其他特征性描述", ""),
    ("所需政府信息", "用途（选填）", ""),
    ("获取信息", "提供形式", "□纸质　□电子　□查阅"),
    ("获取信息", "获取方式", "□邮寄　□电子邮件　□自行领取　□网上获取"),
    ("办理通知", "接收办理通知", "□短信（发送到上述手机号码）　□电子邮件"),
    ("签名", "申请人签名或者盖章", ""),
    ("签名", "申请日期", "　　年　　月　　日"),
]
NOTES = [
    "本表依据《中华人民共和国政府信息公开条例》第二十九条制作。申请人为公民的，请附身份证明复印件；"
    "为法人或者其他组织的，请附营业执照等证明复印件。",
    "一份申请表请只申请一项政府信息。信函申请请在信封左下角注明“政府信息公开申请”字样。",
    "申请人的姓名、证件号码和联系方式仅用于办理本申请，不予公开。",
]
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def blank_form_docx() -> bytes:
    document = docx_helpers.new_document()
    docx_helpers.add_title(document, TITLE)
    table = document.add_table(rows=len(ROWS), cols=3)
    table.style = "Table Grid"
    start = 0
    for i, (group, label, hint) in enumerate(ROWS):
        table.cell(i, 1).text = label
        table.cell(i, 2).text = hint
        if i == len(ROWS) - 1 or ROWS[i + 1][0] != group:
            cell = table.cell(start, 0).merge(table.cell(i, 0)) if i > start else table.cell(i, 0)
            cell.text = group
            start = i + 1
    docx_helpers.set_table_font(table, 12)
    for note in NOTES:
        docx_helpers.add_paragraph(document, f"注：{note}", indent=False).runs[
            0
        ].font.size = docx_helpers.Pt(12)
    return docx_helpers.to_bytes(document)


def blank_form_pdf() -> bytes:
    groups: list[dict] = []
    for group, label, hint in ROWS:
        if not groups or groups[-1]["name"] != group:
            groups.append({"name": group, "rows": []})
        groups[-1]["rows"].append({"label": label, "hint": hint})
    html = render_to_string(
        "applications/blank_form_pdf.html", {"title": TITLE, "groups": groups, "notes": NOTES}
    )
    return html_to_pdf(html)


def blank_form(fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return blank_form_docx() if fmt == "docx" else blank_form_pdf()
