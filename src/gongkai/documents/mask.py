"""Masked copies of files: DOCX, XLSX and HTML keep their layout; text stays text.

The caller decides what to mask: ``find(blocks)`` receives the file's text blocks (the same
blocks :func:`gongkai.documents.extract.extract_text` returns, in the same order) and returns,
for each block, the edits ``(start, end, masked text)`` to make in it. Edits go back into the
file where the text came from — a DOCX run keeps its font, an XLSX cell its style, an HTML
text node its markup.

PDF has no editable text flow: its masked copy is a new PDF of the masked text, page by page,
with a note that the layout was not kept.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Sequence

from gongkai.documents.extract import (
    TextBlock,
    _csv_blocks,
    check_supported,
    decode_text,
    docx_paragraphs,
    docx_pieces,
    extract_document,
    line_items,
    open_docx,
    open_xlsx,
    parse_html,
    xlsx_cells,
)
from gongkai.documents.pdf import html_to_pdf
from gongkai.domain.privacy import apply_replacements, apply_to_pieces

Edit = tuple[int, int, str]
EditsFinder = Callable[[Sequence[TextBlock]], list[list[Edit]]]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def mask_file(filename: str, content: bytes, find: EditsFinder) -> bytes:
    """The masked copy of a file, in the same format (PDF: a text-only PDF)."""
    ext = check_supported(filename)
    if ext == ".docx":
        return _mask_docx(content, find)
    if ext in (".xlsx", ".xlsm"):
        return _mask_xlsx(content, find)
    if ext in (".html", ".htm", ".shtml"):
        return _mask_html(content, find)
    if ext == ".pdf":
        return _mask_pdf(filename, content, find)
    text, encoding = decode_text(content)
    if ext == ".csv":
        return _mask_csv(text, find).encode(encoding)
    return mask_plain_text(text, find).encode(encoding)


def mask_plain_text(text: str, find: EditsFinder) -> str:
    lines = text.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in lines]
    items = list(line_items(bare, ""))
    edits = find([block for _, block in items])
    for (index, _), block_edits in zip(items, edits, strict=True):
        if block_edits:
            ending = lines[index][len(bare[index]) :]
            lines[index] = apply_replacements(bare[index], block_edits) + ending
    return "".join(lines)


def _mask_docx(content: bytes, find: EditsFinder) -> bytes:
    document = open_docx(content)
    paragraphs = list(docx_paragraphs(document))
    pieces = [docx_pieces(p.element) for p in paragraphs]
    blocks = [
        TextBlock(p.location, "".join(text for _, text in parts), p.header, p.group)
        for p, parts in zip(paragraphs, pieces, strict=True)
    ]
    for parts, block_edits in zip(pieces, find(blocks), strict=True):
        if not block_edits:
            continue
        texts = apply_to_pieces([text for _, text in parts], block_edits)
        for (node, old), new in zip(parts, texts, strict=True):
            if node is None or old == new:
                continue
            node.text = new
            if new != new.strip():
                node.set(_XML_SPACE, "preserve")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _mask_xlsx(content: bytes, find: EditsFinder) -> bytes:
    workbook = open_xlsx(content, read_only=False)
    cells = list(xlsx_cells(workbook))
    blocks = [
        TextBlock(location, text, header, group) for _, text, header, location, group in cells
    ]
    for (cell, text, *_), block_edits in zip(cells, find(blocks), strict=True):
        if block_edits:
            cell.value = apply_replacements(text, block_edits)
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _mask_html(content: bytes, find: EditsFinder) -> bytes:
    text, encoding = decode_text(content)
    document = parse_html(text).document
    blocks = document.text_blocks
    tokens = list(document.tokens)
    for block, block_edits in zip(document.blocks, find(blocks), strict=True):
        if block_edits:
            texts = apply_to_pieces([tokens[i] for i in block.tokens], block_edits)
            for index, new in zip(block.tokens, texts, strict=True):
                tokens[index] = new
    out = [
        html.escape(token, quote=False) if is_text else token
        for token, is_text in zip(tokens, document.is_text, strict=True)
    ]
    return "".join(out).encode(encoding)


def _mask_csv(text: str, find: EditsFinder) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    blocks = list(_csv_blocks(text))
    positions = [
        (r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if value.strip()
    ]
    for (r, c), block, block_edits in zip(positions, blocks, find(blocks), strict=True):
        if block_edits:
            rows[r][c] = apply_replacements(block.text, block_edits)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _mask_pdf(filename: str, content: bytes, find: EditsFinder) -> bytes:
    extraction = extract_document(filename, content)
    blocks = extraction.blocks
    pages: dict[str, list[str]] = {}
    for block, block_edits in zip(blocks, find(blocks), strict=True):
        page = block.location.split(" ")[0]
        pages.setdefault(page, []).append(apply_replacements(block.text, block_edits))
    parts = [
        "<p class='note'>本文件由隐私审查依据原 PDF 的文字重新生成，个人信息已遮盖，原版式未保留。</p>"
    ]
    for page, lines in pages.items():
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        parts.append(f"<section><h2>{html.escape(page)}</h2>{body}</section>")
    css = (
        "section { break-before: page; } section:first-of-type { break-before: auto; } "
        "p { margin: 0 0 2pt; white-space: pre-wrap; } .note { color: #555; font-size: 9pt; }"
    )
    return html_to_pdf("".join(parts), extra_css=css)


def masked_preview(blocks: Sequence[TextBlock], find: EditsFinder) -> list[TextBlock]:
    """The blocks with their edits applied (for showing a masked copy as text)."""
    return [
        TextBlock(b.location, apply_replacements(b.text, e), b.header, b.group)
        for b, e in zip(blocks, find(blocks), strict=True)
    ]
