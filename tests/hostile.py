"""Hostile files built on the fly: a decompression bomb (DOCX) and a huge sheet (XLSX).

Shared by the tests and by bench/bench_hostile_uploads.py, which sends the full-size ones to a
running server.
"""

from __future__ import annotations

import io
import zipfile

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"


def _package(archive: zipfile.ZipFile, main: str, overrides: dict[str, str]) -> None:
    """The two parts every OOXML package has: content types and the root relationship."""
    parts = "".join(
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-'
        f'officedocument.{kind}+xml"/>'
        for name, kind in overrides.items()
    )
    archive.writestr(
        "[Content_Types].xml",
        f'<?xml version="1.0"?><Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="{main}"/></Relationships>',
    )


def bomb_docx(xml_megabytes: int = 100) -> bytes:
    """A valid DOCX whose document.xml unpacks to ``xml_megabytes`` (≈4 KB packed per MB)."""
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 200 + b"</w:t></w:r></w:p>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _package(
            archive,
            "word/document.xml",
            {"word/document.xml": "wordprocessingml.document.main"},
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            block = paragraph * 4096
            for _ in range(xml_megabytes * 1024 * 1024 // len(block)):
                stream.write(block)
            stream.write(b"</w:body></w:document>")
    return out.getvalue()


def big_xlsx(cells: int, columns: int = 10) -> bytes:
    """A valid XLSX with one sheet of ``cells`` numeric cells."""
    out = io.BytesIO()
    letters = [chr(ord("A") + i) for i in range(columns)]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _package(
            archive,
            "xl/workbook.xml",
            {
                "xl/workbook.xml": "spreadsheetml.sheet.main",
                "xl/worksheets/sheet1.xml": "spreadsheetml.worksheet",
            },
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_S}" xmlns:r="{_R}"><sheets>'
            '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(f'<?xml version="1.0"?><worksheet xmlns="{_S}"><sheetData>'.encode())
            rows = -(-cells // columns)
            for r in range(1, rows + 1):
                stream.write(
                    (
                        f'<row r="{r}">'
                        + "".join(
                            f'<c r="{letters[c]}{r}"><v>{(r * 7 + c) % 1000}</v></c>'
                            for c in range(min(columns, cells - (r - 1) * columns))
                        )
                        + "</row>"
                    ).encode()
                )
            stream.write(b"</sheetData></worksheet>")
    return out.getvalue()
