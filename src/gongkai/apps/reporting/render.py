"""A report as the public reads it: HTML (tables laid out like the official format), DOCX,
PDF and XLSX, all drawn from the one layout in ``gongkai.domain.reports.layout``."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from gongkai.documents.pdf import html_to_pdf
from gongkai.documents.tabular import xlsx_set
from gongkai.domain.reports.build import BuiltReport
from gongkai.domain.reports.identities import Validation
from gongkai.domain.reports.layout import LayoutCell, LayoutRow, table_layout, table_width
from gongkai.domain.reports.model import CellKey, Number, ReportFormat, SectionKind, cell_id
from gongkai.domain.reports.narrative import Context, draft_narrative, section_sentences

ENTERED_MARK = "※"
ADJUSTED_MARK = "△"


@dataclass
class ReportDoc:
    """Everything a rendering needs, whether from a stored report or a fresh build."""

    fmt: ReportFormat
    title: str
    agency_name: str
    context: Context
    values: dict[CellKey, Number]
    measures: dict[str, Number]
    narrative: dict[str, str]
    entered: set[CellKey] = field(default_factory=set)
    adjusted: dict[CellKey, str] = field(default_factory=dict)  # cell -> reason
    published_on: dt.date | None = None
    failing: set[CellKey] = field(default_factory=set)
    drill_url: str = ""  # back office: each figure links to its drill-down ("?cell=…")

    @classmethod
    def from_built(
        cls,
        built: BuiltReport,
        *,
        agency_name: str,
        context: Context,
        narrative: dict[str, str] | None = None,
    ) -> ReportDoc:
        title = built.fmt.title_template.format(
            agency=_title_subject(agency_name, context), year=built.year
        )
        return cls(
            fmt=built.fmt,
            title=title,
            agency_name=agency_name,
            context=context,
            values=built.values,
            measures=built.measures,
            narrative=narrative
            if narrative is not None
            else draft_narrative(built.fmt, built.values, built.measures, context),
            entered=built.entered_cells(),
            adjusted={c: "人工调整" for c in built.adjusted_cells()},
        )


def _title_subject(agency_name: str, context: Context) -> str:
    return agency_name


def _decorate(doc: ReportDoc):
    def decorate(cell: LayoutCell) -> None:
        if cell.cell is None:
            return
        if cell.cell in doc.entered:
            cell.classes.append("entered")
        if cell.cell in doc.adjusted:
            cell.classes.append("adjusted")
        if cell.cell in doc.failing:
            cell.classes.append("failing")

    return decorate


def section_view(doc: ReportDoc) -> list[dict[str, Any]]:
    """The sections in order, each with paragraphs, figure sentences and table layouts."""
    sections = []
    for section in doc.fmt.sections:
        entry: dict[str, Any] = {"key": section.key, "heading": section.heading, "tables": []}
        if section.kind is SectionKind.NARRATIVE:
            text = doc.narrative.get(section.narrative_key, "")
            entry["paragraphs"] = [p.strip() for p in text.split("\n") if p.strip()]
        else:
            entry["paragraphs"] = section_sentences(
                doc.fmt, section.key, doc.values, doc.measures, doc.context
            )
        for key in section.tables:
            table = doc.fmt.table(key)
            rows = table_layout(doc.fmt, table, doc.values, decorate=_decorate(doc))
            entry["tables"].append(
                {
                    "key": key,
                    "title": table.title,
                    "unit": table.unit,
                    "rows": rows,
                    "width": table_width(table),
                }
            )
        sections.append(entry)
    return sections


def marks_used(doc: ReportDoc) -> dict[str, bool]:
    return {"entered": bool(doc.entered), "adjusted": bool(doc.adjusted)}


def html_body(doc: ReportDoc, *, links: bool = False) -> str:
    """The report's body (title, sections, tables, notes) as an HTML fragment."""
    return render_to_string(
        "reporting/_report_body.html",
        {
            "doc": doc,
            "sections": section_view(doc),
            "marks": marks_used(doc),
            "adjusted": [
                (doc.fmt.cell_label(c), reason) for c, reason in sorted(doc.adjusted.items())
            ],
            "links": links,
            "entered_mark": ENTERED_MARK,
            "adjusted_mark": ADJUSTED_MARK,
        },
    )


def html_document(doc: ReportDoc) -> str:
    """A standalone HTML file (the published page as saved, and the PDF's source)."""
    return render_to_string("reporting/report_document.html", {"doc": doc, "body": html_body(doc)})


def pdf_bytes(doc: ReportDoc) -> bytes:
    extra = (
        # the saved page's own screen styles give way to the GB/T 9704 page
        "body { max-width: none !important; margin: 0 !important; font-family: inherit !important;"
        " line-height: inherit !important; color: #000 !important; }"
        " h1 { font-size: 22pt !important; font-weight: normal !important; }"
        " h2 { font-size: 16pt !important; font-weight: normal !important; }"
        " td.entered::after { content: '※'; font-size: 7pt; }"
        " td.adjusted::after { content: '△'; font-size: 7pt; }"
        " th, td { font-size: 8.5pt; padding: 2pt 3pt; }"
        " .report-table caption { font-weight: bold; margin: 6pt 0 3pt; }"
        " p.unit { text-align: right; font-size: 9pt; margin: 0; }"
    )
    return html_to_pdf(html_document(doc), extra_css=extra)


def _place(rows: list[LayoutRow], width: int) -> list[tuple[int, int, LayoutCell]]:
    """(row, column, cell) positions of a layout, as an HTML table model lays them out."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, line in enumerate(rows):
        c = 0
        for cell in line:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, cell))
            c += cell.colspan
    return placed


def _cell_text(doc: ReportDoc, cell: LayoutCell) -> str:
    text = cell.text
    if cell.cell is not None and cell.cell in doc.entered:
        text += ENTERED_MARK
    if cell.cell is not None and cell.cell in doc.adjusted:
        text += ADJUSTED_MARK
    return text


def _notes(doc: ReportDoc) -> list[str]:
    notes = []
    if doc.entered:
        notes.append(
            f"注：标{ENTERED_MARK}的数字为本机关填报数据，其余数字由政务公开平台依据办理记录自动统计。"
        )
    for cell, reason in sorted(doc.adjusted.items()):
        notes.append(f"注：标{ADJUSTED_MARK}的{doc.fmt.cell_label(cell)}经人工调整（{reason}）。")
    return notes


def docx_bytes(doc: ReportDoc) -> bytes:
    # deferred: loads python-docx only when a DOCX is written
    from gongkai.documents.docx import (
        add_heading,
        add_paragraph,
        add_title,
        new_document,
        set_table_font,
        to_bytes,
    )

    document = new_document()
    add_title(document, doc.title)
    if doc.published_on:
        add_paragraph(
            document, f"（{_cn_date(doc.published_on)}发布）", indent=False, align="center"
        )
    for section in section_view(doc):
        add_heading(document, section["heading"])
        for paragraph in section["paragraphs"]:
            add_paragraph(document, paragraph)
        for table in section["tables"]:
            add_paragraph(document, table["title"], indent=False, align="center", bold=True)
            if table["unit"]:
                add_paragraph(document, table["unit"], indent=False, align="right")
            rows = table["rows"]
            width = table["width"]
            grid = document.add_table(rows=len(rows), cols=width)
            grid.style = "Table Grid"
            headers = set()
            # every cell read once: python-docx lists the whole table again on each
            # ``grid.cell()`` (a report's DOCX took a second). The placed cells do not overlap,
            # so a merge leaves the other cells of this list in the table.
            cells = grid._cells
            for r, c, cell in _place(rows, width):
                target = cells[r * width + c]
                if cell.rowspan > 1 or cell.colspan > 1:
                    corner = cells[(r + cell.rowspan - 1) * width + c + cell.colspan - 1]
                    target = target.merge(corner)
                target.text = _cell_text(doc, cell)
                if cell.header:
                    headers.add((r, c))
            set_table_font(grid, 9, bold_cells=headers)
    for note in _notes(doc):
        add_paragraph(document, note, indent=False)
    return to_bytes(document)


def xlsx_bytes(doc: ReportDoc) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度报告"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    xlsx_set(sheet.cell(1, 1), doc.title).font = Font(bold=True, size=14)
    row_at = 3
    for section in section_view(doc):
        for table in section["tables"]:
            xlsx_set(sheet.cell(row_at, 1), table["title"]).font = Font(bold=True)
            if table["unit"]:
                sheet.cell(row_at, table["width"], table["unit"])
            row_at += 1
            for r, c, cell in _place(table["rows"], table["width"]):
                target = sheet.cell(row_at + r, c + 1)
                if cell.cell is not None and cell.value is not None:
                    value: Any = cell.value
                    if doc.fmt.kind(cell.cell).value == "percent":
                        target.value = float(Decimal(value) / 100)
                        target.number_format = "0.00%"
                    else:
                        target.value = value
                else:
                    xlsx_set(target, cell.text)
                    target.font = Font(bold=cell.header)
                target.alignment = Alignment(wrap_text=True, vertical="center")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        sheet.cell(row_at + r + dr, c + 1 + dc).border = border
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(
                        start_row=row_at + r,
                        start_column=c + 1,
                        end_row=row_at + r + cell.rowspan - 1,
                        end_column=c + cell.colspan,
                    )
            row_at += len(table["rows"]) + 1
    for note in _notes(doc):
        xlsx_set(sheet.cell(row_at, 1), note)
        row_at += 1
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 26
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def cell_css_id(cell: CellKey) -> str:
    return "c-" + cell_id(cell).replace(":", "-").replace(".", "_")


def failing_cells(validation: Validation) -> set[CellKey]:
    return {cell for failure in validation.errors for cell, _v in failure.cells}
